package awsclient

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
)

// NewRoute53 builds the Route 53 client, honouring the route53 endpoint
// override. Route 53 is a global service: AWS signs its calls for the
// partition's one Region (us-east-1 in the aws partition, see
// https://docs.aws.amazon.com/general/latest/gr/r53.html), whatever the
// provider's Region. The SDK's endpoint rules know that for AWS's own
// endpoint, but a custom endpoint is signed for o.Region, so it is set here.
func NewRoute53(cfg aws.Config, e Endpoints) *route53.Client {
	return route53.NewFromConfig(cfg, func(o *route53.Options) {
		o.Region = Route53SigningRegion(cfg.Region)
		if e.Route53 != "" {
			o.BaseEndpoint = aws.String(e.Route53)
		}
		customEndpointWins(o.BaseEndpoint, &o.EndpointOptions.UseFIPSEndpoint, &o.EndpointOptions.UseDualStackEndpoint)
	})
}

// Route53SigningRegion is the Region Route 53 signs for in region's
// partition (the r53.html table above: aws-cn and aws-us-gov have their own).
func Route53SigningRegion(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "cn-northwest-1"
	case strings.HasPrefix(region, "us-gov-"):
		return "us-gov-west-1"
	}
	return "us-east-1"
}
