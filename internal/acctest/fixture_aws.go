package acctest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"

	"github.com/engflow/terraform-provider-engflow/internal/awsclient"
)

// AWS is the fixture's own access to the target account, built from the
// environment (the emulator's, or the real account's). It is independent of
// the provider, so tests can check what the provider did through it.
type AWS struct {
	EC2 *ec2.Client
	ELB *elb.Client
	STS *sts.Client
	// Route53 is global; its calls are signed for the partition's Region.
	Route53 *route53.Client
	Region  string

	cfg aws.Config
}

// NewAWS builds the fixture's clients from the standard AWS environment.
func NewAWS(ctx context.Context) (*AWS, error) {
	// Retries are logged: a retried call whose first answer was lost is the
	// usual suspect when a fixture call fails oddly. Errors that are not
	// retried are not: the caller gets them (and NotFound answers of an
	// eventually consistent EC2 are routine).
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRetryMaxAttempts(10), config.WithClientLogMode(aws.LogRetries),
		config.WithLogger(retryLogger{logging.NewStandardLogger(os.Stderr)}))
	if err != nil {
		return nil, fmt.Errorf("loading AWS configuration for the test fixture: %w", err)
	}
	return newAWS(cfg), nil
}

func newAWS(cfg aws.Config) *AWS {
	return &AWS{
		EC2: ec2.NewFromConfig(cfg), ELB: elb.NewFromConfig(cfg), STS: sts.NewFromConfig(cfg),
		Route53: route53.NewFromConfig(cfg, func(o *route53.Options) { o.Region = awsclient.Route53SigningRegion(cfg.Region) }),
		Region:  cfg.Region, cfg: cfg,
	}
}

// InRegion is the fixture's access to another Region of the same account:
// same credentials and endpoint. EC2 keeps its resources per Region, so
// what the result creates or looks up (CreateVPC, Endpoints, ...) is there.
func (a *AWS) InRegion(region string) *AWS {
	if region == "" || region == a.Region {
		return a
	}
	cfg := a.cfg.Copy()
	cfg.Region = region
	return newAWS(cfg)
}

// retryLogger passes on the SDK's log except its notes on errors it does
// not retry.
type retryLogger struct{ logging.Logger }

func (l retryLogger) Logf(c logging.Classification, format string, v ...any) {
	if strings.HasPrefix(format, "request failed with unretryable error") {
		return
	}
	l.Logger.Logf(c, format, v...)
}

// AccountID is the account the tests run in, as STS reports it.
func (a *AWS) AccountID(ctx context.Context) (string, error) {
	out, err := a.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", fmt.Errorf("reading the test account's ID: %w", err)
	}
	return aws.ToString(out.Account), nil
}

// Zone is an Availability Zone by name (differs per account) and ID (does not).
type Zone struct {
	Name string
	ID   string
}

// Zones lists the Region's available Availability Zones, sorted by name.
func (a *AWS) Zones(ctx context.Context) ([]Zone, error) {
	out, err := a.EC2.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{
		Filters: []ec2types.Filter{{Name: aws.String("state"), Values: []string{"available"}}},
	})
	if err != nil {
		return nil, fmt.Errorf("listing Availability Zones: %w", err)
	}
	zones := make([]Zone, 0, len(out.AvailabilityZones))
	for _, z := range out.AvailabilityZones {
		zones = append(zones, Zone{Name: aws.ToString(z.ZoneName), ID: aws.ToString(z.ZoneId)})
	}
	sort.Slice(zones, func(i, j int) bool { return zones[i].Name < zones[j].Name })
	return zones, nil
}

// RandomName returns prefix plus a short random suffix, so that parallel
// tests and re-runs never collide.
func RandomName(prefix string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b)
}

func nameTag(resource ec2types.ResourceType, name string) []ec2types.TagSpecification {
	return []ec2types.TagSpecification{{
		ResourceType: resource,
		Tags: []ec2types.Tag{
			{Key: aws.String("Name"), Value: aws.String(name)},
			{Key: aws.String("engflow-acctest"), Value: aws.String("true")},
		},
	}}
}

// DeleteEndpoint deletes an endpoint (again, if need be) and waits until
// EC2 reports it deleted or no longer knows it. A new endpoint may be
// unknown to DeleteVpcEndpoints for a while (eventual consistency: it then
// reports InvalidVpcEndpoint.NotFound and deletes nothing), so the delete is
// repeated until EC2 reports the endpoint deleting or deleted, or NotFound
// answers have persisted for notFoundSettle.
func (a *AWS) DeleteEndpoint(ctx context.Context, id string) error {
	deadline := time.Now().Add(dependencyTimeout)
	accepted := false
	var notFoundSince time.Time
	for {
		if !accepted {
			out, err := a.EC2.DeleteVpcEndpoints(ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: []string{id}})
			if err != nil {
				return fmt.Errorf("deleting endpoint %s: %w", id, err)
			}
			accepted = len(out.Unsuccessful) == 0
			for _, u := range out.Unsuccessful {
				if u.Error == nil || !strings.HasSuffix(aws.ToString(u.Error.Code), ".NotFound") {
					return fmt.Errorf("deleting endpoint %s: %w", id, unsuccessfulError(out.Unsuccessful))
				}
			}
		}
		ep, err := a.Endpoint(ctx, id)
		switch {
		case err == nil && strings.EqualFold(string(ep.State), "deleted"):
			return nil
		case err == nil:
			notFoundSince = time.Time{}
			if !strings.EqualFold(string(ep.State), "deleting") {
				accepted = false // EC2 did not take the delete (yet): ask again
			}
		case IsNotFound(err):
			if notFoundSince.IsZero() {
				notFoundSince = time.Now()
			} else if time.Since(notFoundSince) >= notFoundSettle() && (accepted || time.Since(notFoundSince) >= notFoundTolerance()) {
				return nil // EC2 forgets deleted endpoints after a while
			}
		default:
			return fmt.Errorf("waiting for endpoint %s to be deleted: %w", id, err)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("endpoint %s is not deleted after %s", id, dependencyTimeout)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for endpoint %s to be deleted: %w", id, ctx.Err())
		case <-time.After(250 * time.Millisecond):
		}
	}
}
