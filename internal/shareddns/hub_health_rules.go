package shareddns

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/engflow/terraform-provider-engflow/internal/privatelink"
)

// The checks of a hub's shared zone, as pure rules over what Route 53 and
// EC2 reported (hub_health.go gathers it). Each failing detail starts with
// what to fix: pipelines often show only a detail's first line.

// Check names, as the endpoint data source reports them.
const (
	checkZone   = "shared_dns_zone"
	checkAlias  = "shared_dns_alias"
	checkSpokes = "shared_dns_spokes"
)

// spokeState is what was found of one spoke VPC.
type spokeState struct {
	privatelink.VPCRef
	associated         bool // with the zone
	support, hostnames bool // enableDnsSupport, enableDnsHostnames
	err                error
}

// aliasRead is the zone's alias record and the one it should be.
type aliasRead struct {
	got     aliasTarget
	found   bool
	err     error
	want    aliasTarget
	wantErr error // the endpoint has no regional DNS name (yet)
}

func failed(name string, lines ...string) privatelink.HealthCheck {
	return privatelink.HealthCheck{Name: name, Detail: strings.Join(lines, "\n")}
}

// zoneUnreadable are the checks when GetHostedZone fails: the zone check
// says why, the others that they depend on it.
func zoneUnreadable(zoneID string, err error) []privatelink.HealthCheck {
	zone := failed(checkZone, fmt.Sprintf("Could not be checked: %v. The provider needs route53:GetHostedZone for this check.", err))
	if isNoSuchZone(err) {
		zone = failed(checkZone, fmt.Sprintf("Route 53 has no hosted zone %s. Check shared_dns_zone_id (the zone_id of the "+
			"engflow_privatelink_shared_dns); a zone deleted outside Terraform is made again by terraform apply.", zoneID))
	}
	notChecked := "Not checked: the shared zone could not be read (see " + checkZone + ")."
	return []privatelink.HealthCheck{zone, failed(checkAlias, notChecked), failed(checkSpokes, notChecked)}
}

// zoneCheck: a private zone for the service's private DNS name (domain,
// when the service has one), associated with the hub VPC, beside an
// endpoint whose own private DNS is off.
func zoneCheck(zoneID string, hz *route53.GetHostedZoneOutput, domain string, hub privatelink.VPCRef, ep ec2types.VpcEndpoint) privatelink.HealthCheck {
	name := strings.TrimSuffix(aws.ToString(hz.HostedZone.Name), ".")
	var problems []string
	if hz.HostedZone.Config == nil || !hz.HostedZone.Config.PrivateZone {
		problems = append(problems, fmt.Sprintf("%s is a public hosted zone; VPCs resolve the name privately only through a private "+
			"zone associated with them. Give the zone_id of an engflow_privatelink_shared_dns.", zoneID))
	}
	if domain != "" && !strings.EqualFold(name, domain) {
		problems = append(problems, fmt.Sprintf("%s is for %s, but Bazel connects to the service's private DNS name %s. "+
			"Set domain_name = %q on the engflow_privatelink_shared_dns (this replaces the zone).", zoneID, name, domain, domain))
	}
	if !slices.ContainsFunc(hz.VPCs, func(v r53types.VPC) bool { return aws.ToString(v.VPCId) == hub.ID && string(v.VPCRegion) == hub.Region }) {
		problems = append(problems, fmt.Sprintf("The hub VPC %s is not associated with %s, so Bazel clients in it do not resolve %s. "+
			"Associate it: %s", hub.ID, zoneID, name, associateCommand(zoneID, hub)))
	}
	if d := checkEndpoint(ep); d != "" {
		problems = append(problems, d)
	}
	if len(problems) > 0 {
		return failed(checkZone, problems...)
	}
	return privatelink.HealthCheck{Name: checkZone, OK: true, Detail: fmt.Sprintf("%s is a private hosted zone for %s, associated with "+
		"the hub VPC %s; the endpoint's own private DNS is off, as a hub's must be.", zoneID, name, hub.ID)}
}

