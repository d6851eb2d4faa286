package shareddns

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/engflow/terraform-provider-engflow/internal/privatelink"
)

const (
	hubDomain   = "acme.cluster.engflow.com"
	hubEndpoint = "vpce-0123456789abcdef0"
	hubRegional = "vpce-0123456789abcdef0-abcd1234.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com"
	vpceZone    = "Z7HUB22UULQXV"
)

var hubRef = privatelink.VPCRef{ID: "vpc-hub", Region: "us-east-1"}

func hubEndpointOf(privateDNS bool) ec2types.VpcEndpoint {
	return ec2types.VpcEndpoint{VpcEndpointId: aws.String(hubEndpoint), VpcId: aws.String(hubRef.ID), PrivateDnsEnabled: aws.Bool(privateDNS),
		IpAddressType: ec2types.IpAddressTypeIpv4,
		DnsEntries:    []ec2types.DnsEntry{{DnsName: aws.String(hubRegional), HostedZoneId: aws.String(vpceZone)}}}
}

// expectHealth fails unless h is the named check with ok and every phrase in its detail.
func expectHealth(t *testing.T, h privatelink.HealthCheck, name string, ok bool, phrases ...string) {
	t.Helper()
	if h.Name != name || h.OK != ok {
		t.Errorf("%s ok = %v, want %s ok = %v: %s", h.Name, h.OK, name, ok, h.Detail)
	}
	for _, p := range phrases {
		if !strings.Contains(h.Detail, p) {
			t.Errorf("%s detail lacks %q:\n%s", name, p, h.Detail)
		}
	}
}

func TestSpokesCheck(t *testing.T) {
	spoke := func(id string, associated, support, hostnames bool) spokeState {
		return spokeState{VPCRef: privatelink.VPCRef{ID: id, Region: "us-east-1"}, associated: associated, support: support, hostnames: hostnames}
	}
	expectHealth(t, spokesCheck("Z1", hubDomain, nil), checkSpokes, true, "No spoke VPC")
	expectHealth(t, spokesCheck("Z1", hubDomain, []spokeState{spoke("vpc-a", true, true, true), spoke("vpc-b", true, true, true)}),
		checkSpokes, true, "vpc-a is associated", "vpc-b is associated")

	h := spokesCheck("Z1", hubDomain, []spokeState{spoke("vpc-a", true, true, true), spoke("vpc-b", true, true, false)})
	expectHealth(t, h, checkSpokes, false, `aws ec2 modify-vpc-attribute --vpc-id vpc-b --enable-dns-hostnames '{"Value":true}'`, "vpc-a is associated")
	if first, _, _ := strings.Cut(h.Detail, "\n"); !strings.HasPrefix(first, "vpc-b has enableDnsHostnames off") {
		t.Errorf("the first line is not the failing spoke's: %q", first)
	}
	if strings.Contains(h.Detail, "--enable-dns-support") {
		t.Errorf("a command for an attribute that is on:\n%s", h.Detail)
	}

	h = spokesCheck("Z1", hubDomain, []spokeState{spoke("vpc-c", false, false, true)})
	expectHealth(t, h, checkSpokes, false, "vpc-c is not associated with Z1",
		"aws route53 associate-vpc-with-hosted-zone --hosted-zone-id Z1 --vpc VPCRegion=us-east-1,VPCId=vpc-c",
		`aws ec2 modify-vpc-attribute --vpc-id vpc-c --enable-dns-support '{"Value":true}'`)

	gone := spoke("vpc-d", true, false, false)
	gone.err = errors.New("VPC vpc-d not found")
	expectHealth(t, spokesCheck("Z1", hubDomain, []spokeState{gone}), checkSpokes, false, "vpc-d: its DNS attributes could not be read",
		"ec2:DescribeVpcAttribute")
}

