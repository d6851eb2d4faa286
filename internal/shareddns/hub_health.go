package shareddns

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/engflow/terraform-provider-engflow/internal/privatelink"
)

// CheckHub is the endpoint data source's privatelink.HubChecker, for a
// hub endpoint given shared_dns_zone_id. It reads the zone and its alias
// from Route 53 and each spoke's DNS attributes from EC2 (through the
// Region's shared look-ups), and changes nothing.
func CheckHub(ctx context.Context, h privatelink.Hub) privatelink.HubReport {
	return hubHealth{
		zones: zoneOps{r53: h.Regions.AWS().Route53(), region: h.Region},
		ec2In: func(region string) endpointLookups { return h.Regions.In(region) },
	}.check(ctx, h)
}

// hubHealth is what CheckHub asks; unit tests pass fakes.
type hubHealth struct {
	zones zoneOps
	ec2In func(region string) endpointLookups
}

func (hh hubHealth) check(ctx context.Context, h privatelink.Hub) privatelink.HubReport {
	zoneID := zoneIDOf(h.ZoneID)
	hz, err := hh.zones.r53.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(zoneID)})
	if err != nil {
		return privatelink.HubReport{Checks: zoneUnreadable(zoneID, err)}
	}
	domain := strings.TrimSuffix(aws.ToString(hz.HostedZone.Name), ".")
	hub := privatelink.VPCRef{ID: aws.ToString(h.Endpoint.VpcId), Region: h.Region}
	alias := aliasRead{}
	alias.got, alias.found, alias.err = hh.zones.readAlias(ctx, zoneID, domain)
	alias.want, alias.wantErr = targetOf(h.Endpoint)
	spokes := hh.readSpokes(ctx, spokesToCheck(hz.VPCs, hub, h.Spokes))
	refs := make([]privatelink.VPCRef, len(spokes))
	for i, s := range spokes {
		refs[i] = s.VPCRef
	}
	return privatelink.HubReport{
		Checks: []privatelink.HealthCheck{
			zoneCheck(zoneID, hz, h.Domain, hub, h.Endpoint),
			aliasCheck(zoneID, domain, aws.ToString(h.Endpoint.VpcEndpointId), alias),
			spokesCheck(zoneID, domain, spokes),
		},
		Spokes: refs,
		Domain: domain,
	}
}

// spokesToCheck are the zone's VPCs other than the hub (associated), and
// the expected spokes that are not among them (in the hub's Region; the
// hub itself, if listed, is the zone check's), by ID.
func spokesToCheck(vpcs []r53types.VPC, hub privatelink.VPCRef, expected []string) []spokeState {
	var out []spokeState
	for _, v := range vpcs {
		ref := privatelink.VPCRef{ID: aws.ToString(v.VPCId), Region: string(v.VPCRegion)}
		if ref != hub {
			out = append(out, spokeState{VPCRef: ref, associated: true})
		}
	}
	for _, id := range expected {
		ref := privatelink.VPCRef{ID: id, Region: hub.Region}
		if ref != hub && !slices.ContainsFunc(out, func(s spokeState) bool { return s.VPCRef == ref }) {
			out = append(out, spokeState{VPCRef: ref})
		}
	}
	slices.SortFunc(out, func(a, b spokeState) int { return strings.Compare(a.ID+a.Region, b.ID+b.Region) })
	return out
}

// readSpokes reads each spoke's DNS attributes as they are now, all at
// once (EC2 answers one attribute per call).
func (hh hubHealth) readSpokes(ctx context.Context, spokes []spokeState) []spokeState {
	var wg sync.WaitGroup
	for i := range spokes {
		s := &spokes[i]
		wg.Go(func() {
			s.support, s.hostnames, s.err = hh.ec2In(s.Region).VPCDNSAttributes(ctx, s.ID)
		})
	}
	wg.Wait()
	return spokes
}
