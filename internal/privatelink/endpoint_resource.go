package privatelink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	fwtypes "github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// NewEndpointResource is engflow_privatelink_endpoint: the whole consumer
// run-book (verify the service, create the Interface endpoint, wait, turn on
// private DNS) as one resource.
func NewEndpointResource() resource.Resource { return &endpointResource{poller: defaultPoller} }

type endpointResource struct {
	regional
	poller poller
}

// endpointOps is the resource's work in the Region one call names: each
// CRUD method makes its own, so that no call leaves state on the resource.
type endpointOps struct {
	client *Client
	poller poller
}

func (r *endpointResource) in(region string) endpointOps {
	return endpointOps{client: r.clientIn(region), poller: r.poller}
}

var (
	_ resource.ResourceWithConfigure      = (*endpointResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*endpointResource)(nil)
	_ resource.ResourceWithImportState    = (*endpointResource)(nil)
	_ resource.ResourceWithValidateConfig = (*endpointResource)(nil)
	_ resource.ResourceWithIdentity       = (*endpointResource)(nil)
	_ resource.ResourceWithMoveState      = (*endpointResource)(nil)
)

const defaultTimeout = 10 * time.Minute

// ---- Model ----

type endpointModel struct {
	ID                  fwtypes.String `tfsdk:"id"`
	Region              fwtypes.String `tfsdk:"region"`
	ServiceName         fwtypes.String `tfsdk:"service_name"`
	ServiceRegion       fwtypes.String `tfsdk:"service_region"`
	VpcID               fwtypes.String `tfsdk:"vpc_id"`
	SubnetIDs           fwtypes.Set    `tfsdk:"subnet_ids"`
	SubnetConfiguration fwtypes.Set    `tfsdk:"subnet_configuration"`
	SecurityGroupIDs    fwtypes.Set    `tfsdk:"security_group_ids"`
	PrivateDNSEnabled   fwtypes.Bool   `tfsdk:"private_dns_enabled"`
	IPAddressType       fwtypes.String `tfsdk:"ip_address_type"`
	DNSRecordIPType     fwtypes.String `tfsdk:"dns_record_ip_type"`
	Tags                fwtypes.Map    `tfsdk:"tags"`
	TagsAll             fwtypes.Map    `tfsdk:"tags_all"`
	State               fwtypes.String `tfsdk:"state"`
	OwnerID             fwtypes.String `tfsdk:"owner_id"`
	NetworkInterfaceIDs fwtypes.List   `tfsdk:"network_interface_ids"`
	PrivateIPs          fwtypes.List   `tfsdk:"private_ips"`
	DNSEntries          fwtypes.List   `tfsdk:"dns_entries"`
	RegionalDNSName     fwtypes.String `tfsdk:"regional_dns_name"`
	ZonalDNSNames       fwtypes.Map    `tfsdk:"zonal_dns_names"`
	PrivateDNSName      fwtypes.String `tfsdk:"private_dns_name"`
	RemoteExecutor      fwtypes.String `tfsdk:"remote_executor"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
}

// spec is the endpoint this model asks for; unknown values are left empty.
func (m endpointModel) spec(ctx context.Context, diags *diag.Diagnostics) endpointSpec {
	s := endpointSpec{
		ServiceName:       m.ServiceName.ValueString(),
		VpcID:             m.VpcID.ValueString(),
		PrivateDNSEnabled: m.PrivateDNSEnabled.ValueBool(),
		IPAddressType:     m.IPAddressType.ValueString(),
		DNSRecordIPType:   m.DNSRecordIPType.ValueString(),
	}
	if fullyKnown(m.SubnetIDs) {
		diags.Append(m.SubnetIDs.ElementsAs(ctx, &s.SubnetIDs, false)...)
	}
	s.SubnetAddresses, _ = addressesBySubnet(subnetConfigEntries(ctx, m.SubnetConfiguration, diags))
	if fullyKnown(m.SecurityGroupIDs) && !m.SecurityGroupIDs.IsNull() {
		s.SecurityGroupIDs = []string{}
		diags.Append(m.SecurityGroupIDs.ElementsAs(ctx, &s.SecurityGroupIDs, false)...)
	}
	if !m.TagsAll.IsUnknown() && !m.TagsAll.IsNull() {
		diags.Append(m.TagsAll.ElementsAs(ctx, &s.Tags, false)...)
	}
	return s
}

// fullyKnown reports whether a set and all its elements are known.
func fullyKnown(s fwtypes.Set) bool {
	if s.IsUnknown() {
		return false
	}
	for _, e := range s.Elements() {
		if e.IsUnknown() {
			return false
		}
	}
	return true
}

// setView fills the model from what EC2 reports. tags keeps its null or
// empty shape from the prior model.
func (m *endpointModel) setView(ctx context.Context, v endpointView, defaultTags map[string]string, diags *diag.Diagnostics) {
	m.ID = fwtypes.StringValue(v.ID)
	m.ServiceName = fwtypes.StringValue(v.ServiceName)
	m.ServiceRegion = optionalString(v.ServiceRegion)
	m.VpcID = fwtypes.StringValue(v.VpcID)
	m.SubnetIDs = stringSet(ctx, v.SubnetIDs, diags)
	m.SecurityGroupIDs = stringSet(ctx, v.SecurityGroupIDs, diags)
	m.PrivateDNSEnabled = fwtypes.BoolValue(v.PrivateDNSEnabled)
	m.IPAddressType = fwtypes.StringValue(v.IPAddressType)
	m.DNSRecordIPType = fwtypes.StringValue(v.DNSRecordIPType)
	m.Tags = resourceTags(ctx, v.Tags, defaultTags, m.Tags, diags)
	m.TagsAll = stringMap(ctx, v.Tags, diags)
	m.State = fwtypes.StringValue(v.State)
	m.OwnerID = fwtypes.StringValue(v.OwnerID)
	m.NetworkInterfaceIDs = stringList(ctx, v.NetworkInterfaceIDs, diags)
	m.PrivateIPs = stringList(ctx, v.PrivateIPs, diags)
	entries, d := fwtypes.ListValueFrom(ctx, dnsEntryType, nonNil(v.DNSEntries))
	diags.Append(d...)
	m.DNSEntries = entries
	m.RegionalDNSName = fwtypes.StringValue(v.RegionalDNSName)
	m.ZonalDNSNames = stringMap(ctx, v.ZonalDNSNames, diags)
	m.PrivateDNSName = optionalString(v.PrivateDNSName)
	m.RemoteExecutor = optionalString(remoteExecutor(v.PrivateDNSName))
}

// ---- Schema ----

func (r *endpointResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_privatelink_endpoint"
}

func (r *endpointResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	stable := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	computed := func(desc string, mods ...planmodifier.String) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, Description: desc, PlanModifiers: mods}
	}
	resp.Schema = schema.Schema{
		Description: "An Interface VPC endpoint to an EngFlow cluster's endpoint service: verifies the service, creates the " +
			"endpoint in your subnets and security groups, waits until it is available and turns on private DNS, so that " +
			"Bazel clients in the VPC reach the cluster at its private name. Changing subnets, security groups, private " +
			"DNS or tags updates the endpoint in place.",
		Attributes: map[string]schema.Attribute{
			"id": computed("The endpoint ID, `vpce-...`.", stable...),
			"region": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Description: "The AWS Region of the VPC, where the endpoint is made. Changing it replaces the endpoint. " +
					DefaultsToProviderRegion,
				Validators: []validator.String{regionName},
			},
			"service_name": schema.StringAttribute{
				Required:      true,
				Description:   "The endpoint service name EngFlow gave you, `com.amazonaws.vpce.<region>.vpce-svc-<hex>`. Changing it replaces the endpoint.",
				Validators:    []validator.String{serviceNameShape},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"service_region": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Description: "The AWS Region of the EngFlow service, as its name says (`com.amazonaws.vpce.<region>...`). When it is " +
					"not the endpoint's `region`, the endpoint connects across Regions (cross-Region PrivateLink, which EngFlow " +
					"must enable for the endpoint's Region). Optional: if given, it must agree with `service_name`.",
				// No RequiresReplace: a new service_name replaces the endpoint, and this must agree with it.
				Validators: []validator.String{regionName},
			},
			"vpc_id": schema.StringAttribute{
				Required:      true,
				Description:   "The VPC where the Bazel clients run, `vpc-...`. Changing it replaces the endpoint.",
				Validators:    []validator.String{vpcID.validator()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"subnet_ids": schema.SetAttribute{
				Required:    true,
				ElementType: fwtypes.StringType,
				Description: "Subnets for the endpoint's network interfaces: at least one, at most one per Availability Zone, in zones " +
					"the service is offered in (the `engflow_privatelink_service` data source lists them). Two or three zones keep " +
					"builds going when one fails.",
				Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(subnetID.validator())},
			},
			"subnet_configuration": subnetConfigurationSchema(),
			"security_group_ids": schema.SetAttribute{
				Optional:    true,
				Computed:    true,
				ElementType: fwtypes.StringType,
				Description: "Security groups of the endpoint's network interfaces; they must let the Bazel clients in on TCP 443. " +
					"When omitted, AWS attaches the VPC's default security group.",
				Validators:    []validator.Set{setvalidator.ValueStringsAre(groupID.validator())},
				PlanModifiers: []planmodifier.Set{setplanmodifier.UseStateForUnknown()},
			},
			"private_dns_enabled": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
				Description: "Whether the service's private DNS name (such as `<cluster>.cluster.engflow.com`) resolves to this " +
					"endpoint inside the VPC. Defaults to true. For a service that requires acceptance it is turned on once EngFlow " +
					"has accepted the connection. Toggling it updates the endpoint in place.",
			},
			"ip_address_type": schema.StringAttribute{
				Optional:      true,
				Computed:      true,
				Description:   "`ipv4`, `dualstack` or `ipv6`, as the service supports. Defaults to what AWS picks (`ipv4`).",
				Validators:    []validator.String{stringvalidator.OneOf("ipv4", "dualstack", "ipv6")},
				PlanModifiers: stable,
			},
			"dns_record_ip_type": schema.StringAttribute{
				Optional:      true,
				Computed:      true,
				Description:   "DNS records to create: `ipv4`, `dualstack`, `ipv6` or `service-defined`. Defaults to what AWS picks.",
				Validators:    []validator.String{stringvalidator.OneOf("ipv4", "dualstack", "ipv6", "service-defined")},
				PlanModifiers: stable,
			},
			"tags": schema.MapAttribute{
				Optional:    true,
				ElementType: fwtypes.StringType,
				Description: "Tags of the endpoint, merged over the provider's `default_tags`.",
			},
			"tags_all": schema.MapAttribute{
				Computed:    true,
				ElementType: fwtypes.StringType,
				Description: "All tags of the endpoint, `default_tags` included.",
			},
			"state":    computed("The endpoint's state as AWS reports it: `available`, `pendingAcceptance`, `pending`, ..."),
			"owner_id": computed("AWS account that owns the endpoint.", stable...),
			"network_interface_ids": schema.ListAttribute{Computed: true, ElementType: fwtypes.StringType,
				Description:   "The endpoint's network interfaces, one per subnet, sorted.",
				PlanModifiers: []planmodifier.List{followsInterfaces}},
			"private_ips": schema.ListAttribute{Computed: true, ElementType: fwtypes.StringType,
				Description:   "Private IPs of the network interfaces, in the order of `network_interface_ids`. The private DNS name resolves to these inside the VPC.",
				PlanModifiers: []planmodifier.List{followsInterfaces}},
			"dns_entries": schema.ListNestedAttribute{
				Computed: true,
				Description: "Every DNS name of the endpoint, sorted by `dns_name` (AWS lists them in no particular order). " +
					"The service's private name appears once the endpoint is available with private DNS on.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"dns_name":       schema.StringAttribute{Computed: true, Description: "The DNS name."},
					"hosted_zone_id": schema.StringAttribute{Computed: true, Description: "The Route 53 hosted zone of the name."},
				}},
			},
			"regional_dns_name": computed("The endpoint's Region-wide DNS name, `vpce-...vpce.amazonaws.com`.", stable...),
			"zonal_dns_names": schema.MapAttribute{Computed: true, ElementType: fwtypes.StringType,
				Description:   "The endpoint's DNS name in each Availability Zone, by zone name.",
				PlanModifiers: []planmodifier.Map{followsSubnets}},
			"private_dns_name": computed("The service's private DNS name, for example `<cluster>.cluster.engflow.com`; "+
				"null when the service offers none.", stable...),
			"remote_executor": computed("The value for Bazel's `--remote_executor`: `grpcs://<private_dns_name>`. Null when the "+
				"service offers no private DNS name: then point Bazel at the endpoint's `regional_dns_name`, or ask EngFlow for "+
				"the cluster's private name.", stable...),
		},
		Blocks: map[string]schema.Block{
			"timeouts": TimeoutsBlock(ctx, defaultTimeout),
		},
	}
}