// aliasCheck: the zone's alias for its name points at this endpoint's
// regional DNS name, with a record for each IP version the endpoint serves.
func aliasCheck(zoneID, domain, endpointID string, a aliasRead) privatelink.HealthCheck {
	repoint := fmt.Sprintf("Set endpoint_id = %q on the engflow_privatelink_shared_dns: terraform apply repoints the alias in place.", endpointID)
	switch {
	case a.err != nil:
		return failed(checkAlias, fmt.Sprintf("Could not be checked: %v. The provider needs route53:ListResourceRecordSets for this check.", a.err))
	case a.wantErr != nil:
		return failed(checkAlias, a.wantErr.Error()+", then read again.")
	case !a.found:
		return failed(checkAlias, fmt.Sprintf("%s has no alias record for %s, so the name does not resolve to the endpoint in the hub or "+
			"the spokes. Recreate the zone (terraform apply -replace=<address of the engflow_privatelink_shared_dns>), or add an alias A "+
			"record for %s to %s (hosted zone %s).", zoneID, domain, domain, a.want.DNSName, a.want.HostedZoneID))
	case !strings.EqualFold(a.got.DNSName, a.want.DNSName) || a.got.HostedZoneID != a.want.HostedZoneID:
		other := ""
		if id := endpointIDOfAlias(a.got.DNSName); id != "" {
			other = " (endpoint " + id + ")"
		}
		return failed(checkAlias, fmt.Sprintf("%s's alias for %s points at %s%s, not at %s's regional DNS name %s, so the hub and the "+
			"spokes do not reach this endpoint. %s", zoneID, domain, a.got.DNSName, other, endpointID, a.want.DNSName, repoint))
	case a.got.IPv4 != a.want.IPv4 || a.got.IPv6 != a.want.IPv6:
		return failed(checkAlias, fmt.Sprintf("%s holds %s alias records for %s, but %s serves %s. %s",
			zoneID, recordTypes(a.got), domain, endpointID, recordTypes(a.want), repoint))
	}
	return privatelink.HealthCheck{Name: checkAlias, OK: true, Detail: fmt.Sprintf("%s holds %s alias records for %s to %s's regional "+
		"DNS name %s.", zoneID, recordTypes(a.got), domain, endpointID, a.want.DNSName)}
}

// recordTypes names the alias record types of t: "A", "AAAA" or "A and AAAA".
func recordTypes(t aliasTarget) string {
	var types []string
	if t.IPv4 {
		types = append(types, "A")
	}
	if t.IPv6 {
		types = append(types, "AAAA")
	}
	return strings.Join(types, " and ")
}

// spokesCheck: every spoke is associated with the zone and has both VPC
// DNS attributes on, without which it does not resolve a private zone.
// Each failing spoke gets its own lines, with the commands that fix it.
func spokesCheck(zoneID, domain string, spokes []spokeState) privatelink.HealthCheck {
	if len(spokes) == 0 {
		return privatelink.HealthCheck{Name: checkSpokes, OK: true, Detail: fmt.Sprintf("No spoke VPC is associated with %s or "+
			"expected (spoke_vpc_ids): only the hub resolves %s through it.", zoneID, domain)}
	}
	var problems, fine []string
	for _, s := range spokes {
		var fixes []string
		if !s.associated {
			fixes = append(fixes, fmt.Sprintf("%s is not associated with %s, so it does not resolve %s. Add it to spoke_vpc_ids of the "+
				"engflow_privatelink_shared_dns, or run: %s", s.ID, zoneID, domain, associateCommand(zoneID, s.VPCRef)))
		}
		if s.err != nil {
			fixes = append(fixes, fmt.Sprintf("%s: its DNS attributes could not be read: %v. The provider needs ec2:DescribeVpcAttribute "+
				"for this check; a VPC of another AWS account must be checked from that account.", s.ID, s.err))
		} else if d := checkVPCDNS(s.ID, s.support, s.hostnames); d != "" {
			fixes = append(fixes, d)
		}
		if len(fixes) == 0 {
			fine = append(fine, fmt.Sprintf("%s is associated and has enableDnsSupport and enableDnsHostnames on.", s.ID))
		}
		problems = append(problems, fixes...)
	}
	return privatelink.HealthCheck{Name: checkSpokes, OK: len(problems) == 0, Detail: strings.Join(append(problems, fine...), "\n")}
}

// associateCommand associates v with the zone, from v's account.
func associateCommand(zoneID string, v privatelink.VPCRef) string {
	return fmt.Sprintf("aws route53 associate-vpc-with-hosted-zone --hosted-zone-id %s --vpc VPCRegion=%s,VPCId=%s", zoneID, v.Region, v.ID)
}
