package privatelink

// Checks at plan time: the resource's ModifyPlan runs them with read-only
// calls (plan_time_lookups.go), before anything is created. The health data
// source's checks are in data_source_health_checks.go and
// health_check_rules.go; what goes wrong at apply is worded in
// apply_diagnostics.go.

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// planChange is what a plan asks of one endpoint, as far as it is known.
// Checks run only for what changes: an unchanged resource costs no call.
type planChange struct {
	spec     endpointSpec
	creating bool
	selfID   string // the endpoint in the state, updated or replaced; "" when none
	// selfMarker is the creation marker the state's endpoint still carries
	// (an interrupted create Terraform saved), which this plan removes.
	selfMarker string
	subnetsOK  bool // subnet_ids known
	groupsOK   bool // security_group_ids known and set
	// which inputs changed (all true on create)
	serviceChanged, subnetsChanged, groupsChanged, dnsTurnedOn, ipTypeChanged bool
	// addressesChanged: subnet_configuration is set and it or the subnets changed
	addressesChanged bool
}

// checkPlan finds, with read-only calls, the mistakes AWS would only
// report at apply, after part of the work was done. Each diagnostic says
// what is wrong and what to do.
func checkPlan(ctx context.Context, cl *Client, c planChange) diag.Diagnostics {
	var diags diag.Diagnostics
	s := c.spec
	if s.ServiceName == "" || s.VpcID == "" {
		return diags // still unknown: checked at apply time
	}
	if c.creating && s.SecurityGroupIDs == nil {
		diags.AddAttributeWarning(path.Root("security_group_ids"), "No security groups given",
			fmt.Sprintf("AWS will attach the default security group of %s to the endpoint. Bazel clients reach EngFlow on TCP 443, "+
				"which the default group usually does not allow from the whole VPC. Pass a group explicitly: "+
				"security_group_ids = [aws_security_group.bazel.id], with an ingress rule for TCP 443 from the clients.", s.VpcID))
	}
	if c.checksGroups() && len(s.SecurityGroupIDs) == 0 {
		diags.AddAttributeError(path.Root("security_group_ids"), "security_group_ids is empty",
			fmt.Sprintf("AWS attaches the default security group of %s when none is given, and Terraform would then try to "+
				"remove it on every apply. List the group(s) that let Bazel clients in on TCP 443, or omit "+
				"security_group_ids to accept the VPC's default group.", s.VpcID))
	}
	f := lookUpForPlan(ctx, cl, c)
	if c.checksGroups() && len(s.SecurityGroupIDs) > 0 {
		diags.Append(planCheckSecurityGroups(cl, s, f.groups, f.groupsErr)...)
	}
	if c.checksAddresses() {
		// A failed look-up is reported once, by planCheckSubnets when it runs.
		diags.Append(planCheckSubnetAddresses(s, f.subnets, f.subnetsErr, c.checksSubnets())...)
	}
	if !c.needsService() {
		return diags // nothing that depends on the service changes: no call
	}
	if f.serviceErr != nil {
		diags.Append(withPath(path.Root("service_name"), serviceLookupDiagnostic(ctx, cl, s.ServiceName, f.serviceErr)))
		return diags
	}
	svc := f.service
	if t := serviceTypeOf(svc); c.serviceChanged && t != string(types.ServiceTypeInterface) {
		diags.AddAttributeError(path.Root("service_name"), "Not an Interface endpoint service",
			fmt.Sprintf("%s is a %s service; EngFlow services are Interface services. Check the name EngFlow gave you.", s.ServiceName, t))
	}
	if c.checksSubnets() {
		diags.Append(planCheckSubnets(cl, s, svc, f.subnets, f.subnetsErr)...)
	}
	if c.ipTypeChanged && s.IPAddressType != "" {
		diags.Append(planCheckIPAddressType(s, svc)...)
	}
	if c.checksPrivateDNS() {
		diags.Append(planCheckPrivateDNS(s, svc, f.vpcDNS, f.vpcDNSErr)...)
	}
	if c.checksExisting() {
		diags.Append(planCheckExistingEndpoints(cl, c, svc, f.existing, f.existingErr)...)
	}
	return diags
}

// What a plan change calls for; lookUpForPlan makes the look-ups that
// these ask for, all at once.
func (c planChange) checksGroups() bool { return c.groupsOK && c.groupsChanged }
func (c planChange) checksSubnets() bool {
	return c.subnetsOK && (c.subnetsChanged || c.serviceChanged)
}
func (c planChange) checksAddresses() bool {
	return c.subnetsOK && c.addressesChanged && len(c.spec.SubnetAddresses) > 0
}
func (c planChange) checksPrivateDNS() bool { return c.spec.PrivateDNSEnabled && c.dnsTurnedOn }
func (c planChange) checksExisting() bool {
	return c.creating || c.checksPrivateDNS() || c.selfMarker != ""
}
func (c planChange) needsService() bool {
	return c.serviceChanged || (c.subnetsOK && c.subnetsChanged) || c.checksExisting() || c.ipTypeChanged
}