// nullTimeouts is the timeouts block left out, for states the provider
// makes without a configuration (a move, a query's result).
func nullTimeouts() timeouts.Value {
	return timeouts.Value{Object: fwtypes.ObjectNull(map[string]attr.Type{
		"create": fwtypes.StringType, "update": fwtypes.StringType, "delete": fwtypes.StringType})}
}

func (r *endpointResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.configure(req.ProviderData, &resp.Diagnostics)
}

// ---- Plan ----

// followsSubnets keeps what only a change of subnets can change;
// followsInterfaces what a changed fixed address changes too (EC2 replaces
// the subnet's network interface).
var (
	followsSubnets    = useStateUnlessChanged("subnet_ids")
	followsInterfaces = useStateUnlessChanged("subnet_ids", "subnet_configuration")
)

func (r *endpointResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	resp.Diagnostics.Append(validateServiceRegion(ctx, req.Config)...)
	resp.Diagnostics.Append(validateSubnetConfigAttrs(ctx, req.Config)...)
}

func (r *endpointResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.regions == nil {
		return // destroy, or the provider is not configured yet
	}
	region, diags := PlanRegion(ctx, req, resp, r.regions.Default())
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || region == "" {
		return // checked once known
	}
	o := r.in(region)
	var name fwtypes.String
	resp.Diagnostics.Append(resp.Plan.GetAttribute(ctx, path.Root("service_name"), &name)...)
	if !name.IsUnknown() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("service_region"), optionalString(serviceRegionOf(name.ValueString(), "")))...)
	}
	var tags fwtypes.Map
	resp.Diagnostics.Append(resp.Plan.GetAttribute(ctx, path.Root("tags"), &tags)...)
	if !tags.IsUnknown() && !resp.Diagnostics.HasError() {
		var own map[string]string
		resp.Diagnostics.Append(tags.ElementsAs(ctx, &own, false)...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("tags_all"), mergeTags(o.client.defaultTags, own))...)
		resp.Diagnostics.Append(unknownWhileUpdating(ctx, req.State, &resp.Plan)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	keepStateWhenNothingChanges(req.Config, req.State, &resp.Plan)
	change, diags := r.planChange(ctx, req, resp.Plan)
	resp.Diagnostics.Append(diags...)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(checkPlan(ctx, o.client, change)...)
	}
	if !req.State.Raw.IsNull() && !change.creating {
		resp.Diagnostics.Append(planAddressWarnings(ctx, req.State, resp.Plan)...)
	}
}

