package privatelink

import (
	"context"
	"fmt"
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
	batchWindow = 5 * time.Millisecond
)

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

// describeEndpoints is the batchReader fetch for endpoints.
func describeEndpoints(conn EC2API) batchFetch[types.VpcEndpoint] {
	return func(ctx context.Context, ids []string) (map[string]types.VpcEndpoint, map[string]error, error) {
		return describeByIDs(ctx, kindEndpoint, ids, endpointIDCodes, func(ctx context.Context, ids []string) (map[string]types.VpcEndpoint, error) {
			found := map[string]types.VpcEndpoint{}
			p := ec2.NewDescribeVpcEndpointsPaginator(conn, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: ids})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					return nil, err
				}
				for _, ep := range page.VpcEndpoints {
					found[aws.ToString(ep.VpcEndpointId)] = ep
				}
			}
			return found, nil
		})
	}
}

// describeNetworkInterfaces is the batchReader fetch for network
// interfaces. It asks by filter, not by ID: waiting for a deleted
// endpoint's interfaces to go is the usual case, and a filter leaves out the
// missing ones instead of failing the call.
func describeNetworkInterfaces(conn EC2API) batchFetch[types.NetworkInterface] {
	return func(ctx context.Context, ids []string) (map[string]types.NetworkInterface, map[string]error, error) {
		found := map[string]types.NetworkInterface{}
		for start := 0; start < len(ids); start += maxIDsPerCall {
			p := ec2.NewDescribeNetworkInterfacesPaginator(conn, &ec2.DescribeNetworkInterfacesInput{Filters: []types.Filter{
				{Name: aws.String("network-interface-id"), Values: ids[start:min(start+maxIDsPerCall, len(ids))]},
			}})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					return nil, nil, fmt.Errorf("describing network interfaces: %w", err)
				}
				for _, ni := range page.NetworkInterfaces {
					found[aws.ToString(ni.NetworkInterfaceId)] = ni
				}
			}
		}
		return found, nil, nil
	}
}

// findEndpointsOfService lists the live endpoints in a VPC for one service,
// sorted by ID.
func findEndpointsOfService(ctx context.Context, c *Client, vpcID, serviceName string) ([]types.VpcEndpoint, error) {
	var live []types.VpcEndpoint
	p := ec2.NewDescribeVpcEndpointsPaginator(c.ec2, &ec2.DescribeVpcEndpointsInput{Filters: []types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{vpcID}},
		{Name: aws.String("service-name"), Values: []string{serviceName}},
	}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing endpoints of %s in %s: %w", serviceName, vpcID, err)
		}
		for _, ep := range page.VpcEndpoints {
			// Filters narrow the answer; checking again keeps a lax emulator honest.
			if aws.ToString(ep.VpcId) == vpcID && aws.ToString(ep.ServiceName) == serviceName &&
				!stateIs(ep.State, "deleting", "deleted", "rejected", "failed", "expired") {
				live = append(live, ep)
			}
		}
	}
	sort.Slice(live, func(i, j int) bool { return aws.ToString(live[i].VpcEndpointId) < aws.ToString(live[j].VpcEndpointId) })
	return live, nil
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