func withPath(p path.Path, d diag.Diagnostic) diag.Diagnostic {
	if d.Severity() == diag.SeverityWarning {
		return diag.NewAttributeWarningDiagnostic(p, d.Summary(), d.Detail())
	}
	return diag.NewAttributeErrorDiagnostic(p, d.Summary(), d.Detail())
}

// zoneLabel names a zone the way the console does: name (ID).
func zoneLabel(name, id string) string {
	if id == "" {
		return name
	}
	return fmt.Sprintf("%s (%s)", name, id)
}

// offeredZones lists the service's zones for messages.
func offeredZones(svc *types.ServiceDetail) string {
	labels := make([]string, len(svc.AvailabilityZones))
	for i, name := range svc.AvailabilityZones {
		id := ""
		if i < len(svc.AvailabilityZoneIds) {
			id = svc.AvailabilityZoneIds[i]
		}
		labels[i] = zoneLabel(name, id)
	}
	return strings.Join(labels, ", ")
}

// planCheckSubnets: each subnet exists, is in the VPC, is in a zone the service
// offers (compared by zone ID: zone names differ between AWS accounts), and
// no two share a zone. AWS lists no zones for a service of another Region
// (terraform-provider-aws 44186): which zones take a cross-Region endpoint
// is only known when CreateVpcEndpoint refuses others, and createFailure
// words that.
func planCheckSubnets(c *Client, s endpointSpec, svc *types.ServiceDetail, found map[string]types.Subnet, err error) diag.Diagnostics {
	var diags diag.Diagnostics
	at := path.Root("subnet_ids")
	if err != nil {
		diags.AddAttributeError(at, "Reading the subnets failed", err.Error())
		return diags
	}
	var outside []string
	byZone := map[string]string{}
	for _, id := range sorted(s.SubnetIDs) {
		sn, ok := found[id]
		if !ok {
			diags.AddAttributeError(at, fmt.Sprintf("Subnet %s does not exist", id),
				fmt.Sprintf("EC2 in %s knows no subnet %s. Check the ID, and that the provider's region is the VPC's.", c.region, id))
			continue
		}
		if vpc := aws.ToString(sn.VpcId); vpc != s.VpcID {
			diags.AddAttributeError(at, fmt.Sprintf("Subnet %s is in another VPC", id),
				fmt.Sprintf("%s belongs to %s, not to vpc_id = %s. Use subnets of %s.", id, vpc, s.VpcID, s.VpcID))
			continue
		}
		zone := zoneLabel(aws.ToString(sn.AvailabilityZone), aws.ToString(sn.AvailabilityZoneId))
		if remoteRegion(s.ServiceName, c.region) == "" && !zoneOffered(svc, sn) {
			outside = append(outside, fmt.Sprintf("%s in %s", id, zone))
		}
		if other, dup := byZone[zone]; dup {
			diags.AddAttributeError(at, "Two subnets in one Availability Zone",
				fmt.Sprintf("%s and %s are both in %s. An endpoint takes one subnet per zone: keep one of them.", other, id, zone))
		}
		byZone[zone] = id
	}
	if len(outside) > 0 {
		diags.AddAttributeError(at, "Subnets in Availability Zones the EngFlow service does not offer",
			fmt.Sprintf("The service %s is offered in %s. These subnets are elsewhere:\n  - %s\n\nUse one subnet in each offered zone "+
				"(the engflow_privatelink_service data source lists them), or ask EngFlow to offer the service in more zones.",
				s.ServiceName, offeredZones(svc), strings.Join(outside, "\n  - ")))
	}
	return diags
}

// planCheckSubnetAddresses: each fixed address is inside its subnet's CIDR
// block of its family and not one AWS keeps (checkAddressInBlocks). An
// address another interface holds is only known to EC2 at apply.
func planCheckSubnetAddresses(s endpointSpec, found map[string]types.Subnet, err error, reported bool) diag.Diagnostics {
	var diags diag.Diagnostics
	at := path.Root("subnet_configuration")
	if err != nil {
		if !reported {
			diags.AddAttributeError(at, "Reading the subnets failed", err.Error())
		}
		return diags
	}
	for _, id := range slices.Sorted(maps.Keys(s.SubnetAddresses)) {
		sn, ok := found[id]
		if !ok {
			continue // planCheckSubnets or validation names it
		}
		blocks := subnetBlocks(sn)
		for _, a := range []struct{ name, value string }{{"ipv4", s.SubnetAddresses[id].IPv4}, {"ipv6", s.SubnetAddresses[id].IPv6}} {
			if a.value == "" {
				continue
			}
			if err := checkAddressInBlocks(a.value, blocks); err != nil {
				diags.AddAttributeError(at, fmt.Sprintf("%s %s cannot be used in subnet %s", a.name, a.value, id),
					fmt.Sprintf("%s. Pick a usable address of %s for its subnet_configuration entry.", err, id))
			}
		}
	}
	return diags
}