// unknownWhileUpdating marks what AWS changes by itself (state,
// dns_entries) unknown when tags_all alone makes the plan an update: the
// framework does so when the configuration changes, but not when
// ModifyPlan does (a changed default_tags, a creation marker to remove),
// and an endpoint still pending at plan time is available after the apply.
func unknownWhileUpdating(ctx context.Context, state tfsdk.State, plan *tfsdk.Plan) diag.Diagnostics {
	var diags diag.Diagnostics
	if state.Raw.IsNull() {
		return diags
	}
	var before, after fwtypes.Map
	diags.Append(state.GetAttribute(ctx, path.Root("tags_all"), &before)...)
	diags.Append(plan.GetAttribute(ctx, path.Root("tags_all"), &after)...)
	if diags.HasError() || after.Equal(before) {
		return diags
	}
	diags.Append(plan.SetAttribute(ctx, path.Root("state"), fwtypes.StringUnknown())...)
	diags.Append(plan.SetAttribute(ctx, path.Root("dns_entries"), fwtypes.ListUnknown(dnsEntryType))...)
	return diags
}

// planChange works out what a plan changes, for checkPlan; planned is the
// plan as ModifyPlan has filled it in so far (tags_all).
func (r *endpointResource) planChange(ctx context.Context, req resource.ModifyPlanRequest, planned tfsdk.Plan) (planChange, diag.Diagnostics) {
	var diags diag.Diagnostics
	var plan, state endpointModel
	var configGroups fwtypes.Set
	diags.Append(planned.Get(ctx, &plan)...)
	diags.Append(req.Config.GetAttribute(ctx, path.Root("security_group_ids"), &configGroups)...)
	if !req.State.Raw.IsNull() {
		diags.Append(req.State.Get(ctx, &state)...)
	}
	if diags.HasError() {
		return planChange{}, diags
	}
	// A changed service or VPC replaces the endpoint: check it as a new one.
	creating := req.State.Raw.IsNull() || !plan.ServiceName.Equal(state.ServiceName) || !plan.VpcID.Equal(state.VpcID)
	c := planChange{
		spec:           plan.spec(ctx, &diags),
		creating:       creating,
		subnetsOK:      fullyKnown(plan.SubnetIDs),
		groupsOK:       fullyKnown(plan.SecurityGroupIDs) && !plan.SecurityGroupIDs.IsNull(),
		serviceChanged: creating,
		subnetsChanged: creating || !plan.SubnetIDs.Equal(state.SubnetIDs),
		groupsChanged:  creating || !plan.SecurityGroupIDs.Equal(state.SecurityGroupIDs),
		dnsTurnedOn:    plan.PrivateDNSEnabled.ValueBool() && (creating || !state.PrivateDNSEnabled.ValueBool()),
		ipTypeChanged:  !plan.IPAddressType.IsUnknown() && (creating || !plan.IPAddressType.Equal(state.IPAddressType)),
		addressesChanged: !plan.SubnetConfiguration.IsNull() &&
			(creating || !plan.SubnetConfiguration.Equal(state.SubnetConfiguration) || !plan.SubnetIDs.Equal(state.SubnetIDs)),
	}
	if !req.State.Raw.IsNull() {
		c.selfID = state.ID.ValueString()
		if m, ok := state.TagsAll.Elements()[creationMarkerKey].(fwtypes.String); ok {
			c.selfMarker = m.ValueString()
		}
	}
	if plan.ServiceName.IsUnknown() || plan.VpcID.IsUnknown() {
		c.spec.ServiceName, c.spec.VpcID = "", "" // checked once known
	}
	if !configGroups.IsNull() {
		c.spec.SecurityGroupIDs = nonNil(c.spec.SecurityGroupIDs) // given, even if unknown yet: no warning
	}
	return c, diags
}

