package shareddns

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
)

func TestCheckEndpoint(t *testing.T) {
	off := ec2types.VpcEndpoint{VpcEndpointId: aws.String("vpce-1"), VpcId: aws.String("vpc-1"), PrivateDnsEnabled: aws.Bool(false)}
	if d := checkEndpoint(off); d != "" {
		t.Errorf("private DNS off: %q, want no diagnostic", d)
	}
	on := off
	on.PrivateDnsEnabled = aws.Bool(true)
	if d := checkEndpoint(on); !strings.Contains(d, "vpce-1") || !strings.Contains(d, "private_dns_enabled = false") {
		t.Errorf("private DNS on: %q, want the endpoint named and the fix", d)
	}
}

func TestCheckVPCDNS(t *testing.T) {
	if d := checkVPCDNS("vpc-1", true, true); d != "" {
		t.Errorf("both on: %q", d)
	}
	d := checkVPCDNS("vpc-1", true, false)
	if !strings.Contains(d, "aws ec2 modify-vpc-attribute --vpc-id vpc-1 --enable-dns-hostnames") || strings.Contains(d, "--enable-dns-support") {
		t.Errorf("hostnames off: %q, want exactly the hostnames command", d)
	}
}

func TestCheckConflict(t *testing.T) {
	zones := []r53types.HostedZoneSummary{
		{HostedZoneId: aws.String("ZOTHER"), Name: aws.String("other.example.com.")},
		{HostedZoneId: aws.String("ZTHEIRS"), Name: aws.String("acme.cluster.engflow.com.")},
	}
	if zone, d := checkConflict("vpc-1", "acme.cluster.engflow.com", "", zones); zone != "ZTHEIRS" || !strings.Contains(d, "ZTHEIRS") {
		t.Errorf("another zone for the name: %s, %q, want it named", zone, d)
	}
	if _, d := checkConflict("vpc-1", "acme.cluster.engflow.com", "ZTHEIRS", zones); d != "" {
		t.Errorf("our own zone: %q, want no diagnostic", d)
	}
}

func TestSpokesOf(t *testing.T) {
	vpcs := []r53types.VPC{{VPCId: aws.String("vpc-hub"), VPCRegion: "us-east-1"}, {VPCId: aws.String("vpc-a"), VPCRegion: "us-east-1"}}
	if got := spokesOf(vpcs, "vpc-hub", "us-east-1", true); len(got) != 1 || got[0] != "vpc-a" {
		t.Errorf("spokes = %v, want [vpc-a]", got)
	}
	// Without the hub the zone still keeps one VPC to the end on destroy.
	if got := spokesOf(vpcs, "vpc-gone", "us-east-1", true); len(got) != 1 {
		t.Errorf("destroy without hub disassociates %v, want one VPC left", got)
	}
}
