package privatelink

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	fwtypes "github.com/hashicorp/terraform-plugin-framework/types"
)

// NewEndpointListResource is engflow_privatelink_endpoint for `terraform
// query` (Terraform 1.14+): the account's Interface endpoints to endpoint
// services (com.amazonaws.vpce.<region>.vpce-svc-…, as EngFlow's are) in a
// Region, with their identities, so that they can be imported with
// -generate-config-out; among them those a killed create left behind.
func NewEndpointListResource() list.ListResource { return &endpointList{} }

type endpointList struct{ regional }

var _ list.ListResourceWithConfigure = (*endpointList)(nil)

type endpointListModel struct {
	Region      fwtypes.String `tfsdk:"region"`
	VpcID       fwtypes.String `tfsdk:"vpc_id"`
	ServiceName fwtypes.String `tfsdk:"service_name"`
	State       fwtypes.String `tfsdk:"state"`
	Tags        fwtypes.Map    `tfsdk:"tags"`
	Unfinished  fwtypes.Bool   `tfsdk:"unfinished_creates_only"`
}

func (l *endpointList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_privatelink_endpoint"
}

func (l *endpointList) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.configure(req.ProviderData, &resp.Diagnostics)
}

func (l *endpointList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		Description: "Interface VPC endpoints to endpoint services (`com.amazonaws.vpce.<region>.vpce-svc-...`, the kind EngFlow " +
			"gives out) in one Region, to find and import them. Every filter is optional; together they narrow the list.",
		Attributes: map[string]listschema.Attribute{
			"region": listschema.StringAttribute{Optional: true, Validators: []validator.String{regionName},
				Description: "The Region to list. " + DefaultsToProviderRegion},
			"vpc_id": listschema.StringAttribute{Optional: true, Validators: []validator.String{vpcID.validator()},
				Description: "Only endpoints in this VPC."},
			"service_name": listschema.StringAttribute{Optional: true, Validators: []validator.String{serviceNameShape},
				Description: "Only endpoints to this endpoint service."},
			"state": listschema.StringAttribute{Optional: true,
				Description: "Only endpoints in this state as AWS reports it: `available`, `pendingAcceptance`, `pending`, `failed`, ..."},
			"tags": listschema.MapAttribute{Optional: true, ElementType: fwtypes.StringType,
				Description: "Only endpoints carrying all of these tags with these values."},
			"unfinished_creates_only": listschema.BoolAttribute{Optional: true,
				Description: "Only endpoints that still carry the tag `" + creationMarkerKey + "`: a create that has not " +
					"finished, in flight in another run or left by a run that was killed before Terraform saved it."},
		},
	}
}

func (l *endpointList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var m endpointListModel
	if diags := req.Config.Get(ctx, &m); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if l.regions == nil {
		stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{diag.NewErrorDiagnostic("The provider is not configured",
			"The list needs the provider's AWS configuration. This is a bug in the provider; please report it.")})
		return
	}
	c := l.clientIn(m.Region.ValueString())
	eps, err := listEndpoints(ctx, c, listFilters(ctx, m))
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{
			diag.NewErrorDiagnostic(fmt.Sprintf("Listing VPC endpoints in %s failed", c.region), err.Error())})
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i, ep := range eps {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			result := req.NewListResult(ctx)
			result.DisplayName = displayName(ep)
			setIdentity(ctx, result.Identity, aws.ToString(ep.VpcEndpointId), c.region, &result.Diagnostics)
			if req.IncludeResource {
				l.fill(ctx, c, ep, &result)
			}
			if !push(result) {
				return
			}
		}
	}
}

// listFilters asks EC2 for the endpoints the model narrows the list to.
func listFilters(ctx context.Context, m endpointListModel) []types.Filter {
	filters := filterOn("vpc-endpoint-type", []string{string(types.VpcEndpointTypeInterface)})
	for name, v := range map[string]fwtypes.String{"vpc-id": m.VpcID, "service-name": m.ServiceName, "vpc-endpoint-state": m.State} {
		if v.ValueString() != "" {
			filters = append(filters, filterOn(name, []string{v.ValueString()})...)
		}
	}
	var tags map[string]string
	m.Tags.ElementsAs(ctx, &tags, false)
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		filters = append(filters, filterOn("tag:"+k, []string{tags[k]})...)
	}
	if m.Unfinished.ValueBool() {
		filters = append(filters, filterOn("tag-key", []string{creationMarkerKey})...)
	}
	return filters
}

// listEndpoints lists the Interface endpoints to endpoint services that
// match filters, by ID. Endpoints to AWS's own services
// (com.amazonaws.<region>.s3, ...) are left out.
func listEndpoints(ctx context.Context, c *Client, filters []types.Filter) ([]types.VpcEndpoint, error) {
	var out []types.VpcEndpoint
	err := eachItem(ctx, "VPC endpoints", endpointPages(c.ec2, filters), endpointsOfPage, func(ep types.VpcEndpoint) {
		if serviceNamePattern.MatchString(aws.ToString(ep.ServiceName)) && !stateIs(ep.State, "deleted") {
			out = append(out, ep)
		}
	})
	slices.SortFunc(out, func(a, b types.VpcEndpoint) int {
		return strings.Compare(aws.ToString(a.VpcEndpointId), aws.ToString(b.VpcEndpointId))
	})
	return out, err
}

// displayName says which endpoint a result is, in a line.
func displayName(ep types.VpcEndpoint) string {
	name := fmt.Sprintf("%s: %s to %s, %s", aws.ToString(ep.VpcEndpointId), aws.ToString(ep.VpcId), aws.ToString(ep.ServiceName), ep.State)
	if _, marked := markerOf(ep); marked {
		name += ", unfinished create (" + creationMarkerKey + ")"
	}
	return name
}

// fill sets the result's resource to the endpoint as a Read would save it.
func (l *endpointList) fill(ctx context.Context, c *Client, ep types.VpcEndpoint, result *list.ListResult) {
	var privateDNSName string
	if svc, err := cachedService(ctx, c, aws.ToString(ep.ServiceName)); err == nil {
		privateDNSName = aws.ToString(svc.PrivateDnsName)
	}
	enis, err := c.enis.getAll(ctx, ep.NetworkInterfaceIds)
	if err != nil {
		result.Diagnostics.AddWarning("Reading the endpoint's private IPs failed", err.Error())
	}
	ips := map[string]string{}
	for id, ni := range enis {
		ips[id] = aws.ToString(ni.PrivateIpAddress)
	}
	m := endpointModel{Region: fwtypes.StringValue(c.region), Tags: fwtypes.MapNull(fwtypes.StringType),
		SubnetConfiguration: fwtypes.SetNull(subnetConfigType),
		Timeouts:            nullTimeouts()}
	m.setView(ctx, newEndpointView(&ep, ips, privateDNSName), c.defaultTags, &result.Diagnostics)
	result.Diagnostics.Append(result.Resource.Set(ctx, &m)...)
}
