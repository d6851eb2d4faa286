package shareddns

// Checks at plan time, with read-only calls only: the endpoint (exists,
// private DNS off), each new VPC's DNS attributes, and a spoke VPC that
// already resolves the name through another private zone.

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/engflow/terraform-provider-engflow/internal/privatelink"
)

func (r *sharedDNSResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.r53 == nil {
		return // destroy, or not configured yet
	}
	region, diags := privatelink.PlanRegion(ctx, req, resp, r.region)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || region == "" {
		return // checked once known
	}
	r = r.in(region)
	var plan, state model
	resp.Diagnostics.Append(resp.Plan.Get(ctx, &plan)...)
	creating := req.State.Raw.IsNull()
	if !creating {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.DomainName.IsUnknown() {
		plan.RecordName = plan.DomainName
	}
	// A null alias in the state is a record deleted outside Terraform (Read
	// found none): planning the target back makes the update restore it.
	if id := plan.EndpointID; !id.IsUnknown() && (creating || id != state.EndpointID || state.AliasDNSName.IsNull()) {
		r.planEndpoint(ctx, id.ValueString(), &plan, &resp.Diagnostics)
	} else if id.IsUnknown() {
		plan.AliasDNSName, plan.AliasHostedZoneID = types.StringUnknown(), types.StringUnknown()
	} else {
		plan.AliasDNSName, plan.AliasHostedZoneID = state.AliasDNSName, state.AliasHostedZoneID
	}
	for _, vpc := range newVPCs(ctx, plan, state, creating) {
		at := path.Root("spoke_vpc_ids")
		if creating && vpc == plan.HubVPCID.ValueString() {
			at = path.Root("hub_vpc_id")
		}
		r.planVPC(ctx, at, vpc, plan.DomainName, state.ZoneID.ValueString(), &resp.Diagnostics)
	}
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
	}
}

// newVPCs are the known VPCs the plan associates that the state does not.
func newVPCs(ctx context.Context, plan, state model, creating bool) []string {
	var vpcs []string
	if creating && !plan.HubVPCID.IsUnknown() {
		vpcs = append(vpcs, plan.HubVPCID.ValueString())
	}
	have := stringsOf(ctx, state.SpokeVPCIDs)
	for _, id := range stringsOf(ctx, plan.SpokeVPCIDs) {
		if !slices.Contains(have, id) && !slices.Contains(vpcs, id) {
			vpcs = append(vpcs, id)
		}
	}
	return vpcs
}

// planEndpoint checks the hub endpoint and puts its alias target in the plan.
func (r *sharedDNSResource) planEndpoint(ctx context.Context, id string, plan *model, diags *diag.Diagnostics) {
	at := path.Root("endpoint_id")
	ep, err := r.endpoint(ctx, id)
	if err != nil {
		diags.AddAttributeError(at, "Hub endpoint not found", err.Error()+
			". Name an existing endpoint (engflow_privatelink_endpoint.<name>.id) in the provider's Region.")
		return
	}
	if d := checkEndpoint(ep); d != "" {
		diags.AddAttributeError(at, "Hub endpoint has private DNS on", d)
		return
	}
	if t, err := targetOf(ep); err == nil {
		plan.AliasDNSName, plan.AliasHostedZoneID = types.StringValue(t.DNSName), types.StringValue(t.HostedZoneID)
	} else {
		plan.AliasDNSName, plan.AliasHostedZoneID = types.StringUnknown(), types.StringUnknown()
	}
}

// checkEndpoint is why ep cannot be the hub, or "".
func checkEndpoint(ep ec2types.VpcEndpoint) string {
	if !aws.ToBool(ep.PrivateDnsEnabled) {
		return ""
	}
	id := aws.ToString(ep.VpcEndpointId)
	return fmt.Sprintf("%s has private_dns_enabled = true. Its private DNS already answers the cluster's name in its own VPC "+
		"%s through a private hosted zone AWS manages, and only there; the shared zone would be a second private zone for the same "+
		"name in that VPC (EC2 refuses the reverse with \"private-dns-enabled cannot be set because there is already a conflicting "+
		"DNS domain\"). Set private_dns_enabled = false on the hub endpoint: the shared zone then serves the hub VPC and every spoke.",
		id, aws.ToString(ep.VpcId))
}