func zoneOffered(svc *types.ServiceDetail, sn types.Subnet) bool {
	if id := aws.ToString(sn.AvailabilityZoneId); id != "" && len(svc.AvailabilityZoneIds) > 0 {
		return slices.Contains(svc.AvailabilityZoneIds, id)
	}
	return slices.Contains(svc.AvailabilityZones, aws.ToString(sn.AvailabilityZone))
}

// planCheckSecurityGroups: each group exists and is in the VPC.
func planCheckSecurityGroups(c *Client, s endpointSpec, found map[string]types.SecurityGroup, err error) diag.Diagnostics {
	var diags diag.Diagnostics
	at := path.Root("security_group_ids")
	if err != nil {
		diags.AddAttributeError(at, "Reading the security groups failed", err.Error())
		return diags
	}
	for _, id := range sorted(s.SecurityGroupIDs) {
		g, ok := found[id]
		switch {
		case !ok:
			diags.AddAttributeError(at, fmt.Sprintf("Security group %s does not exist", id),
				fmt.Sprintf("EC2 in %s knows no security group %s. Check the ID, and that the provider's region is the VPC's.", c.region, id))
		case aws.ToString(g.VpcId) != s.VpcID:
			diags.AddAttributeError(at, fmt.Sprintf("Security group %s is in another VPC", id),
				fmt.Sprintf("%s belongs to %s, not to vpc_id = %s. Use groups of %s.", id, aws.ToString(g.VpcId), s.VpcID, s.VpcID))
		}
	}
	return diags
}

// planCheckIPAddressType: dualstack needs ipv4 and ipv6, ipv6 needs ipv6.
func planCheckIPAddressType(s endpointSpec, svc *types.ServiceDetail) diag.Diagnostics {
	var diags diag.Diagnostics
	supported := enumStrings(svc.SupportedIpAddressTypes)
	if len(supported) == 0 {
		return diags // not reported: leave it to AWS
	}
	var needs []string
	switch s.IPAddressType {
	case "dualstack":
		needs = []string{"ipv4", "ipv6"}
	default:
		needs = []string{s.IPAddressType}
	}
	for _, n := range needs {
		if !slices.Contains(supported, n) {
			diags.AddAttributeError(path.Root("ip_address_type"), "IP address type not supported by the service",
				fmt.Sprintf("ip_address_type = %q needs %s, but %s supports only %s. Use one of those, or ask EngFlow to add %s.",
					s.IPAddressType, n, s.ServiceName, strings.Join(supported, ", "), n))
			break
		}
	}
	return diags
}

// planCheckPrivateDNS: the service has a verified private name, and the VPC has
// both DNS attributes on.
func planCheckPrivateDNS(s endpointSpec, svc *types.ServiceDetail, attrs vpcDNSAttributes, err error) diag.Diagnostics {
	var diags diag.Diagnostics
	at := path.Root("private_dns_enabled")
	name := aws.ToString(svc.PrivateDnsName)
	if name == "" {
		diags.AddAttributeError(at, "The service has no private DNS name",
			fmt.Sprintf("%s offers no private DNS name, so private DNS cannot be turned on. Set private_dns_enabled = false "+
				"and point Bazel at the endpoint's regional_dns_name, or ask EngFlow for the service's private name.", s.ServiceName))
		return diags
	}
	if state := string(svc.PrivateDnsNameVerificationState); state != "" && !strings.EqualFold(state, "verified") {
		diags.AddAttributeError(at, "The service's private DNS name is not verified yet",
			fmt.Sprintf("%s's private name %s is %s; AWS lets consumers use it only once EngFlow has verified the domain. "+
				"Ask your EngFlow support engineer, or set private_dns_enabled = false until then.", s.ServiceName, name, state))
	}
	if err != nil {
		diags.AddAttributeError(path.Root("vpc_id"), "Reading the VPC's DNS attributes failed", err.Error())
		return diags
	}
	for _, a := range []struct {
		on          bool
		name, field string
	}{{attrs.Support, "enableDnsSupport", "enable_dns_support"}, {attrs.Hostnames, "enableDnsHostnames", "enable_dns_hostnames"}} {
		if !a.on {
			diags.AddAttributeError(at, fmt.Sprintf("VPC %s has %s turned off", s.VpcID, a.name),
				fmt.Sprintf("Private DNS needs both enableDnsSupport and enableDnsHostnames on the VPC. Turn %s on: "+
					"%s = true on the aws_vpc resource, or aws ec2 modify-vpc-attribute --vpc-id %s --%s. "+
					"Or set private_dns_enabled = false.", a.name, a.field, s.VpcID, kebab(a.name)))
		}
	}
	return diags
}

