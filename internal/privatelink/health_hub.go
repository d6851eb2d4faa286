package privatelink

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// A hub endpoint (hub and spoke) keeps its own private DNS off by design:
// a shared Route 53 private zone answers the cluster's name in the hub and
// the spoke VPCs instead. The data source then checks that zone in place
// of the endpoint's private DNS. Package shareddns does it (it owns the
// provider's Route 53 calls and imports this package, not the other way
// round), handed in through NewEndpointDataSource.

// Hub is a hub endpoint whose name a shared zone serves.
type Hub struct {
	Regions  *Regions
	Region   string // the endpoint's
	ZoneID   string // shared_dns_zone_id
	Endpoint types.VpcEndpoint
	// Domain is the service's private DNS name, the one Bazel connects to;
	// "" when the service offers none.
	Domain string
	// Spokes are the VPCs that must resolve it (spoke_vpc_ids), in Region;
	// nil means the VPCs the zone is associated with.
	Spokes []string
}

// VPCRef is a VPC and its Region.
type VPCRef struct{ ID, Region string }

// HubReport is what a HubChecker found.
type HubReport struct {
	// Checks take the place of the checks of the endpoint's private DNS.
	Checks []HealthCheck
	// Spokes are the spoke VPCs checked: Bazel clients connect from them
	// too, so the firewall checks default to their CIDR blocks as well.
	Spokes []VPCRef
	// Domain is the zone's name, for resolve_dns; "" when unread.
	Domain string
}

// HubChecker checks a hub endpoint's shared zone, with read-only calls.
type HubChecker func(ctx context.Context, hub Hub) HubReport

// sharedZoneAdvice is privateDNSAdvice for a hub, whose name the shared
// zone answers.
var sharedZoneAdvice = dnsAdvice{"the shared zone does not answer the name in this VPC",
	"The shared zone answers the name only in the VPCs associated with it that have enableDnsSupport and enableDnsHostnames on " +
		"(see the checks shared_dns_zone and shared_dns_spokes): run this check from a machine in the hub or a spoke VPC."}

// clientVPCCIDRs are the CIDR blocks of vpcs, asked once per Region.
func (d *endpointDataSource) clientVPCCIDRs(ctx context.Context, vpcs []VPCRef) ([]string, error) {
	byRegion := map[string][]string{}
	var regions []string
	for _, v := range vpcs {
		if _, seen := byRegion[v.Region]; !seen {
			regions = append(regions, v.Region)
		}
		byRegion[v.Region] = appendNew(byRegion[v.Region], v.ID)
	}
	var cidrs []string
	for _, r := range regions {
		found, err := findVPCCIDRs(ctx, d.clientIn(r), byRegion[r])
		if err != nil {
			return nil, err
		}
		cidrs = append(cidrs, found...)
	}
	return cidrs, nil
}
