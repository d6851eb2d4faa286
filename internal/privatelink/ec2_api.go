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
	DescribeVpcEndpoints(ctx context.Context, in *ec2.DescribeVpcEndpointsInput, opts ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointsOutput, error)
	CreateVpcEndpoint(ctx context.Context, in *ec2.CreateVpcEndpointInput, opts ...func(*ec2.Options)) (*ec2.CreateVpcEndpointOutput, error)
	ModifyVpcEndpoint(ctx context.Context, in *ec2.ModifyVpcEndpointInput, opts ...func(*ec2.Options)) (*ec2.ModifyVpcEndpointOutput, error)
	DeleteVpcEndpoints(ctx context.Context, in *ec2.DeleteVpcEndpointsInput, opts ...func(*ec2.Options)) (*ec2.DeleteVpcEndpointsOutput, error)
	DescribeNetworkInterfaces(ctx context.Context, in *ec2.DescribeNetworkInterfacesInput, opts ...func(*ec2.Options)) (*ec2.DescribeNetworkInterfacesOutput, error)
	DescribeSubnets(ctx context.Context, in *ec2.DescribeSubnetsInput, opts ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error)
	DescribeSecurityGroups(ctx context.Context, in *ec2.DescribeSecurityGroupsInput, opts ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupsOutput, error)
	DescribeVpcAttribute(ctx context.Context, in *ec2.DescribeVpcAttributeInput, opts ...func(*ec2.Options)) (*ec2.DescribeVpcAttributeOutput, error)
	DescribeVpcs(ctx context.Context, in *ec2.DescribeVpcsInput, opts ...func(*ec2.Options)) (*ec2.DescribeVpcsOutput, error)
	DescribeNetworkAcls(ctx context.Context, in *ec2.DescribeNetworkAclsInput, opts ...func(*ec2.Options)) (*ec2.DescribeNetworkAclsOutput, error)
	CreateTags(ctx context.Context, in *ec2.CreateTagsInput, opts ...func(*ec2.Options)) (*ec2.CreateTagsOutput, error)
	DeleteTags(ctx context.Context, in *ec2.DeleteTagsInput, opts ...func(*ec2.Options)) (*ec2.DeleteTagsOutput, error)
}
