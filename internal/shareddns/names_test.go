package shareddns

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/engflow/terraform-provider-engflow/internal/privatelink"
)

func TestDomainPattern(t *testing.T) {
	for name, want := range map[string]bool{
		"acme.cluster.engflow.com":  true,
		"a-b.cluster.engflow.com":   true,
		"acme":                      false, // one label
		"Acme.cluster.engflow.com":  false, // Route 53 stores lower case; a plan would never settle
		"acme.cluster.engflow.com.": false, // trailing dot
		"-acme.cluster.engflow.com": false,
		"acme..engflow.com":         false,
		"*.cluster.engflow.com":     false,
	} {
		if got := domainPattern.MatchString(name); got != want {
			t.Errorf("%q: match = %v, want %v", name, got, want)
		}
	}
}

func TestEndpointIDOfAlias(t *testing.T) {
	for name, want := range map[string]string{
		"vpce-0123456789abcdef0-abcd1234.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com": "vpce-0123456789abcdef0",
		"vpce-0123456789abcdef0-abcd1234-us-east-1a.vpce-svc-1.us-east-1.vpce.amazonaws.com":      "vpce-0123456789abcdef0",
		"elb.example.com": "",
		"vpce-only.x":     "",
	} {
		if got := endpointIDOfAlias(name); got != want {
			t.Errorf("endpointIDOfAlias(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestRegionalEntry(t *testing.T) {
	entry := func(name string) ec2types.DnsEntry {
		return ec2types.DnsEntry{DnsName: aws.String(name), HostedZoneId: aws.String("Z7HUB22UULQXV")}
	}
	ep := ec2types.VpcEndpoint{VpcEndpointId: aws.String("vpce-0123456789abcdef0"), DnsEntries: []ec2types.DnsEntry{
		entry("vpce-0123456789abcdef0-abcd1234-us-east-1a.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com"),
		entry("acme.cluster.engflow.com"),
		entry("vpce-0123456789abcdef0-abcd1234.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com"),
	}}
	e, ok := privatelink.RegionalDNSEntry(ep)
	if want := "vpce-0123456789abcdef0-abcd1234.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com"; !ok || aws.ToString(e.DnsName) != want {
		t.Errorf("RegionalDNSEntry = %q, %v; want %q", aws.ToString(e.DnsName), ok, want)
	}
}