// kebab turns enableDnsSupport into enable-dns-support, the CLI flag.
func kebab(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('-')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// planCheckExistingEndpoints looks for endpoints this one would clash
// with, and for other runs' unfinished creates (creation_marker.go) that a
// new endpoint here could duplicate. AWS allows one endpoint with private
// DNS for a name in a VPC.
func planCheckExistingEndpoints(cl *Client, c planChange, svc *types.ServiceDetail, existing []types.VpcEndpoint, err error) diag.Diagnostics {
	var diags diag.Diagnostics
	s := c.spec
	if err != nil {
		diags.AddWarning("Could not look for existing endpoints", err.Error())
		return diags
	}
	now := time.Now()
	young, stale := unfinishedElsewhere(existing, c.selfID, c.selfMarker, now)
	if len(young) > 0 {
		outcome := "This run stops before creating anything."
		if !c.creating {
			outcome = fmt.Sprintf("This run stops before it finishes %s.", c.selfID)
		}
		diags.Append(withPath(path.Root("vpc_id"), unfinishedDiagnostic(cl.region, young, now, outcome)))
	}
	if len(stale) > 0 && c.creating {
		diags.Append(staleMarkerWarning(cl.region, stale, now))
	}
	for _, ep := range existing {
		id := aws.ToString(ep.VpcEndpointId)
		m, _ := markerOf(ep)
		if id == c.selfID || m == processID || slices.ContainsFunc(young, sameID(id)) || (!c.creating && !c.checksPrivateDNS()) {
			continue // this endpoint, a create in flight in this process, or reported above
		}
		clash := s.PrivateDNSEnabled && aws.ToBool(ep.PrivateDnsEnabled)
		if clash && c.creating && sameAsSpec(ep, s) {
			// Most likely the endpoint this plan replaces (taint, -replace): Terraform
			// plans a replacement as a create and deletes the old one first.
			diags.AddWarning(fmt.Sprintf("Endpoint %s already serves %s in %s", id, aws.ToString(svc.PrivateDnsName), s.VpcID),
				fmt.Sprintf("%s has these same subnets and security groups, with private DNS on. If this plan replaces it, it is "+
					"deleted first and all is well. If not, AWS will refuse a second endpoint with private DNS: import it instead:\n  %s",
					id, importHint(id)))
			continue
		}
		if clash {
			diags.AddAttributeError(path.Root("private_dns_enabled"),
				fmt.Sprintf("Endpoint %s already serves %s in %s", id, aws.ToString(svc.PrivateDnsName), s.VpcID),
				fmt.Sprintf("%s connects %s to the same service with private DNS on, and AWS allows one such endpoint per VPC. "+
					"Manage it with Terraform instead of creating a second one:\n  %s\nor an import block with id = %q. "+
					"Or set private_dns_enabled = false here.", id, s.VpcID, importHint(id), id))
			continue
		}
		if c.creating {
			diags.AddWarning(fmt.Sprintf("An endpoint for this service already exists in %s", s.VpcID),
				fmt.Sprintf("%s (state %s, private DNS %s) connects %s to %s. If it is the one you mean, import it rather than "+
					"creating another:\n  %s", id, ep.State, onOff(aws.ToBool(ep.PrivateDnsEnabled)), s.VpcID, s.ServiceName, importHint(id)))
		}
	}
	return diags
}

func sameID(id string) func(types.VpcEndpoint) bool {
	return func(ep types.VpcEndpoint) bool { return aws.ToString(ep.VpcEndpointId) == id }
}

// sameAsSpec reports whether an existing endpoint has exactly the planned
// subnets and groups.
func sameAsSpec(ep types.VpcEndpoint, s endpointSpec) bool {
	var groups []string
	for _, g := range ep.Groups {
		groups = append(groups, aws.ToString(g.GroupId))
	}
	return slices.Equal(sorted(ep.SubnetIds), sorted(s.SubnetIDs)) &&
		(s.SecurityGroupIDs == nil || slices.Equal(sorted(groups), sorted(s.SecurityGroupIDs)))
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