// ---- Create ----

// privateCreatedAt is the private-state key holding when the endpoint was
// created: for that long (propagationTimeout) a not-found answer may only be
// EC2 lagging, not the endpoint gone.
const privateCreatedAt = "created_at"

func (r *endpointResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan endpointModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	o := r.in(plan.Region.ValueString())
	timeout, d := plan.Timeouts.Create(ctx, defaultTimeout)
	resp.Diagnostics.Append(d...)
	spec := plan.spec(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	spec.ServiceRegion = remoteRegion(spec.ServiceName, o.client.region)

	// Verify the service: it must exist, be offered to this account and be an Interface service.
	svc, err := cachedService(ctx, o.client, spec.ServiceName)
	if err != nil {
		resp.Diagnostics.Append(serviceLookupDiagnostic(ctx, o.client, spec.ServiceName, err))
		return
	}
	if t := serviceTypeOf(svc); t != string(types.ServiceTypeInterface) {
		resp.Diagnostics.AddAttributeError(path.Root("service_name"), "Not an Interface endpoint service",
			fmt.Sprintf("%s is a %s service; EngFlow services are Interface services. Check the name EngFlow gave you.", spec.ServiceName, t))
		return
	}
	acceptance := aws.ToBool(svc.AcceptanceRequired)
	out, err := o.client.ec2.CreateVpcEndpoint(ctx, createInput(spec, acceptance, processID))
	if isPrivateDNSConflict(err) {
		err = o.nameHeld(ctx, spec, err)
	}
	if err != nil {
		resp.Diagnostics.Append(createFailure(ctx, o.client, spec, svc, err))
		return
	}
	created := out.VpcEndpoint
	id := aws.ToString(created.VpcEndpointId)
	tflog.Info(ctx, "created VPC endpoint", map[string]any{"id": id, "state": string(created.State)})
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateCreatedAt, createdAtJSON(created))...)
	privateDNSName := aws.ToString(svc.PrivateDnsName)

	// The create asks for private DNS only when no acceptance is needed.
	asked := spec
	asked.PrivateDNSEnabled = spec.PrivateDNSEnabled && !acceptance
	watch := newCreateWatch(o.client, spec, *created)
	ep, err := awaitSettled(ctx, watch.look, o.poller.notBefore(createSettle), id, &asked)
	// The plan cannot show the marker, so the state does not either; an
	// unfinished create keeps it in AWS, and the next plan removes it.
	ep = unmarked(firstNonNil(ep, created))
	if earlier := watch.earlier(time.Now()); err == nil && len(earlier) > 0 {
		if !o.giveWay(ctx, id, earlier, &resp.Diagnostics) {
			// Deleting it failed: keep it in the state, tainted by the error, rather than lose it.
			o.save(ctx, &resp.State, resp.Identity, plan, ep, privateDNSName, false, &resp.Diagnostics)
		}
		return
	}
	if err == nil && spec.PrivateDNSEnabled && acceptance && stateIs(ep.State, "available") {
		ep, err = o.modifyAndWait(ctx, ep, &ec2.ModifyVpcEndpointInput{VpcEndpointId: &id, PrivateDnsEnabled: aws.Bool(true)}, spec)
		ep = unmarked(ep)
	}
	if err == nil {
		o.removeMarker(ctx, resp.Private, id, &resp.Diagnostics)
	}
	switch {
	case errors.Is(err, errWaitInterrupted):
		// Keep the endpoint, untainted: it is what the plan asked for, and AWS finishes it on its own.
		o.save(ctx, &resp.State, resp.Identity, plan, ep, privateDNSName, false, &resp.Diagnostics)
		resp.Diagnostics.Append(diag.NewAttributeWarningDiagnostic(path.Root("id"), fmt.Sprintf("Stopped waiting for %s", id),
			fmt.Sprintf("Terraform was interrupted while %s was being set up. It is saved in the state; the next plan reads how far AWS got.", id)))
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("private_dns_enabled"), plan.PrivateDNSEnabled)...)
	case err != nil:
		// Keep the endpoint in state (Terraform marks it tainted) rather than lose it in AWS.
		o.save(ctx, &resp.State, resp.Identity, plan, ep, privateDNSName, false, &resp.Diagnostics)
		resp.Diagnostics.Append(waitFailure("create", id, err, spec))
	default:
		o.save(ctx, &resp.State, resp.Identity, plan, ep, privateDNSName, true, &resp.Diagnostics)
		o.noteAwaitingAcceptance(ctx, &resp.State, plan, ep, &resp.Diagnostics)
	}
}

