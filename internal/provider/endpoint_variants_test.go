package provider

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/engflow/terraform-provider-engflow/internal/awsclient"
)

// hostRecorder is an HTTP client that notes the host of each request and
// sends nothing.
type hostRecorder struct{ hosts []string }

var errNotSent = errors.New("not sent")

func (h *hostRecorder) Do(r *http.Request) (*http.Response, error) {
	h.hosts = append(h.hosts, r.URL.Host)
	return nil, errNotSent
}

// calledHosts returns the hosts the provider's EC2 and STS clients call
// with settings s ("" when the endpoint could not be resolved).
func calledHosts(t *testing.T, s awsSettings) (ec2Host, stsHost string) {
	t.Helper()
	s.Region = "us-east-1"
	cfg, err := loadAWSConfig(context.Background(), s, "test")
	if err != nil {
		t.Fatal(err)
	}
	c := awsclient.New(cfg, s.Endpoints, nil)
	ctx := context.Background()
	host := func(call func(*hostRecorder) error) string {
		rec := &hostRecorder{}
		if err := call(rec); !errors.Is(err, errNotSent) {
			t.Errorf("call failed before sending: %v", err)
		}
		if len(rec.hosts) == 0 {
			return ""
		}
		return rec.hosts[0]
	}
	ec2Host = host(func(rec *hostRecorder) error {
		_, err := c.EC2.DescribeVpcEndpointServices(ctx, &ec2.DescribeVpcEndpointServicesInput{}, func(o *ec2.Options) {
			o.HTTPClient, o.Retryer = rec, aws.NopRetryer{}
		})
		return err
	})
	stsHost = host(func(rec *hostRecorder) error {
		_, err := c.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, func(o *sts.Options) {
			o.HTTPClient, o.Retryer = rec, aws.NopRetryer{}
		})
		return err
	})
	return ec2Host, stsHost
}

func TestEndpointVariants(t *testing.T) {
	yes, no := true, false
	for _, tc := range []struct {
		name             string
		s                awsSettings
		env              map[string]string
		wantEC2, wantSTS string
	}{
		{name: "default", wantEC2: "ec2.us-east-1.amazonaws.com", wantSTS: "sts.us-east-1.amazonaws.com"},
		{name: "use_fips_endpoint", s: awsSettings{UseFIPSEndpoint: &yes},
			wantEC2: "ec2-fips.us-east-1.amazonaws.com", wantSTS: "sts-fips.us-east-1.amazonaws.com"},
		{name: "AWS_USE_FIPS_ENDPOINT", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "true"},
			wantEC2: "ec2-fips.us-east-1.amazonaws.com", wantSTS: "sts-fips.us-east-1.amazonaws.com"},
		{name: "use_fips_endpoint false beats the environment", s: awsSettings{UseFIPSEndpoint: &no},
			env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "true"}, wantEC2: "ec2.us-east-1.amazonaws.com", wantSTS: "sts.us-east-1.amazonaws.com"},
		{name: "use_dualstack_endpoint", s: awsSettings{UseDualStackEndpoint: &yes},
			wantEC2: "ec2.us-east-1.api.aws", wantSTS: "sts.us-east-1.api.aws"},
		{name: "custom endpoint ignores FIPS and dual-stack",
			s:       awsSettings{UseFIPSEndpoint: &yes, UseDualStackEndpoint: &yes, Endpoints: awsclient.Endpoints{EC2: "http://127.0.0.1:1"}},
			wantEC2: "127.0.0.1:1", wantSTS: "sts-fips.us-east-1.api.aws"},
		{name: "AWS_ENDPOINT_URL_STS ignores FIPS", s: awsSettings{UseFIPSEndpoint: &yes},
			env:     map[string]string{"AWS_ENDPOINT_URL_STS": "http://127.0.0.1:2"},
			wantEC2: "ec2-fips.us-east-1.amazonaws.com", wantSTS: "127.0.0.1:2"},
		{name: "sts_region", s: awsSettings{Endpoints: awsclient.Endpoints{STSRegion: "eu-west-1"}},
			wantEC2: "ec2.us-east-1.amazonaws.com", wantSTS: "sts.eu-west-1.amazonaws.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			isolateAWSEnvWith(t, baseKeys)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			gotEC2, gotSTS := calledHosts(t, tc.s)
			if gotEC2 != tc.wantEC2 || gotSTS != tc.wantSTS {
				t.Errorf("hosts (EC2, STS) = (%q, %q), want (%q, %q)", gotEC2, gotSTS, tc.wantEC2, tc.wantSTS)
			}
		})
	}
}
