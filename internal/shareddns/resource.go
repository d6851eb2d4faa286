package shareddns

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/engflow/terraform-provider-engflow/internal/awsregion"
	"github.com/engflow/terraform-provider-engflow/internal/privatelink"
)

type model struct {
	ZoneID            types.String   `tfsdk:"zone_id"`
	EndpointID        types.String   `tfsdk:"endpoint_id"`
	DomainName        types.String   `tfsdk:"domain_name"`
	HubVPCID          types.String   `tfsdk:"hub_vpc_id"`
	SpokeVPCIDs       types.Set      `tfsdk:"spoke_vpc_ids"`
	RecordName        types.String   `tfsdk:"record_name"`
	AliasDNSName      types.String   `tfsdk:"alias_dns_name"`
	AliasHostedZoneID types.String   `tfsdk:"alias_hosted_zone_id"`
	Region            types.String   `tfsdk:"region"`
	Timeouts          timeouts.Value `tfsdk:"timeouts"`
}

// sharedDNSResource works in one Region at a time (see in): its VPCs' and
// its endpoint's.
type sharedDNSResource struct {
	regions *privatelink.Regions // nil in unit tests, which set ec2 and region
	r53     Route53API
	ec2     endpointLookups
	region  string
}

var (
	_ resource.ResourceWithConfigure   = (*sharedDNSResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*sharedDNSResource)(nil)
	_ resource.ResourceWithImportState = (*sharedDNSResource)(nil)
)

// NewResource is engflow_privatelink_shared_dns.
func NewResource() resource.Resource { return &sharedDNSResource{} }

func (r *sharedDNSResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_privatelink_shared_dns"
}

// defaultTimeout bounds a whole create, update or destroy: one Route 53
// change for the zone, one for the record, one per spoke, each waited for
// until INSYNC. AWS says changes usually propagate within 60 seconds.
const defaultTimeout = 30 * time.Minute

func (r *sharedDNSResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		Description: "One EngFlow PrivateLink endpoint serving many VPCs: a Route 53 private hosted zone for the cluster's " +
			"name, with an alias record to the endpoint's regional DNS name, associated with the hub VPC and the spoke VPCs. " +
			"The endpoint's own private DNS must be off. The hub, its endpoint and the spokes are in `region`.",
		Attributes: map[string]schema.Attribute{
			"zone_id": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				Description: "The private hosted zone's ID (import by it)."},
			"endpoint_id": schema.StringAttribute{Required: true, Validators: []validator.String{privatelink.EndpointIDShape()},
				Description: "The hub's `engflow_privatelink_endpoint` (its `id`), with `private_dns_enabled = false`. Changing it repoints the record in place."},
			"domain_name": schema.StringAttribute{Required: true, Validators: domainShape(), PlanModifiers: replace,
				Description: "The cluster's DNS name, for example `acme.cluster.engflow.com`: the zone's name and the record's."},
			"hub_vpc_id": schema.StringAttribute{Required: true, Validators: []validator.String{privatelink.VPCIDShape()}, PlanModifiers: replace,
				Description: "The VPC the zone is created with, usually the endpoint's VPC: AWS needs one VPC to create a private zone."},
			"spoke_vpc_ids": schema.SetAttribute{Optional: true, ElementType: types.StringType,
				Validators:  []validator.Set{setvalidator.ValueStringsAre(privatelink.VPCIDShape())},
				Description: "VPCs that resolve the cluster's name to the hub's endpoint. Added and removed in place."},
			"record_name": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				Description: "The alias record's name, as Route 53 reports it (without the trailing dot)."},
			"alias_dns_name": schema.StringAttribute{Computed: true,
				Description: "The alias target: the endpoint's regional DNS name."},
			"region": schema.StringAttribute{Optional: true, Computed: true, Validators: []validator.String{privatelink.RegionNameShape()},
				Description: "The AWS Region of the hub VPC, its endpoint and the spoke VPCs (Route 53 is global; a VPC association names " +
					"the VPC's Region). Changing it replaces the zone. " + privatelink.DefaultsToProviderRegion},
			"alias_hosted_zone_id": schema.StringAttribute{Computed: true,
				Description: "The hosted zone ID AWS gives the endpoint's DNS names, the alias target's zone."},
		},
		Blocks: map[string]schema.Block{"timeouts": privatelink.TimeoutsBlock(ctx, defaultTimeout)},
	}
}

func (r *sharedDNSResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	rs, ok := req.ProviderData.(*privatelink.Regions)
	if !ok || rs.AWS() == nil {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *privatelink.Regions with AWS access, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return
	}
	c := rs.AWS()
	r.regions, r.r53, r.ec2, r.region = rs, c.Route53(), rs.In(c.Region), c.Region
}

// in is r working in region ("" is the provider's): EC2's look-ups of the
// endpoint and the VPCs, and the VPC associations, are made there.
func (r *sharedDNSResource) in(region string) *sharedDNSResource {
	if r.regions == nil || region == "" || region == r.region {
		return r
	}
	in := *r
	in.ec2, in.region = r.regions.In(region), region
	return &in
}

func (r *sharedDNSResource) zones() zoneOps { return zoneOps{r53: r.r53, region: r.region} }