// nameHeld follows EC2's refusal of this create's private DNS name: it
// looks, for up to conflictSearch, for the endpoint of the VPC and service
// that holds the name (EC2's lists lag behind its own checks), so that the
// error can name it. Nothing was created.
func (o endpointOps) nameHeld(ctx context.Context, s endpointSpec, refused error) error {
	searchCtx, cancel := context.WithTimeout(ctx, conflictSearch)
	defer cancel()
	var holder *types.VpcEndpoint
	_ = o.poller.retry(searchCtx, func(ctx context.Context) (bool, error) {
		eps, err := findEndpointsOfService(ctx, o.client, s.VpcID, s.ServiceName)
		for i := range eps {
			if aws.ToBool(eps[i].PrivateDnsEnabled) {
				holder = &eps[i]
			}
		}
		return holder != nil, err
	})
	if holder == nil {
		return refused
	}
	return &nameHeldError{refused: refused, holder: *holder}
}

// createdAtJSON is the private-state value for when ep was created.
func createdAtJSON(ep *types.VpcEndpoint) []byte {
	at := time.Now().UTC()
	if ep.CreationTimestamp != nil {
		at = ep.CreationTimestamp.UTC()
	}
	b, _ := json.Marshal(at) // a time always marshals
	return b
}

// privateState is the framework's private state of a resource, as the
// requests and responses of every method carry it.
type privateState interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
	SetKey(context.Context, string, []byte) diag.Diagnostics
}

// propagationLeft is how much of propagationTimeout is left since the
// endpoint was created, as private state records it: while it is positive,
// a not-found answer may be EC2 lagging. Zero or less when not recorded.
func propagationLeft(ctx context.Context, private privateState) time.Duration {
	raw, diags := private.GetKey(ctx, privateCreatedAt)
	var at time.Time
	if diags.HasError() || len(raw) == 0 || json.Unmarshal(raw, &at) != nil {
		return 0
	}
	return propagationTimeout - time.Since(at)
}

// ---- Read ----