func TestZoneCheck(t *testing.T) {
	zone := func(name string, private bool, vpcs ...privatelink.VPCRef) *route53.GetHostedZoneOutput {
		out := &route53.GetHostedZoneOutput{HostedZone: &r53types.HostedZone{Name: aws.String(name + "."),
			Config: &r53types.HostedZoneConfig{PrivateZone: private}}}
		for _, v := range vpcs {
			out.VPCs = append(out.VPCs, r53types.VPC{VPCId: aws.String(v.ID), VPCRegion: r53types.VPCRegion(v.Region)})
		}
		return out
	}
	ep := hubEndpointOf(false)
	expectHealth(t, zoneCheck("Z1", zone(hubDomain, true, hubRef), hubDomain, hubRef, ep), checkZone, true, "private hosted zone for "+hubDomain)
	// A service without a private DNS name: any name will do.
	expectHealth(t, zoneCheck("Z1", zone("other.example.com", true, hubRef), "", hubRef, ep), checkZone, true)

	expectHealth(t, zoneCheck("Z1", zone("other.example.com", true, hubRef), hubDomain, hubRef, ep), checkZone, false,
		"Z1 is for other.example.com", `domain_name = "`+hubDomain+`"`)
	expectHealth(t, zoneCheck("Z1", zone(hubDomain, false), hubDomain, hubRef, ep), checkZone, false, "public hosted zone")
	expectHealth(t, zoneCheck("Z1", zone(hubDomain, true, privatelink.VPCRef{ID: "vpc-hub", Region: "us-west-2"}), hubDomain, hubRef, ep),
		checkZone, false, "The hub VPC vpc-hub is not associated", "VPCRegion=us-east-1,VPCId=vpc-hub")
	expectHealth(t, zoneCheck("Z1", zone(hubDomain, true, hubRef), hubDomain, hubRef, hubEndpointOf(true)), checkZone, false,
		"private_dns_enabled = false")
}

func TestZoneUnreadable(t *testing.T) {
	checks := zoneUnreadable("Z1", &r53types.NoSuchHostedZone{Message: aws.String("No hosted zone found with ID: Z1")})
	if len(checks) != 3 {
		t.Fatalf("%d checks, want the zone's, the alias's and the spokes'", len(checks))
	}
	expectHealth(t, checks[0], checkZone, false, "Route 53 has no hosted zone Z1", "shared_dns_zone_id")
	expectHealth(t, checks[1], checkAlias, false, "Not checked")
	expectHealth(t, checks[2], checkSpokes, false, "Not checked")
	expectHealth(t, zoneUnreadable("Z1", errors.New("AccessDenied"))[0], checkZone, false, "route53:GetHostedZone")
}

func TestAliasCheck(t *testing.T) {
	want, err := targetOf(hubEndpointOf(false))
	if err != nil {
		t.Fatal(err)
	}
	read := func(got aliasTarget, found bool) aliasRead { return aliasRead{got: got, found: found, want: want} }
	expectHealth(t, aliasCheck("Z1", hubDomain, hubEndpoint, read(want, true)), checkAlias, true, "A alias records", hubRegional)

	expectHealth(t, aliasCheck("Z1", hubDomain, hubEndpoint, read(aliasTarget{}, false)), checkAlias, false,
		"Z1 has no alias record for "+hubDomain, "-replace=")
	other := want
	other.DNSName = "vpce-0fedcba9876543210-zz.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com"
	expectHealth(t, aliasCheck("Z1", hubDomain, hubEndpoint, read(other, true)), checkAlias, false,
		"(endpoint vpce-0fedcba9876543210)", `endpoint_id = "`+hubEndpoint+`"`)
	dual := want
	dual.IPv6 = true
	expectHealth(t, aliasCheck("Z1", hubDomain, hubEndpoint, aliasRead{got: want, found: true, want: dual}), checkAlias, false,
		"holds A alias records", "serves A and AAAA")
	expectHealth(t, aliasCheck("Z1", hubDomain, hubEndpoint, aliasRead{err: errors.New("Throttling")}), checkAlias, false,
		"route53:ListResourceRecordSets")
	_, noName := targetOf(ec2types.VpcEndpoint{VpcEndpointId: aws.String(hubEndpoint), State: "pending"})
	expectHealth(t, aliasCheck("Z1", hubDomain, hubEndpoint, aliasRead{wantErr: noName}), checkAlias, false, "no regional DNS name yet")
}