func (r *sharedDNSResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Create(ctx, defaultTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	r = r.in(plan.Region.ValueString())
	summary := "Creating the shared DNS zone for " + plan.DomainName.ValueString() + " failed"
	target, err := r.aliasOf(ctx, plan.EndpointID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError(summary, err.Error())
		return
	}
	z := r.zones()
	zoneID, err := z.create(ctx, plan.DomainName.ValueString(), plan.HubVPCID.ValueString(), callerReference())
	if zoneID != "" {
		// The zone exists: from here on it is in the state, even if a
		// later step or the wait for this one fails (Terraform then marks
		// it tainted and the next apply or destroy deletes it), so nothing
		// is orphaned.
		plan.ZoneID = types.StringValue(zoneID)
		plan.RecordName = plan.DomainName
		plan.AliasDNSName, plan.AliasHostedZoneID = types.StringValue(target.DNSName), types.StringValue(target.HostedZoneID)
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	}
	if err != nil {
		resp.Diagnostics.AddError(summary, fmt.Sprintf("CreateHostedZone: %s", err))
		return
	}
	if err := z.syncAlias(ctx, zoneID, plan.DomainName.ValueString(), target); err != nil {
		resp.Diagnostics.AddError(summary, fmt.Sprintf("Hosted zone %s was created, but writing the alias record failed: %s. "+
			"It is in the state as tainted: the next terraform apply replaces it, terraform destroy deletes it.", zoneID,
			strings.TrimSuffix(err.Error(), "."))) // AWS's messages end with one
		return
	}
	r.settle(ctx, nil, &plan, summary, &resp.State, &resp.Diagnostics)
}

func (r *sharedDNSResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if gone := r.in(state.Region.ValueString()).read(ctx, &state, &resp.Diagnostics); gone {
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func (r *sharedDNSResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Update(ctx, defaultTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	r = r.in(state.Region.ValueString())
	summary := "Updating the shared DNS zone " + state.ZoneID.ValueString() + " failed"
	zoneID := state.ZoneID.ValueString()
	target, err := r.aliasOf(ctx, plan.EndpointID.ValueString())
	if err == nil {
		err = r.zones().syncAlias(ctx, zoneID, plan.DomainName.ValueString(), target)
	}
	if err != nil {
		resp.Diagnostics.AddError(summary, err.Error())
		return
	}
	plan.ZoneID = state.ZoneID
	r.settle(ctx, stringsOf(ctx, state.SpokeVPCIDs), &plan, summary, &resp.State, &resp.Diagnostics)
}

// settle associates the plan's spokes not in have and disassociates those
// of have not in the plan, then saves what Route 53 reports, also after a
// failure, so that the state says which spokes are associated.
func (r *sharedDNSResource) settle(ctx context.Context, have []string, plan *model, summary string, state *tfsdk.State, diags *diag.Diagnostics) {
	r.changeSpokes(ctx, plan.ZoneID.ValueString(), have, stringsOf(ctx, plan.SpokeVPCIDs), summary, diags)
	r.read(ctx, plan, diags)
	diags.Append(state.Set(ctx, plan)...)
}

func (r *sharedDNSResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := state.Timeouts.Delete(ctx, defaultTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := r.in(state.Region.ValueString()).zones().destroy(ctx, state.ZoneID.ValueString(), state.HubVPCID.ValueString()); err != nil {
		resp.Diagnostics.AddError("Deleting the shared DNS zone "+state.ZoneID.ValueString()+" failed",
			err.Error()+". The zone stays in the state; run terraform destroy again once the cause is fixed.")
	}
}

// ImportState takes the zone ID, followed by @<region> when the hub is not
// in the provider's Region (as the endpoint's import does).
func (r *sharedDNSResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	zoneID, region, withRegion := strings.Cut(strings.TrimSpace(req.ID), "@")
	if withRegion && !awsregion.Pattern.MatchString(region) {
		resp.Diagnostics.AddError("Cannot import the shared DNS zone",
			fmt.Sprintf("%q after the @ in %q is not an AWS Region name. Import with the zone ID, followed by @<region> when "+
				"the hub VPC is not in the provider's Region, for example:\n  terraform import engflow_privatelink_shared_dns.<name> %s@us-west-2",
				region, req.ID, zoneID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("zone_id"), zoneID)...)
	if withRegion {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("region"), region)...)
	}
}

// changeSpokes associates the VPCs of want not in have and disassociates
// those of have not in want.
func (r *sharedDNSResource) changeSpokes(ctx context.Context, zoneID string, have, want []string, summary string, diags *diag.Diagnostics) {
	z := r.zones()
	for _, id := range want {
		if !slices.Contains(have, id) {
			if err := z.associate(ctx, zoneID, id); err != nil {
				diags.AddError(summary, err.Error())
				return
			}
		}
	}
	for _, id := range have {
		if !slices.Contains(want, id) {
			if err := z.disassociate(ctx, zoneID, id); err != nil {
				diags.AddError(summary, err.Error())
				return
			}
		}
	}
}

// callerReferencePrefix marks the zones this resource makes.
const callerReferencePrefix = "engflow-shared-dns-"

// callerReference is unique per Create; the SDK's retries of one call
// reuse it (see zoneOps.create).
func callerReference() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // never fails (crypto/rand documents it)
	return callerReferencePrefix + hex.EncodeToString(b)
}

// getZone is GetHostedZone by the state's zone ID.
func (r *sharedDNSResource) getZone(ctx context.Context, zoneID string) (*route53.GetHostedZoneOutput, error) {
	return r.r53.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(zoneID)})
}
