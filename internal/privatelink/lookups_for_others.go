package privatelink

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// The look-ups other resources of this provider (engflow_privatelink_shared_dns)
// make through a Region's Client, so that they share its batched calls,
// its finders' errors and its waits instead of writing their own.

// FindEndpoint describes endpoint id. For up to grace after EC2 says "not
// found" it asks again: EC2 may not list an endpoint created moments ago.
// A missing endpoint is a *NotFoundError.
func (c *Client) FindEndpoint(ctx context.Context, id string, grace time.Duration) (*types.VpcEndpoint, error) {
	return findEndpointEventually(ctx, c, defaultPoller, id, grace)
}

// VPCDNSAttributes reports a VPC's enableDnsSupport and enableDnsHostnames.
func (c *Client) VPCDNSAttributes(ctx context.Context, vpcID string) (support, hostnames bool, err error) {
	a, err := findVPCDNSAttributes(ctx, c, vpcID)
	return a.Support, a.Hostnames, err
}