// askLog records what the fakes were asked; the spokes are read at once.
type askLog struct {
	mu    sync.Mutex
	asked []string
}

func (l *askLog) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.asked = append(l.asked, s)
}

// fakeVPCs answers VPCDNSAttributes from a table and records what was asked.
type fakeVPCs struct {
	endpointLookups
	region string
	attrs  map[string][2]bool
	log    *askLog
}

func (f fakeVPCs) VPCDNSAttributes(_ context.Context, id string) (bool, bool, error) {
	f.log.add(id + "@" + f.region)
	a, ok := f.attrs[id]
	if !ok {
		return false, false, errors.New("VPC " + id + " not found")
	}
	return a[0], a[1], nil
}

// The hub's checks from what Route 53 and EC2 answer: the zone's spokes
// and the expected ones not associated are all checked, each in its own
// Region, and reported for the firewall checks.
func TestHubHealthCheck(t *testing.T) {
	f := &fakeRoute53{
		vpcs: []r53types.VPC{{VPCId: aws.String("vpc-hub"), VPCRegion: "us-east-1"}, {VPCId: aws.String("vpc-b"), VPCRegion: "us-east-1"},
			{VPCId: aws.String("vpc-west"), VPCRegion: "us-west-2"}},
		records: []r53types.ResourceRecordSet{{Name: aws.String(hubDomain + "."), Type: r53types.RRTypeA,
			AliasTarget: &r53types.AliasTarget{DNSName: aws.String(hubRegional + "."), HostedZoneId: aws.String(vpceZone)}}},
	}
	log := &askLog{}
	hh := hubHealth{zones: zoneOps{r53: f, region: "us-east-1"}, ec2In: func(region string) endpointLookups {
		return fakeVPCs{region: region, log: log, attrs: map[string][2]bool{"vpc-b": {true, false}, "vpc-west": {true, true}, "vpc-c": {true, true}}}
	}}
	r := hh.check(context.Background(), privatelink.Hub{Region: "us-east-1", ZoneID: "/hostedzone/Z1", Endpoint: hubEndpointOf(false),
		Domain: hubDomain, Spokes: []string{"vpc-b", "vpc-c", "vpc-hub"}})

	wantSpokes := []privatelink.VPCRef{{ID: "vpc-b", Region: "us-east-1"}, {ID: "vpc-c", Region: "us-east-1"}, {ID: "vpc-west", Region: "us-west-2"}}
	if !slices.Equal(r.Spokes, wantSpokes) || r.Domain != hubDomain {
		t.Errorf("spokes %v, domain %q; want %v, %q", r.Spokes, r.Domain, wantSpokes, hubDomain)
	}
	asked := slices.Sorted(slices.Values(log.asked))
	if want := []string{"vpc-b@us-east-1", "vpc-c@us-east-1", "vpc-west@us-west-2"}; !slices.Equal(asked, want) {
		t.Errorf("DNS attributes asked of %v, want %v (never the hub's: the endpoint checks cover it)", asked, want)
	}
	if len(r.Checks) != 3 {
		t.Fatalf("checks %+v, want the zone's, the alias's and the spokes'", r.Checks)
	}
	expectHealth(t, r.Checks[0], checkZone, true)
	expectHealth(t, r.Checks[1], checkAlias, true)
	expectHealth(t, r.Checks[2], checkSpokes, false, "--vpc-id vpc-b --enable-dns-hostnames", "vpc-c is not associated with Z1",
		"vpc-west is associated")
	if !slices.Equal(f.calls, []string{"GetHostedZone", "ListResourceRecordSets"}) {
		t.Errorf("Route 53 calls %v, want only reads", f.calls)
	}
}