// planVPC checks one VPC the plan associates with the zone.
func (r *sharedDNSResource) planVPC(ctx context.Context, at path.Path, vpc string, domain types.String, ownZone string, diags *diag.Diagnostics) {
	support, hostnames, err := r.ec2.VPCDNSAttributes(ctx, vpc)
	if err != nil {
		diags.AddAttributeError(at, "Checking VPC "+vpc+" failed", err.Error())
		return
	}
	if d := checkVPCDNS(vpc, support, hostnames); d != "" {
		diags.AddAttributeError(at, "VPC "+vpc+" cannot use a private hosted zone", d)
	}
	if domain.IsUnknown() {
		return
	}
	zones, err := r.zonesOfVPC(ctx, vpc)
	if err != nil {
		diags.AddAttributeError(at, "Listing the private hosted zones of "+vpc+" failed", err.Error())
		return
	}
	switch zone, d := checkConflict(vpc, domain.ValueString(), ownZone, zones); {
	case d == "":
	case at.Equal(path.Root("hub_vpc_id")) && r.madeHere(ctx, zone):
		// Most likely the zone this plan replaces (tainted, -replace):
		// Terraform plans a replacement as a create and deletes the old
		// zone first, so the plan cannot see that it is its own.
		diags.AddAttributeWarning(at, "VPC "+vpc+" already resolves "+domain.ValueString()+" privately",
			fmt.Sprintf("%s is already associated with private hosted zone %s for %s, which engflow_privatelink_shared_dns "+
				"made. If it is the zone this plan replaces (a tainted resource, -replace), it is deleted first and all is "+
				"well. If not, Route 53 will refuse the new zone (ConflictingDomainExists): import that zone instead, "+
				"terraform import <address> %s.", vpc, zone, domain.ValueString(), zone))
	default:
		diags.AddAttributeError(at, "VPC "+vpc+" already resolves "+domain.ValueString()+" privately", d)
	}
}

// madeHere reports whether this resource made the zone (its caller
// reference says so); false when Route 53 cannot tell.
func (r *sharedDNSResource) madeHere(ctx context.Context, zoneID string) bool {
	hz, err := r.getZone(ctx, zoneID)
	return err == nil && strings.HasPrefix(aws.ToString(hz.HostedZone.CallerReference), callerReferencePrefix)
}

// zonesOfVPC lists the private hosted zones vpc uses, page by page (the
// SDK has no paginator for ListHostedZonesByVPC; a page holds at most
// MaxItems zones and NextToken leads on).
func (r *sharedDNSResource) zonesOfVPC(ctx context.Context, vpc string) ([]r53types.HostedZoneSummary, error) {
	in := &route53.ListHostedZonesByVPCInput{VPCId: aws.String(vpc), VPCRegion: r53types.VPCRegion(r.region)}
	var all []r53types.HostedZoneSummary
	for {
		out, err := r.r53.ListHostedZonesByVPC(ctx, in)
		if err != nil {
			return nil, err
		}
		all = append(all, out.HostedZoneSummaries...)
		if aws.ToString(out.NextToken) == "" {
			return all, nil
		}
		in.NextToken = out.NextToken
	}
}

// checkVPCDNS: AWS documents that private hosted zones need both VPC
// attributes true (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html).
// The plan check and the hub's health check say it alike.
func checkVPCDNS(vpc string, support, hostnames bool) string {
	var missing []string
	if !support {
		missing = append(missing, "enableDnsSupport")
	}
	if !hostnames {
		missing = append(missing, "enableDnsHostnames")
	}
	if len(missing) == 0 {
		return ""
	}
	cmds := ""
	for _, a := range missing { // EC2 takes one attribute per call
		cmds += fmt.Sprintf("\n  aws ec2 modify-vpc-attribute --vpc-id %s --%s '{\"Value\":true}'", vpc, kebab(a))
	}
	return fmt.Sprintf("%s has %s off; a VPC resolves a private hosted zone only with enableDnsSupport and enableDnsHostnames "+
		"both on. Turn them on (enable_dns_support and enable_dns_hostnames on the aws_vpc resource), or run:%s",
		vpc, strings.Join(missing, " and "), cmds)
}

func kebab(attr string) string {
	return map[string]string{"enableDnsSupport": "enable-dns-support", "enableDnsHostnames": "enable-dns-hostnames"}[attr]
}

// checkConflict reports another private zone for domain that vpc already
// uses, and why it is in the way. It is an error, not a warning: AWS
// refuses the association with ConflictingDomainExists, so the apply would
// fail halfway.
func checkConflict(vpc, domain, ownZone string, zones []r53types.HostedZoneSummary) (zone, detail string) {
	for _, z := range zones {
		id := zoneIDOf(aws.ToString(z.HostedZoneId))
		if aws.ToString(z.Name) == fqdn(domain) && id != ownZone {
			return id, fmt.Sprintf("%s is already associated with private hosted zone %s for %s, and Route 53 allows one private zone "+
				"per name in a VPC. Disassociate it (aws route53 disassociate-vpc-from-hosted-zone --hosted-zone-id %s --vpc "+
				"VPCRegion=<region>,VPCId=%s), or import that zone: terraform import <address> %s.", vpc, id, domain, id, vpc, id)
		}
	}
	return "", ""
}
