package privatelink

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	fwtypes "github.com/hashicorp/terraform-plugin-framework/types"
)

// NewEndpointDataSource reports whether an endpoint is usable, its DNS
// names, and the run-book's checks: the questions people otherwise answer
// with the console and nslookup. checkHub checks a hub's shared zone.
func NewEndpointDataSource(checkHub HubChecker) datasource.DataSource {
	return &endpointDataSource{poller: defaultPoller, resolver: newDNSResolver, checkHub: checkHub}
}

type endpointDataSource struct {
	regional
	poller   poller
	resolver func(server string) dnsResolver
	checkHub HubChecker
}

type endpointDataSourceModel struct {
	ID               fwtypes.String `tfsdk:"id"`
	Region           fwtypes.String `tfsdk:"region"`
	VpcID            fwtypes.String `tfsdk:"vpc_id"`
	ServiceName      fwtypes.String `tfsdk:"service_name"`
	ServiceRegion    fwtypes.String `tfsdk:"service_region"`
	BazelConfig      fwtypes.String `tfsdk:"bazel_config"`
	WaitForAvailable fwtypes.Bool   `tfsdk:"wait_for_available"`
	ClientCIDRBlocks fwtypes.List   `tfsdk:"client_cidr_blocks"`
	ResolveDNS       fwtypes.Bool   `tfsdk:"resolve_dns"`
	DNSResolver      fwtypes.String `tfsdk:"dns_resolver"`
	SharedDNSZoneID  fwtypes.String `tfsdk:"shared_dns_zone_id"`
	SpokeVPCIDs      fwtypes.Set    `tfsdk:"spoke_vpc_ids"`

	State               fwtypes.String `tfsdk:"state"`
	Available           fwtypes.Bool   `tfsdk:"available"`
	PrivateDNSEnabled   fwtypes.Bool   `tfsdk:"private_dns_enabled"`
	PrivateDNSName      fwtypes.String `tfsdk:"private_dns_name"`
	RegionalDNSName     fwtypes.String `tfsdk:"regional_dns_name"`
	ZonalDNSNames       fwtypes.Map    `tfsdk:"zonal_dns_names"`
	DNSEntries          fwtypes.List   `tfsdk:"dns_entries"`
	NetworkInterfaceIDs fwtypes.List   `tfsdk:"network_interface_ids"`
	PrivateIPs          fwtypes.List   `tfsdk:"private_ips"`
	SubnetIDs           fwtypes.List   `tfsdk:"subnet_ids"`
	SecurityGroupIDs    fwtypes.List   `tfsdk:"security_group_ids"`
	RemoteExecutor      fwtypes.String `tfsdk:"remote_executor"`
	Bazelrc             fwtypes.String `tfsdk:"bazelrc"`
	Checks              fwtypes.List   `tfsdk:"checks"`
	Healthy             fwtypes.Bool   `tfsdk:"healthy"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
}

var checkType = fwtypes.ObjectType{AttrTypes: map[string]attr.Type{
	"name": fwtypes.StringType, "ok": fwtypes.BoolType, "detail": fwtypes.StringType,
}}

type checkModel struct {
	Name   fwtypes.String `tfsdk:"name"`
	OK     fwtypes.Bool   `tfsdk:"ok"`
	Detail fwtypes.String `tfsdk:"detail"`
}

func (d *endpointDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_privatelink_endpoint"
}

func (d *endpointDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str, list := computedString, computedStringList
	resp.Schema = schema.Schema{
		Description: "Reports whether an EngFlow PrivateLink endpoint is available, its DNS names and the `.bazelrc` line, " +
			"and runs the run-book's checks (endpoint state, private DNS, VPC DNS attributes, security groups and network " +
			"ACLs on TCP 443, and optionally name resolution) with advice for each failure. Look the endpoint up by `id`, " +
			"or by `vpc_id` and `service_name`. For a hub endpoint, `shared_dns_zone_id` checks the shared zone and its spokes instead of the endpoint's own private DNS.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Optional: true, Computed: true,
				Description: "The endpoint ID, `vpce-...`. Give this, or `vpc_id` and `service_name`. EC2 may take a moment to show " +
					"a new endpoint, so an ID it does not know is reported as not found only after " + notFoundGraceText + ".",
				Validators: []validator.String{endpointID.validator()}},
			"region": schema.StringAttribute{Optional: true, Computed: true, Validators: []validator.String{regionName},
				Description: "The AWS Region of the endpoint. " + DefaultsToProviderRegion},
			"service_region": schema.StringAttribute{Computed: true,
				Description: "The Region of the EngFlow service; not `region` when the endpoint connects across Regions."},
			"vpc_id": schema.StringAttribute{Optional: true, Computed: true,
				Description: "The VPC of the endpoint, to look it up together with `service_name`.",
				Validators:  []validator.String{vpcID.validator()}},
			"service_name": schema.StringAttribute{Optional: true, Computed: true,
				Description: "The EngFlow endpoint service name, to look the endpoint up together with `vpc_id`.",
				Validators:  []validator.String{serviceNameShape}},
			"bazel_config": schema.StringAttribute{Optional: true,
				Description: "Config name in the `.bazelrc` line (`build:<bazel_config> ...`). Defaults to the cluster name, the first label of the private DNS name."},
			"wait_for_available": schema.BoolAttribute{Optional: true,
				Description: "Wait until the endpoint is available (up to `timeouts.read`, default 20m) before reporting, so a pipeline can block on it."},
			"client_cidr_blocks": schema.ListAttribute{Optional: true, ElementType: fwtypes.StringType,
				Description: "Where the Bazel clients connect from, for the security group and network ACL checks. Defaults to the VPC's CIDR blocks."},
			"resolve_dns": schema.BoolAttribute{Optional: true,
				Description: "Also check that the private DNS name resolves to exactly the endpoint's private IPs. Only meaningful when Terraform runs inside the VPC."},
			"dns_resolver": schema.StringAttribute{Optional: true,
				Description: "DNS server (`host:port`) for `resolve_dns`, for example the VPC resolver `169.254.169.253:53`. Defaults to the system resolver."},
			"shared_dns_zone_id": schema.StringAttribute{Optional: true, Validators: []validator.String{hostedZoneIDShape},
				Description: "For a hub endpoint (hub and spoke): the `zone_id` of the `engflow_privatelink_shared_dns` that answers the " +
					"cluster's name in the hub and spoke VPCs. A hub keeps its own private DNS off, so the checks of the endpoint's private " +
					"DNS give way to checks of the zone (`shared_dns_zone`, `shared_dns_alias`, `shared_dns_spokes`): a private zone for " +
					"the service's private DNS name, associated with the hub VPC, holding the alias to this endpoint, and every spoke " +
					"associated with both VPC DNS attributes on. The firewall checks then default to the spokes' CIDR blocks too. " +
					"Needs `route53:GetHostedZone` and `route53:ListResourceRecordSets`."},
			"spoke_vpc_ids": schema.SetAttribute{Optional: true, ElementType: fwtypes.StringType,
				Validators: []validator.Set{setvalidator.ValueStringsAre(vpcID.validator()),
					setvalidator.AlsoRequires(path.MatchRoot("shared_dns_zone_id"))},
				Description: "With `shared_dns_zone_id`: the spoke VPCs, in the endpoint's Region, that must resolve the cluster's name " +
					"through the zone (usually the list given to `engflow_privatelink_shared_dns`); one the zone is not associated with " +
					"fails `shared_dns_spokes`. Defaults to the VPCs the zone is associated with. Every associated VPC is checked either way."},

			"state":                 str("The endpoint's state as AWS reports it."),
			"available":             schema.BoolAttribute{Computed: true, Description: "Whether the state is `available`."},
			"private_dns_enabled":   schema.BoolAttribute{Computed: true, Description: "Whether private DNS names are on."},
			"private_dns_name":      str("The service's private DNS name, for example `<cluster>.cluster.engflow.com`; null when it offers none."),
			"regional_dns_name":     str("The endpoint's Region-wide DNS name."),
			"zonal_dns_names":       schema.MapAttribute{Computed: true, ElementType: fwtypes.StringType, Description: "The endpoint's DNS name per Availability Zone."},
			"network_interface_ids": list("The endpoint's network interfaces."),
			"private_ips":           list("Private IPs of the network interfaces, in the same order."),
			"subnet_ids":            list("The endpoint's subnets."),
			"security_group_ids":    list("The endpoint's security groups."),
			"remote_executor":       str("The value for Bazel's `--remote_executor`: `grpcs://<private_dns_name>`; null when the service offers no private DNS name."),
			"bazelrc":               str("The ready `.bazelrc` line: `build:<bazel_config> --remote_executor=grpcs://<private_dns_name>`; null when the service offers no private DNS name (ask EngFlow for the cluster's private name then)."),
			"dns_entries": schema.ListNestedAttribute{Computed: true, Description: "Every DNS name of the endpoint as AWS lists it.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"dns_name": str("The DNS name."), "hosted_zone_id": str("The Route 53 hosted zone of the name."),
				}}},
			"checks": schema.ListNestedAttribute{Computed: true, Description: "The run-book's checks, in order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":   str("What was checked, for example `security_group_allows_443`."),
					"ok":     schema.BoolAttribute{Computed: true, Description: "Whether the check passed."},
					"detail": str("What was found, and when the check failed, what to change."),
				}}},
			"healthy": schema.BoolAttribute{Computed: true, Description: "Whether every check passed."},
		},
		Blocks: map[string]schema.Block{"timeouts": DataSourceTimeoutsBlock(ctx, "a read (with `wait_for_available`, the wait included)", defaultWaitTimeout)},
	}
}

