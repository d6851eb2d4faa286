// Package awsclient holds what the provider's Configure builds once per
// provider process and hands to every resource and data source.
package awsclient

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// AppID goes into the User-Agent of every AWS call the provider makes, so
// that CloudTrail (and the test emulator's request log) can tell them apart.
const AppID = "terraform-provider-engflow"

// Client is the provider's configured connection to one AWS account and Region.
type Client struct {
	EC2 *ec2.Client
	STS *sts.Client
	// Route53 is global: one client for every Region (see NewRoute53),
	// built on first use, as only the shared DNS resource calls it.
	Route53 func() *route53.Client
	Region  string
	// DefaultTags come from the provider's default_tags block and are merged
	// under every resource's own tags.
	DefaultTags map[string]string

	accountMu sync.Mutex
	accountID string
}

// Endpoints are the provider block's overrides of where EC2, STS and
// Route 53 calls go. Empty means "use the SDK's resolution" (which honours
// AWS_ENDPOINT_URL_EC2 and friends, FIPS and dual-stack).
type Endpoints struct {
	EC2, STS, Route53 string
	// STSRegion is the Region of STS calls (sts_region), if not the
	// provider's Region.
	STSRegion string
}

// New builds the service clients from one resolved aws.Config.
func New(cfg aws.Config, e Endpoints, defaultTags map[string]string) *Client {
	return &Client{
		EC2: ec2.NewFromConfig(cfg, func(o *ec2.Options) {
			if e.EC2 != "" {
				o.BaseEndpoint = aws.String(e.EC2)
			}
			customEndpointWins(o.BaseEndpoint, &o.EndpointOptions.UseFIPSEndpoint, &o.EndpointOptions.UseDualStackEndpoint)
		}),
		STS:         NewSTS(cfg, e),
		Route53:     sync.OnceValue(func() *route53.Client { return NewRoute53(cfg, e) }),
		Region:      cfg.Region,
		DefaultTags: defaultTags,
	}
}

// EC2In is the EC2 client of another Region of the same account, with the
// same credentials, endpoint override and options; the provider's own for
// its Region or "".
func (c *Client) EC2In(region string) *ec2.Client {
	if region == "" || region == c.Region {
		return c.EC2
	}
	return ec2.New(c.EC2.Options(), func(o *ec2.Options) { o.Region = region })
}

// NewSTS builds an STS client, honouring the STS endpoint and Region
// overrides.
func NewSTS(cfg aws.Config, e Endpoints) *sts.Client {
	return sts.NewFromConfig(cfg, func(o *sts.Options) {
		if e.STS != "" {
			o.BaseEndpoint = aws.String(e.STS)
		}
		if e.STSRegion != "" {
			o.Region = e.STSRegion
		}
		customEndpointWins(o.BaseEndpoint, &o.EndpointOptions.UseFIPSEndpoint, &o.EndpointOptions.UseDualStackEndpoint)
	})
}

// customEndpointWins turns FIPS and dual-stack off for a service with a
// custom endpoint, as the hashicorp/aws provider does: the SDK's endpoint
// rules refuse the combination, and a custom endpoint already says where
// to go.
func customEndpointWins(base *string, fips *aws.FIPSEndpointState, dualStack *aws.DualStackEndpointState) {
	if base == nil {
		return
	}
	*fips = aws.FIPSEndpointStateDisabled
	*dualStack = aws.DualStackEndpointStateDisabled
}

const accountIDTimeout = 10 * time.Second

// AccountID returns the caller's AWS account ID. It is only needed on error
// paths (to tell the user which account EngFlow must allowlist), so it is
// fetched lazily and remembered for the life of the provider process. A
// failure is not remembered: the next caller tries again.
func (c *Client) AccountID(ctx context.Context) (string, error) {
	c.accountMu.Lock()
	defer c.accountMu.Unlock()
	if c.accountID != "" {
		return c.accountID, nil
	}
	// Only a message waits on this: keep it short, not the 25 retries of
	// real work (STS may be unreachable when only EC2 has a custom endpoint).
	ctx, cancel := context.WithTimeout(ctx, accountIDTimeout)
	defer cancel()
	out, err := c.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, func(o *sts.Options) { o.RetryMaxAttempts = 2 })
	if err != nil {
		return "", fmt.Errorf("reading the caller's AWS account ID with sts:GetCallerIdentity: %w", err)
	}
	c.accountID = aws.ToString(out.Account)
	return c.accountID, nil
}