func (r *endpointResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state endpointModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	o := r.in(state.Region.ValueString()) // null in states of older versions: the provider's
	id := state.ID.ValueString()
	if !endpointID.valid(id) { // a hand-edited state: EC2 would answer as for an endpoint long gone
		resp.Diagnostics.AddAttributeError(path.Root("id"), "The state holds no VPC endpoint ID",
			fmt.Sprintf("The state's id %q is not %s. Remove the resource from the state (terraform state rm <address>) "+
				"and import the endpoint:\n  %s", id, endpointID.expected(), importHint(endpointID.example())))
		return
	}
	// Even when the endpoint turns out gone and leaves the state: the
	// framework wants an identity after every read, and states of older
	// versions have none (terraform-provider-aws 46964).
	setIdentity(ctx, resp.Identity, id, o.client.region, &resp.Diagnostics)
	// Just created (or imported): EC2 may not show it everywhere yet.
	ep, err := findEndpointEventually(ctx, o.client, o.poller, id, propagationLeft(ctx, req.Private))
	if isNotFound(err) {
		resp.Diagnostics.AddWarning(fmt.Sprintf("EngFlow PrivateLink endpoint %s no longer exists", id),
			"It was deleted outside Terraform. Terraform removed it from the state, and the next plan creates a new one.")
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Reading EngFlow PrivateLink endpoint %s failed", id), err.Error())
		return
	}
	privateDNSName := state.PrivateDNSName.ValueString()
	if state.ServiceName.ValueString() != aws.ToString(ep.ServiceName) {
		// Only after import (state holds just the ID): the service's private
		// name never changes under an endpoint, and may rightly be null.
		svc, err := cachedService(ctx, o.client, aws.ToString(ep.ServiceName))
		if err != nil {
			resp.Diagnostics.Append(serviceLookupDiagnostic(ctx, o.client, aws.ToString(ep.ServiceName), err))
			return
		}
		privateDNSName = aws.ToString(svc.PrivateDnsName)
	}
	if markerRemoved(ctx, req.Private) {
		ep = unmarked(ep) // a read from before the removal
	}
	o.save(ctx, &resp.State, resp.Identity, state, ep, privateDNSName, true, &resp.Diagnostics)
}

// ---- Update ----

func (r *endpointResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state endpointModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	timeout, d := plan.Timeouts.Update(ctx, defaultTimeout)
	resp.Diagnostics.Append(d...)
	want, current := plan.spec(ctx, &resp.Diagnostics), state.spec(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	o := r.in(plan.Region.ValueString()) // a changed Region replaces
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	id := state.ID.ValueString()

	// Only an endpoint created moments ago may be unknown to EC2 for a while.
	ep, err := findEndpointEventually(ctx, o.client, o.poller, id, propagationLeft(ctx, req.Private))
	if err == nil {
		ep, err = o.applyChanges(ctx, ep, current, want)
	}
	if err != nil {
		resp.Diagnostics.Append(waitFailure("update", id, err, want))
		return
	}
	if err := updateTags(ctx, o.client.ec2, id, current.Tags, want.Tags); err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Updating the tags of EngFlow PrivateLink endpoint %s failed", id), err.Error())
		return
	}
	if _, had := current.Tags[creationMarkerKey]; had {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateMarkerRemoved, []byte("true"))...)
	}
	ep.Tags = ec2Tags(want.Tags) // what updateTags just set; saves a describe call
	o.save(ctx, &resp.State, resp.Identity, plan, ep, state.PrivateDNSName.ValueString(), true, &resp.Diagnostics)
	o.noteAwaitingAcceptance(ctx, &resp.State, plan, ep, &resp.Diagnostics)
}

// applyChanges makes one ModifyVpcEndpoint for everything but tags. Private
// DNS needs EngFlow's acceptance first: while the endpoint still awaits it,
// the other changes are applied and private DNS is left to a later apply.
func (o endpointOps) applyChanges(ctx context.Context, ep *types.VpcEndpoint, current, want endpointSpec) (*types.VpcEndpoint, error) {
	id := aws.ToString(ep.VpcEndpointId)
	if want.PrivateDNSEnabled && !current.PrivateDNSEnabled && !stateIs(ep.State, "available") {
		settled, err := waitForEndpointSettled(ctx, o.client, o.poller, id, nil)
		if err != nil {
			return firstNonNil(settled, ep), err
		}
		ep = settled
		if !stateIs(ep.State, "available") {
			want.PrivateDNSEnabled = current.PrivateDNSEnabled
		}
	}
	addresses, err := o.addressChanges(ctx, ep, current, &want)
	if err != nil {
		return ep, err
	}
	in := modifyInput(id, current, want, addresses)
	if in == nil {
		return ep, nil
	}
	return o.modifyAndWait(ctx, ep, in, want)
}

