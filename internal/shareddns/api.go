package shareddns

import (
	"context"
	"time"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
)

// Route53API lists exactly the Route 53 actions this resource calls;
// *route53.Client satisfies it. The IAM guide publishes the same list
// (iam_test.go holds them equal).
type Route53API interface {
	CreateHostedZone(ctx context.Context, in *route53.CreateHostedZoneInput, opts ...func(*route53.Options)) (*route53.CreateHostedZoneOutput, error)
	GetHostedZone(ctx context.Context, in *route53.GetHostedZoneInput, opts ...func(*route53.Options)) (*route53.GetHostedZoneOutput, error)
	DeleteHostedZone(ctx context.Context, in *route53.DeleteHostedZoneInput, opts ...func(*route53.Options)) (*route53.DeleteHostedZoneOutput, error)
	ChangeResourceRecordSets(ctx context.Context, in *route53.ChangeResourceRecordSetsInput, opts ...func(*route53.Options)) (*route53.ChangeResourceRecordSetsOutput, error)
	ListResourceRecordSets(ctx context.Context, in *route53.ListResourceRecordSetsInput, opts ...func(*route53.Options)) (*route53.ListResourceRecordSetsOutput, error)
	GetChange(ctx context.Context, in *route53.GetChangeInput, opts ...func(*route53.Options)) (*route53.GetChangeOutput, error)
	AssociateVPCWithHostedZone(ctx context.Context, in *route53.AssociateVPCWithHostedZoneInput, opts ...func(*route53.Options)) (*route53.AssociateVPCWithHostedZoneOutput, error)
	DisassociateVPCFromHostedZone(ctx context.Context, in *route53.DisassociateVPCFromHostedZoneInput, opts ...func(*route53.Options)) (*route53.DisassociateVPCFromHostedZoneOutput, error)
	ListHostedZonesByVPC(ctx context.Context, in *route53.ListHostedZonesByVPCInput, opts ...func(*route53.Options)) (*route53.ListHostedZonesByVPCOutput, error)
	ListHostedZonesByName(ctx context.Context, in *route53.ListHostedZonesByNameInput, opts ...func(*route53.Options)) (*route53.ListHostedZonesByNameOutput, error)
}

// endpointLookups is what this resource asks EC2, through the endpoint
// resource's Client for the Region (its calls are in the IAM guide under
// engflow_privatelink_endpoint): the hub endpoint and a VPC's DNS
// attributes.
type endpointLookups interface {
	FindEndpoint(ctx context.Context, id string, grace time.Duration) (*ec2types.VpcEndpoint, error)
	VPCDNSAttributes(ctx context.Context, vpcID string) (support, hostnames bool, err error)
}
