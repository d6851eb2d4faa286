package privatelink

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	fwtypes "github.com/hashicorp/terraform-plugin-framework/types"
)

// NewServiceDataSource is the "verify the service" step of the run-book:
// it reports what AWS says about the endpoint service EngFlow gave you.
func NewServiceDataSource() datasource.DataSource { return &serviceDataSource{} }

type serviceDataSource struct {
	regional
}

type serviceDataSourceModel struct {
	ServiceName                     fwtypes.String `tfsdk:"service_name"`
	Region                          fwtypes.String `tfsdk:"region"`
	ServiceRegion                   fwtypes.String `tfsdk:"service_region"`
	ID                              fwtypes.String `tfsdk:"id"`
	ServiceID                       fwtypes.String `tfsdk:"service_id"`
	ServiceType                     fwtypes.String `tfsdk:"service_type"`
	Owner                           fwtypes.String `tfsdk:"owner"`
	AcceptanceRequired              fwtypes.Bool   `tfsdk:"acceptance_required"`
	ManagesVpcEndpoints             fwtypes.Bool   `tfsdk:"manages_vpc_endpoints"`
	AvailabilityZones               fwtypes.List   `tfsdk:"availability_zones"`
	AvailabilityZoneIDs             fwtypes.List   `tfsdk:"availability_zone_ids"`
	BaseEndpointDNSNames            fwtypes.List   `tfsdk:"base_endpoint_dns_names"`
	PrivateDNSName                  fwtypes.String `tfsdk:"private_dns_name"`
	PrivateDNSNameVerificationState fwtypes.String `tfsdk:"private_dns_name_verification_state"`
	SupportedIPAddressTypes         fwtypes.List   `tfsdk:"supported_ip_address_types"`
}

func (d *serviceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_privatelink_service"
}

func (d *serviceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computedList := computedStringList
	resp.Schema = schema.Schema{
		Description: "Verifies an EngFlow endpoint service and reports what AWS says about it: whether your account " +
			"may use it, which Availability Zones it offers, and its private DNS name. Module authors use it to pick " +
			"subnets in supported zones. It waits for nothing, so it has no `timeouts`: one look-up, which the AWS SDK " +
			"retries while AWS throttles or fails (`max_retries`).",
		Attributes: map[string]schema.Attribute{
			"service_name": schema.StringAttribute{
				Required:    true,
				Description: "The endpoint service name EngFlow gave you, `com.amazonaws.vpce.<region>.vpce-svc-<hex>`.",
				Validators:  []validator.String{serviceNameShape},
			},
			"region": schema.StringAttribute{Optional: true, Computed: true, Validators: []validator.String{regionName},
				Description: "The AWS Region to look from, where your VPC is. " + DefaultsToProviderRegion},
			"service_region": schema.StringAttribute{Optional: true, Computed: true, Validators: []validator.String{regionName},
				Description: "The Region the service lives in, as its name says. When it is not `region`, the service is looked " +
					"up across Regions (cross-Region PrivateLink). Optional: if given, it must agree with `service_name`."},
			"id":           computedString("The service ID, `vpce-svc-...`."),
			"service_id":   computedString("The service ID, `vpce-svc-...`."),
			"service_type": computedString("`Interface` for EngFlow services."),
			"owner":        computedString("AWS account ID of the service owner (EngFlow)."),
			"acceptance_required": schema.BoolAttribute{Computed: true,
				Description: "Whether EngFlow must accept each new endpoint connection before it becomes available."},
			"manages_vpc_endpoints": schema.BoolAttribute{Computed: true,
				Description: "Whether the service owner manages the endpoints' lifecycle."},
			"availability_zones": computedList("Availability Zone names the service is offered in, as named in your account."),
			"availability_zone_ids": computedList("Availability Zone IDs (such as `use1-az1`) the service is offered in. " +
				"Compare subnets by ID: zone names differ between AWS accounts, IDs do not."),
			"base_endpoint_dns_names":             computedList("The service's base DNS names."),
			"private_dns_name":                    computedString("The private DNS name Bazel clients use, for example `<cluster>.cluster.engflow.com`."),
			"private_dns_name_verification_state": computedString("`verified` when the private DNS name can be used by consumers."),
			"supported_ip_address_types":          computedList("IP address types the service supports: `ipv4`, `ipv6`."),
		},
	}
}

func (d *serviceDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	resp.Diagnostics.Append(validateServiceRegion(ctx, req.Config)...)
}

func (d *serviceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req.ProviderData, &resp.Diagnostics)
}

func (d *serviceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m serviceDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := d.clientIn(m.Region.ValueString())
	m.Region = fwtypes.StringValue(c.region)
	name := m.ServiceName.ValueString()
	svc, err := cachedService(ctx, c, name)
	if err != nil {
		resp.Diagnostics.Append(serviceLookupDiagnostic(ctx, c, name, err))
		return
	}
	resp.Diagnostics.Append(flattenServiceDetail(ctx, svc, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// computedString and computedStringList are the data sources' output
// attributes.
func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, Description: desc}
}

func computedStringList(desc string) schema.ListAttribute {
	return schema.ListAttribute{Computed: true, ElementType: fwtypes.StringType, Description: desc}
}

// flattenServiceDetail copies what AWS reported into the model.
func flattenServiceDetail(ctx context.Context, svc *types.ServiceDetail, m *serviceDataSourceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	list := func(xs []string) fwtypes.List { return stringList(ctx, xs, &diags) }
	m.ID = fwtypes.StringPointerValue(svc.ServiceId)
	m.ServiceID = fwtypes.StringPointerValue(svc.ServiceId)
	m.ServiceType = fwtypes.StringValue(serviceTypeOf(svc))
	m.Owner = fwtypes.StringPointerValue(svc.Owner)
	m.AcceptanceRequired = fwtypes.BoolValue(aws.ToBool(svc.AcceptanceRequired))
	m.ManagesVpcEndpoints = fwtypes.BoolValue(aws.ToBool(svc.ManagesVpcEndpoints))
	m.AvailabilityZones = list(svc.AvailabilityZones)
	m.AvailabilityZoneIDs = list(svc.AvailabilityZoneIds)
	m.BaseEndpointDNSNames = list(svc.BaseEndpointDnsNames)
	m.PrivateDNSName = fwtypes.StringValue(aws.ToString(svc.PrivateDnsName))
	m.PrivateDNSNameVerificationState = fwtypes.StringValue(string(svc.PrivateDnsNameVerificationState))
	m.SupportedIPAddressTypes = list(enumStrings(svc.SupportedIpAddressTypes))
	m.ServiceRegion = optionalString(serviceRegionOf(aws.ToString(svc.ServiceName), aws.ToString(svc.ServiceRegion)))
	return diags
}

// serviceTypeOf returns the service's type; AWS reports a list that in
// practice holds one entry.
func serviceTypeOf(svc *types.ServiceDetail) string {
	if len(svc.ServiceType) == 0 {
		return ""
	}
	return string(svc.ServiceType[0].ServiceType)
}