// addressChanges is what a modify sends for the fixed addresses, judged by
// what the endpoint's interfaces hold now (after an import, or a change
// outside Terraform, the state may not say); it notes in want the
// interfaces EC2 replaces. An update that changes neither the addresses
// nor the subnets (tags only, say) sends none and reads no interface: Read
// keeps the state's addresses in step with the interfaces.
func (o endpointOps) addressChanges(ctx context.Context, ep *types.VpcEndpoint, current endpointSpec, want *endpointSpec) ([]types.SubnetConfiguration, error) {
	unchanged := maps.Equal(current.SubnetAddresses, want.SubnetAddresses) &&
		len(difference(want.SubnetIDs, current.SubnetIDs))+len(difference(current.SubnetIDs, want.SubnetIDs)) == 0
	if len(want.SubnetAddresses) == 0 || unchanged {
		return nil, nil
	}
	held := map[string]interfaceAddresses{}
	if len(ep.NetworkInterfaceIds) > 0 {
		found, err := o.client.enis.getAll(ctx, ep.NetworkInterfaceIds)
		if err != nil {
			return nil, fmt.Errorf("reading the network interfaces of %s: %w", aws.ToString(ep.VpcEndpointId), err)
		}
		for id, ni := range found {
			held[id] = newInterfaceAddresses(ni)
		}
	}
	configs, replaced := addressChanges(want.SubnetAddresses, bySubnet(held))
	want.GoneInterfaces = replaced
	return configs, nil
}

// modifyAndWait applies one ModifyVpcEndpoint and waits until the endpoint
// is available again and shows want: EC2 may describe it as it was for a
// while after the call. It returns the latest description it has, even on
// error.
func (o endpointOps) modifyAndWait(ctx context.Context, ep *types.VpcEndpoint, in *ec2.ModifyVpcEndpointInput, want endpointSpec) (*types.VpcEndpoint, error) {
	if err := modifyEndpoint(ctx, o.client.ec2, o.poller, in); err != nil {
		return ep, fmt.Errorf("modifying %s: %w", aws.ToString(in.VpcEndpointId), err)
	}
	next, err := waitForEndpointSettled(ctx, o.client, o.poller, aws.ToString(in.VpcEndpointId), &want)
	return firstNonNil(next, ep), err
}

func firstNonNil(a, b *types.VpcEndpoint) *types.VpcEndpoint {
	if a != nil {
		return a
	}
	return b
}

// ---- Delete ----

func (r *endpointResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state endpointModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	timeout, d := state.Timeouts.Delete(ctx, defaultTimeout)
	resp.Diagnostics.Append(d...)
	var eniIDs []string
	resp.Diagnostics.Append(state.NetworkInterfaceIDs.ElementsAs(ctx, &eniIDs, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	o := r.in(state.Region.ValueString())
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	id := state.ID.ValueString()

	if err := deleteEndpoint(ctx, o.client, o.poller, id, propagationLeft(ctx, req.Private) > 0); err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Deleting EngFlow PrivateLink endpoint %s failed", id), err.Error())
		return
	}
	// Wait for the network interfaces too: until they are gone, the
	// subnets and security groups cannot be deleted in the same apply.
	if err := waitForEndpointGone(ctx, o.client, o.poller, id, eniIDs); err != nil {
		resp.Diagnostics.Append(waitFailure("delete", id, err, endpointSpec{}))
	}
}

// deleteEndpoint calls DeleteVpcEndpoints, which reports failures per
// endpoint in Unsuccessful rather than as an error. Not found means done,
// except for an endpoint created moments ago that EC2 may not show yet:
// unless a describe says it is deleted, the call is repeated until EC2
// knows the endpoint or propagationTimeout passes.
func deleteEndpoint(ctx context.Context, c *Client, p poller, id string, recentlyCreated bool) error {
	started := p.clock.Now()
	return p.retry(ctx, func(ctx context.Context) (bool, error) {
		out, err := c.ec2.DeleteVpcEndpoints(ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: []string{id}})
		code := errorCode(err)
		if err == nil {
			for _, u := range out.Unsuccessful {
				if u.Error != nil {
					code, err = aws.ToString(u.Error.Code), fmt.Errorf("AWS refused: %s: %s", aws.ToString(u.Error.Code), aws.ToString(u.Error.Message))
				}
			}
		}
		switch {
		case err == nil:
			return true, nil
		case !isEndpointNotFoundCode(code):
			return false, err
		case !recentlyCreated || p.clock.Now().Sub(started) >= propagationTimeout:
			return true, nil
		}
		ep, findErr := findEndpointByID(ctx, c, id)
		gone := (isNotFound(findErr) && !mayBeLagging(findErr)) || (findErr == nil && stateIs(ep.State, "deleting", "deleted"))
		return gone, nil
	})
}

// ---- Import ----

// parseImportID accepts an import ID, vpce-<hex> for an endpoint in the
// provider's Region or vpce-<hex>@<region>, trimming the blanks a copy and
// paste brings along.
func parseImportID(raw string) (id, region string, err error) {
	id, region, withRegion := strings.Cut(strings.TrimSpace(raw), "@")
	if !endpointID.valid(id) {
		return "", "", fmt.Errorf("%q is not a VPC endpoint ID. Import with %s, followed by @<region> when the endpoint is "+
			"not in the provider's Region:\n  %s", raw, endpointID.expected(), importHint(endpointID.example()+"@us-west-2"))
	}
	if withRegion && !regionPattern.MatchString(region) {
		return "", "", fmt.Errorf("%q after the @ in %q is not an AWS Region name. Import with:\n  %s", region, raw, importHint(id+"@us-west-2"))
	}
	return id, region, nil
}

