package awsclient

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/route53"
)

// The route53 override is where Route 53 calls go, and they are signed
// for the partition's Region, not the provider's: AWS refuses a Route 53
// call signed for eu-west-1.
func TestRoute53_endpointOverrideAndSigningRegion(t *testing.T) {
	var auth, path string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth, path = r.Header.Get("Authorization"), r.URL.Path
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<ListHostedZonesByNameResponse><HostedZones/><IsTruncated>false</IsTruncated>` +
			`<MaxItems>100</MaxItems></ListHostedZonesByNameResponse>`))
	}))
	defer srv.Close()
	cfg := aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")}
	c := New(cfg, Endpoints{Route53: srv.URL}, nil)
	if _, err := c.Route53().ListHostedZonesByName(context.Background(), &route53.ListHostedZonesByNameInput{}); err != nil {
		t.Fatal(err)
	}
	if path != "/2013-04-01/hostedzonesbyname" {
		t.Errorf("path = %q, want /2013-04-01/hostedzonesbyname", path)
	}
	if !strings.Contains(auth, "/us-east-1/route53/") {
		t.Errorf("Authorization = %q, want a signature scoped to us-east-1/route53", auth)
	}
}

func TestRoute53SigningRegion(t *testing.T) {
	for region, want := range map[string]string{
		"eu-west-1": "us-east-1", "us-east-1": "us-east-1", "cn-north-1": "cn-northwest-1", "us-gov-east-1": "us-gov-west-1",
	} {
		if got := Route53SigningRegion(region); got != want {
			t.Errorf("Route53SigningRegion(%q) = %q, want %q", region, got, want)
		}
	}
}
