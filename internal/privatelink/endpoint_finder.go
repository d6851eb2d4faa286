package privatelink

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

const (
	kindEndpoint         = "VPC endpoint"
	kindNetworkInterface = "network interface"

	// batchWindow is how long a look-up waits for others to share its call.
	batchWindow = 20 * time.Millisecond
)

// endpointLookup finds one endpoint by ID for a wait: Client.lookByID, or a
// create's siblingWatch.look.
type endpointLookup func(ctx context.Context, id string) (*types.VpcEndpoint, error)

func (c *Client) lookByID(ctx context.Context, id string) (*types.VpcEndpoint, error) {
	return findEndpointByID(ctx, c, id)
}

// findEndpointByID returns the endpoint, or a NotFoundError when EC2 does
// not know it or reports it deleted.
func findEndpointByID(ctx context.Context, c *Client, id string) (*types.VpcEndpoint, error) {
	ep, err := c.endpoints.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if stateIs(ep.State, "deleted") {
		return nil, &NotFoundError{Kind: kindEndpoint, ID: id, Deleted: true}
	}
	return &ep, nil
}

// describeEndpoints is the batcher fetch for endpoints. It asks by filter,
// not by ID: asked by ID, EC2 fails a whole call for one unknown ID, and an
// endpoint created a moment ago is unknown for a while (eventual
// consistency); asked by filter, it leaves the unknown ones out. So one call
// serves a whole batch, however many of its IDs do not exist (yet). Subnets,
// security groups and network interfaces are asked for the same way.
func describeEndpoints(conn EC2API) batchFetch[types.VpcEndpoint] {
	return chunked(func(ctx context.Context, ids []string) (map[string]types.VpcEndpoint, error) {
		return byID(ctx, "VPC endpoints", endpointPages(conn, filterOn("vpc-endpoint-id", ids)), endpointsOfPage,
			func(ep types.VpcEndpoint) *string { return ep.VpcEndpointId })
	})
}

func endpointPages(conn EC2API, filters []types.Filter) pages[*ec2.DescribeVpcEndpointsOutput] {
	return ec2.NewDescribeVpcEndpointsPaginator(conn, &ec2.DescribeVpcEndpointsInput{Filters: filters})
}

func endpointsOfPage(o *ec2.DescribeVpcEndpointsOutput) []types.VpcEndpoint { return o.VpcEndpoints }

// describeNetworkInterfaces is the batcher fetch for network interfaces,
// by filter (see describeEndpoints): waiting for a deleted endpoint's
// interfaces to go is the usual case.
func describeNetworkInterfaces(conn EC2API) batchFetch[types.NetworkInterface] {
	return chunked(func(ctx context.Context, ids []string) (map[string]types.NetworkInterface, error) {
		p := ec2.NewDescribeNetworkInterfacesPaginator(conn, &ec2.DescribeNetworkInterfacesInput{Filters: filterOn("network-interface-id", ids)})
		return byID(ctx, "network interfaces", p, func(o *ec2.DescribeNetworkInterfacesOutput) []types.NetworkInterface { return o.NetworkInterfaces },
			func(ni types.NetworkInterface) *string { return ni.NetworkInterfaceId })
	})
}

// listEndpointsOfService lists the endpoints in a VPC for one service, in
// any state but deleted, sorted by ID. Look-ups of many resources are
// batched into one call.
func listEndpointsOfService(ctx context.Context, c *Client, vpcID, serviceName string) ([]types.VpcEndpoint, error) {
	found, err := c.endpointsOf.get(ctx, vpcServiceKey(vpcID, serviceName))
	if err != nil {
		return nil, fmt.Errorf("listing endpoints of %s in %s: %w", serviceName, vpcID, err)
	}
	return found, nil
}

// findEndpointsOfService is listEndpointsOfService without the endpoints
// that are going or failed.
func findEndpointsOfService(ctx context.Context, c *Client, vpcID, serviceName string) ([]types.VpcEndpoint, error) {
	found, err := listEndpointsOfService(ctx, c, vpcID, serviceName)
	var active []types.VpcEndpoint
	for _, ep := range found {
		if isActive(ep) {
			active = append(active, ep)
		}
	}
	return active, err
}

// isActive reports whether an endpoint is, or is becoming, usable.
func isActive(ep types.VpcEndpoint) bool {
	return !stateIs(ep.State, "deleting", "deleted", "rejected", "failed", "expired")
}

// listingReuse is how long a plan's listing of the existing endpoints
// serves the create of the same resource: Terraform plans each resource
// again right before it creates it, in the same provider process. It saves
// the create a listing of its own (make bench: about 1 call per endpoint at
// N=1, 0.3 at N=100); the create's wait looks again anyway, and sees what
// this listing missed.
const listingReuse = 5 * time.Second

type listing struct {
	at        time.Time
	endpoints []types.VpcEndpoint
}

// rememberListing keeps a plan's listing for the create that may follow.
func (c *Client) rememberListing(vpcID, serviceName string, eps []types.VpcEndpoint) {
	c.listings.Store(vpcServiceKey(vpcID, serviceName), listing{at: time.Now(), endpoints: eps})
}

// takeListing returns, once, the listing a plan of this process made for
// the VPC and service, if it is younger than listingReuse.
func (c *Client) takeListing(vpcID, serviceName string) ([]types.VpcEndpoint, bool) {
	v, ok := c.listings.LoadAndDelete(vpcServiceKey(vpcID, serviceName))
	if !ok || time.Since(v.(listing).at) >= listingReuse {
		return nil, false
	}
	return v.(listing).endpoints, true
}

// vpcServiceKey names one VPC and service pair in the endpointsOf batcher.
func vpcServiceKey(vpcID, serviceName string) string { return vpcID + " " + serviceName }

// describeEndpointsOfServices is the batcher fetch for findEndpointsOfService:
// one listing with every VPC and every service asked for as filter values,
// sorted out by pair. Every pair asked for is in the answer, with no
// endpoints if none.
func describeEndpointsOfServices(conn EC2API) batchFetch[[]types.VpcEndpoint] {
	return chunked(func(ctx context.Context, keys []string) (map[string][]types.VpcEndpoint, error) {
		found := make(map[string][]types.VpcEndpoint, len(keys))
		var vpcs, services []string
		for _, k := range keys {
			vpc, service, _ := strings.Cut(k, " ")
			vpcs, services = appendNew(vpcs, vpc), appendNew(services, service)
			found[k] = nil
		}
		filters := append(filterOn("vpc-id", vpcs), filterOn("service-name", services)...)
		err := eachItem(ctx, "VPC endpoints", endpointPages(conn, filters), endpointsOfPage, func(ep types.VpcEndpoint) {
			k := vpcServiceKey(aws.ToString(ep.VpcId), aws.ToString(ep.ServiceName))
			// Filters narrow the answer; checking again keeps a lax emulator honest.
			if eps, asked := found[k]; asked && !stateIs(ep.State, "deleted") {
				found[k] = append(eps, ep)
			}
		})
		if err != nil {
			return nil, err
		}
		for _, eps := range found {
			sort.Slice(eps, func(i, j int) bool { return aws.ToString(eps[i].VpcEndpointId) < aws.ToString(eps[j].VpcEndpointId) })
		}
		return found, nil
	})
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// stateIs compares EC2 states case-insensitively: the wire says
// "pendingAcceptance", the Go SDK's constants say "PendingAcceptance".
func stateIs(s types.State, want ...string) bool {
	for _, w := range want {
		if strings.EqualFold(string(s), w) {
			return true
		}
	}
	return false
}
