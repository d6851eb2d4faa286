package privatelink

import (
	"context"
	"fmt"
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
	// maxIDsPerCall keeps each describe call well inside EC2's limits.
	maxIDsPerCall = 100
)

// findEndpointByID returns the endpoint, or a NotFoundError when EC2 does
// not know it or reports it deleted.
func findEndpointByID(ctx context.Context, d *deps, id string) (*types.VpcEndpoint, error) {
	ep, err := d.endpoints.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if stateIs(ep.State, "deleted") {
		return nil, &NotFoundError{Kind: kindEndpoint, ID: id}
	}
	return &ep, nil
}

// describeEndpoints is the batchReader fetch for endpoints.
func describeEndpoints(conn EC2API) func(context.Context, []string) (map[string]types.VpcEndpoint, error) {
	return func(ctx context.Context, ids []string) (map[string]types.VpcEndpoint, error) {
		return describeByIDs(ctx, ids, "InvalidVpcEndpointId.NotFound", func(ctx context.Context, ids []string) (map[string]types.VpcEndpoint, error) {
			out, err := conn.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: ids})
			if err != nil {
				return nil, err
			}
			found := make(map[string]types.VpcEndpoint, len(out.VpcEndpoints))
			for _, ep := range out.VpcEndpoints {
				found[aws.ToString(ep.VpcEndpointId)] = ep
			}
			return found, nil
		})
	}
}

// describeNetworkInterfaces is the batchReader fetch for network
// interfaces. It asks by filter, not by ID: waiting for a deleted
// endpoint's interfaces to go is the usual case, and a filter leaves out the
// missing ones instead of failing the call.
func describeNetworkInterfaces(conn EC2API) func(context.Context, []string) (map[string]types.NetworkInterface, error) {
	return func(ctx context.Context, ids []string) (map[string]types.NetworkInterface, error) {
		found := map[string]types.NetworkInterface{}
		for start := 0; start < len(ids); start += maxIDsPerCall {
			p := ec2.NewDescribeNetworkInterfacesPaginator(conn, &ec2.DescribeNetworkInterfacesInput{Filters: []types.Filter{
				{Name: aws.String("network-interface-id"), Values: ids[start:min(start+maxIDsPerCall, len(ids))]},
			}})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					return nil, fmt.Errorf("describing network interfaces: %w", err)
				}
				for _, ni := range page.NetworkInterfaces {
					found[aws.ToString(ni.NetworkInterfaceId)] = ni
				}
			}
		}
		return found, nil
	}
}

// describeByIDs calls describe in chunks. EC2 fails a whole call when one
// of its IDs does not exist; then the chunk is split in halves until the
// missing IDs are isolated. That costs a few calls, only in the rare case.
func describeByIDs[T any](ctx context.Context, ids []string, notFoundCode string,
	describe func(context.Context, []string) (map[string]T, error)) (map[string]T, error) {
	found := map[string]T{}
	for start := 0; start < len(ids); start += maxIDsPerCall {
		chunk := ids[start:min(start+maxIDsPerCall, len(ids))]
		if err := describeSplitting(ctx, chunk, notFoundCode, describe, found); err != nil {
			return nil, err
		}
	}
	return found, nil
}

func describeSplitting[T any](ctx context.Context, ids []string, notFoundCode string,
	describe func(context.Context, []string) (map[string]T, error), found map[string]T) error {
	got, err := describe(ctx, ids)
	switch {
	case err == nil:
		for k, v := range got {
			found[k] = v
		}
		return nil
	case errorCode(err) != notFoundCode:
		return fmt.Errorf("describing %s: %w", strings.Join(ids, ", "), err)
	case len(ids) == 1:
		return nil // that one is gone
	}
	half := len(ids) / 2
	if err := describeSplitting(ctx, ids[:half], notFoundCode, describe, found); err != nil {
		return err
	}
	return describeSplitting(ctx, ids[half:], notFoundCode, describe, found)
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
