package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"

	"github.com/engflow/terraform-provider-engflow/internal/awsclient"
)

// The Route 53 client the provider builds retries Route 53's answers to a
// busy caller, both HTTP 400 in Route 53's XML error shape: Throttling
// ("Rate exceeded") and PriorRequestNotComplete (Route 53 Developer Guide,
// "Quotas on Route 53 API requests"; the API Reference recommends waiting
// "in intervals of increasing duration" before trying again). No
// configuration of ours does it: aws-sdk-go-v2's standard retryer, which
// newRetryer builds on, lists both among its throttle error codes
// (retry.DefaultThrottleErrorCodes). This holds that true through SDK
// upgrades and changes to newRetryer. TestAccSharedDNS_route53Faults shows
// it end to end.
func TestRoute53Client_retriesThrottlingAndPriorRequestNotComplete(t *testing.T) {
	for _, mode := range []string{retryModeStandard, retryModeAdaptive} {
		for code, message := range map[string]string{
			"Throttling":              "Rate exceeded",
			"PriorRequestNotComplete": "The request was rejected because Route 53 was still processing a prior request.",
		} {
			t.Run(mode+"/"+code, func(t *testing.T) {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Content-Type", "text/xml")
					w.WriteHeader(http.StatusBadRequest)
					fmt.Fprintf(w, `<?xml version="1.0"?>
<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>0b1c2d3e-0000-4000-8000-000000000000</RequestId></ErrorResponse>`,
						code, message)
				}))
				defer srv.Close()
				isolateAWSEnvWith(t, baseKeys)
				cfg, err := loadAWSConfig(context.Background(), awsSettings{Region: "eu-west-1", RetryMode: mode}, "test")
				if err != nil {
					t.Fatal(err)
				}
				c := awsclient.New(cfg, awsclient.Endpoints{Route53: srv.URL}, nil).Route53()
				// One attempt, to get the error as the SDK parsed it.
				_, err = c.ChangeResourceRecordSets(context.Background(), &route53.ChangeResourceRecordSetsInput{
					HostedZoneId: aws.String("Z0123456789ABC"),
					ChangeBatch: &r53types.ChangeBatch{Changes: []r53types.Change{{Action: r53types.ChangeActionUpsert, ResourceRecordSet: &r53types.ResourceRecordSet{
						Name: aws.String("acme.cluster.engflow.com"), Type: r53types.RRTypeA, TTL: aws.Int64(60),
						ResourceRecords: []r53types.ResourceRecord{{Value: aws.String("10.0.0.5")}},
					}}}},
				}, func(o *route53.Options) { o.RetryMaxAttempts = 1 })
				var apiErr smithy.APIError
				if !errors.As(err, &apiErr) || apiErr.ErrorCode() != code {
					t.Fatalf("ChangeResourceRecordSets: %v, want Route 53's %s", err, code)
				}
				r := c.Options().Retryer
				if !r.IsErrorRetryable(err) {
					t.Errorf("the provider's Route 53 client does not retry %v", err)
				}
				if r.MaxAttempts() != defaultMaxRetries+1 {
					t.Errorf("the provider's Route 53 client makes %d attempts, want %d", r.MaxAttempts(), defaultMaxRetries+1)
				}
			})
		}
	}
}