func (d *endpointDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req.ProviderData, &resp.Diagnostics)
}

var _ datasource.DataSourceWithConfigValidators = (*endpointDataSource)(nil)

// ConfigValidators: the endpoint is looked up by id, or by vpc_id and
// service_name together.
func (d *endpointDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("vpc_id")),
		datasourcevalidator.Conflicting(path.MatchRoot("id"), path.MatchRoot("service_name")),
		datasourcevalidator.RequiredTogether(path.MatchRoot("vpc_id"), path.MatchRoot("service_name")),
	}
}

const defaultWaitTimeout = 20 * time.Minute

// lookupNotFoundGrace is how long a look-up by ID waits for EC2 to show
// an endpoint it does not know yet: enough for EC2's usual lag after a
// create, short enough for a mistyped ID to fail soon.
const (
	lookupNotFoundGrace = 30 * time.Second
	notFoundGraceText   = "30 seconds"
)

func (d *endpointDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m endpointDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	timeout, diags := m.Timeouts.Read(ctx, defaultWaitTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c := d.clientIn(m.Region.ValueString())
	m.Region = fwtypes.StringValue(c.region)

	ep, diag := d.lookup(ctx, c, m)
	if diag != nil {
		resp.Diagnostics.Append(diag)
		return
	}
	id := aws.ToString(ep.VpcEndpointId)
	if m.WaitForAvailable.ValueBool() && !stateIs(ep.State, "available") {
		waited, err := waitForEndpointAvailable(ctx, c, d.poller, id)
		if err != nil {
			resp.Diagnostics.Append(waitFailure("read", id, err, endpointSpec{}))
			return
		}
		ep = waited
	}
	svc, err := cachedService(ctx, c, aws.ToString(ep.ServiceName))
	if err != nil {
		resp.Diagnostics.Append(serviceLookupDiagnostic(ctx, c, aws.ToString(ep.ServiceName), err))
		return
	}
	ips := map[string]string{}
	if found, err := c.enis.getAll(ctx, ep.NetworkInterfaceIds); err == nil {
		for eni, ni := range found {
			ips[eni] = aws.ToString(ni.PrivateIpAddress)
		}
	} else {
		resp.Diagnostics.AddWarning("Reading the endpoint's private IPs failed", err.Error())
	}
	v := newEndpointView(ep, ips, aws.ToString(svc.PrivateDnsName))
	checks := d.runChecks(ctx, c, m, svc, ep, v)
	resp.Diagnostics.Append(m.set(ctx, v, checks)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// lookup finds the endpoint by ID, or the one endpoint of the service in the VPC.
func (d *endpointDataSource) lookup(ctx context.Context, c *Client, m endpointDataSourceModel) (*types.VpcEndpoint, diag.Diagnostic) {
	if id := m.ID.ValueString(); id != "" {
		ep, err := findEndpointEventually(ctx, c, d.poller, id, lookupNotFoundGrace)
		if err != nil {
			return nil, diag.NewAttributeErrorDiagnostic(path.Root("id"), fmt.Sprintf("Cannot read VPC endpoint %s", id),
				fmt.Sprintf("%s. Check the ID, and that the provider's region (%s) is the endpoint's.", err, c.region))
		}
		return ep, nil
	}
	vpc, service := m.VpcID.ValueString(), m.ServiceName.ValueString()
	var found []types.VpcEndpoint
	// EC2 may leave a new endpoint out of a filtered answer for a moment.
	waitCtx, cancel := context.WithTimeout(ctx, lookupNotFoundGrace)
	defer cancel()
	err := d.poller.retry(waitCtx, func(ctx context.Context) (bool, error) {
		var err error
		found, err = findEndpointsOfService(ctx, c, vpc, service)
		return len(found) > 0, err
	})
	if errors.Is(err, errWaitTimeout) && ctx.Err() == nil {
		err = nil // none, for good
	}
	if err != nil {
		return nil, diag.NewErrorDiagnostic("Looking up the EngFlow endpoint failed", err.Error())
	}
	switch len(found) {
	case 1:
		return &found[0], nil
	case 0:
		return nil, diag.NewErrorDiagnostic(fmt.Sprintf("No endpoint for %s in %s", service, vpc),
			"No live endpoint connects this VPC to the service. Create one with the engflow_privatelink_endpoint resource, "+
				"or check vpc_id, service_name and the provider's region.")
	}
	var listed []string
	for _, ep := range found {
		listed = append(listed, fmt.Sprintf("%s (%s)", aws.ToString(ep.VpcEndpointId), ep.State))
	}
	return nil, diag.NewErrorDiagnostic(fmt.Sprintf("%d endpoints for %s in %s", len(found), service, vpc),
		fmt.Sprintf("Found %s. Give the one you mean as id.", strings.Join(listed, ", ")))
}

// set fills the computed attributes.
func (m *endpointDataSourceModel) set(ctx context.Context, v endpointView, checks []HealthCheck) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID, m.VpcID, m.ServiceName = fwtypes.StringValue(v.ID), fwtypes.StringValue(v.VpcID), fwtypes.StringValue(v.ServiceName)
	m.ServiceRegion = optionalString(v.ServiceRegion)
	m.State = fwtypes.StringValue(v.State)
	m.Available = fwtypes.BoolValue(strings.EqualFold(v.State, "available"))
	m.PrivateDNSEnabled = fwtypes.BoolValue(v.PrivateDNSEnabled)
	m.PrivateDNSName = optionalString(v.PrivateDNSName)
	m.RegionalDNSName = fwtypes.StringValue(v.RegionalDNSName)
	m.ZonalDNSNames = stringMap(ctx, v.ZonalDNSNames, &diags)
	entries, d := fwtypes.ListValueFrom(ctx, dnsEntryType, nonNil(v.DNSEntries))
	diags.Append(d...)
	m.DNSEntries = entries
	m.NetworkInterfaceIDs = stringList(ctx, v.NetworkInterfaceIDs, &diags)
	m.PrivateIPs = stringList(ctx, v.PrivateIPs, &diags)
	m.SubnetIDs = stringList(ctx, v.SubnetIDs, &diags)
	m.SecurityGroupIDs = stringList(ctx, v.SecurityGroupIDs, &diags)
	m.RemoteExecutor = optionalString(remoteExecutor(v.PrivateDNSName))
	m.Bazelrc = optionalString(bazelrcLine(m.BazelConfig.ValueString(), v.PrivateDNSName))
	healthy := true
	models := make([]checkModel, len(checks))
	for i, c := range checks {
		models[i] = checkModel{Name: fwtypes.StringValue(c.Name), OK: fwtypes.BoolValue(c.OK), Detail: fwtypes.StringValue(c.Detail)}
		healthy = healthy && c.OK
	}
	list, d := fwtypes.ListValueFrom(ctx, checkType, models)
	diags.Append(d...)
	m.Checks = list
	m.Healthy = fwtypes.BoolValue(healthy)
	return diags
}

// bazelrcLine is the line a Bazel user adds to .bazelrc. The config name
// defaults to the cluster's name: the first label of the private DNS name.
func bazelrcLine(config, privateDNSName string) string {
	if privateDNSName == "" {
		return ""
	}
	if config == "" {
		config, _, _ = strings.Cut(privateDNSName, ".")
	}
	return fmt.Sprintf("build:%s --remote_executor=%s", config, remoteExecutor(privateDNSName))
}
