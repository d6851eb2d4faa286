// Package privatelink holds the engflow_privatelink_* resource and data
// sources and what they share: EC2 finders, the waiter, error mapping and
// flatteners.
package privatelink

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// EC2API lists exactly the EC2 actions the provider calls. *ec2.Client
// satisfies it; unit tests pass a small fake. The IAM permissions guide
// publishes the same list.
type EC2API interface {
	DescribeVpcEndpointServices(ctx context.Context, in *ec2.DescribeVpcEndpointServicesInput, opts ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointServicesOutput, error)
}