// importNotFoundGrace is how long an import tolerates EC2 not showing the
// endpoint: long enough for EC2 leaving a listed endpoint out of an answer
// now and then, short enough that a mistyped ID fails at once.
const importNotFoundGrace = 5 * time.Second

func (r *endpointResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, region, err := importTarget(ctx, req)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error())
		return
	}
	o := r.in(region)
	// A mistyped ID fails within importNotFoundGrace, not after the data
	// source's longer grace; an endpoint made moments ago may need a retry,
	// which the message says.
	ep, err := findEndpointEventually(ctx, o.client, o.poller, id, importNotFoundGrace)
	if err != nil {
		detail := fmt.Sprintf("%s. Check the ID, and that the endpoint is in %s; for another Region import it as %s@<region>.", err, o.client.region, id)
		if mayBeLagging(err) {
			detail += " If it was created moments ago, EC2 may not show it yet: try again in a minute."
		}
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot import VPC endpoint %s", id), detail)
		return
	}
	if ep.VpcEndpointType != types.VpcEndpointTypeInterface {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot import VPC endpoint %s", id),
			fmt.Sprintf("It is a %s endpoint; engflow_privatelink_endpoint manages Interface endpoints only.", ep.VpcEndpointType))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("region"), o.client.region)...)
	setIdentity(ctx, resp.Identity, id, o.client.region, &resp.Diagnostics)
	// The Read that follows may meet EC2 lagging behind a recent create too.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateCreatedAt, createdAtJSON(ep))...)
}

// ---- Shared by the methods above ----

// save sets the state from an endpoint. Private IPs come from base when
// its network interfaces are the endpoint's (an interface's IP never
// changes), so a refresh costs no DescribeNetworkInterfaces call; otherwise
// they are looked up, unless lookupIPs is false (error paths).
func (o endpointOps) save(ctx context.Context, st *tfsdk.State, identity *tfsdk.ResourceIdentity, base endpointModel, ep *types.VpcEndpoint, privateDNSName string, lookupIPs bool, diags *diag.Diagnostics) {
	enis := map[string]interfaceAddresses{}
	if lookupIPs {
		var err error
		if enis, err = privateIPs(ctx, o.client, base, ep); err != nil {
			diags.AddWarning("Reading the endpoint's private IPs failed", err.Error())
		}
	}
	ips := map[string]string{}
	for id, held := range enis {
		ips[id] = held.IPv4
	}
	m := base
	m.Region = fwtypes.StringValue(o.client.region)
	m.setView(ctx, newEndpointView(ep, ips, privateDNSName), o.client.defaultTags, diags)
	if entries := subnetConfigEntries(ctx, base.SubnetConfiguration, diags); len(entries) > 0 {
		set, d := fwtypes.SetValueFrom(ctx, subnetConfigType, readBackSubnetConfigs(entries, ep.SubnetIds, enis))
		diags.Append(d...)
		m.SubnetConfiguration = set
	}
	diags.Append(st.Set(ctx, &m)...)
	setIdentity(ctx, identity, aws.ToString(ep.VpcEndpointId), o.client.region, diags)
}

// privateIPs maps the endpoint's interfaces to their addresses; those
// taken from base have only the primary private IP.
func privateIPs(ctx context.Context, c *Client, base endpointModel, ep *types.VpcEndpoint) (map[string]interfaceAddresses, error) {
	ids := sorted(ep.NetworkInterfaceIds)
	var knownIDs, knownIPs []string
	if !base.PrivateIPs.IsNull() && !base.PrivateIPs.IsUnknown() && !base.NetworkInterfaceIDs.IsUnknown() {
		base.NetworkInterfaceIDs.ElementsAs(ctx, &knownIDs, false)
		base.PrivateIPs.ElementsAs(ctx, &knownIPs, false)
	}
	ips := map[string]interfaceAddresses{}
	if len(knownIDs) == len(ids) && len(knownIPs) == len(ids) && len(difference(ids, knownIDs)) == 0 {
		for i, id := range knownIDs {
			ips[id] = interfaceAddresses{ID: id, IPv4: knownIPs[i]}
		}
		return ips, nil
	}
	if len(ids) == 0 {
		return ips, nil
	}
	found, err := c.enis.getAll(ctx, ids)
	for id, ni := range found {
		ips[id] = newInterfaceAddresses(ni)
	}
	return ips, err
}

// noteAwaitingAcceptance warns when EngFlow has yet to accept the endpoint.
// The state then records private_dns_enabled as planned (Terraform requires
// applied values to match the plan); the next refresh reads the real value
// and the next apply turns private DNS on once the connection is accepted.
func (o endpointOps) noteAwaitingAcceptance(ctx context.Context, st *tfsdk.State, plan endpointModel, ep *types.VpcEndpoint, diags *diag.Diagnostics) {
	if !stateIs(ep.State, "pendingAcceptance") {
		return
	}
	diags.Append(awaitingAcceptance(aws.ToString(ep.VpcEndpointId), aws.ToString(ep.ServiceName)))
	diags.Append(st.SetAttribute(ctx, path.Root("private_dns_enabled"), plan.PrivateDNSEnabled)...)
}
