package privatelink

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwtypes "github.com/hashicorp/terraform-plugin-framework/types"
)

func TestCheckAddressInBlocks(t *testing.T) {
	v4 := []netip.Prefix{netip.MustParsePrefix("10.0.1.0/24")}
	small := []netip.Prefix{netip.MustParsePrefix("10.0.2.16/28")}
	dual := append(slices.Clone(v4), netip.MustParsePrefix("2600:1f18:1:2::/64"))
	for _, tc := range []struct {
		name, addr string
		blocks     []netip.Prefix
		want       string // "" for usable; else words of the error
	}{
		{"first usable", "10.0.1.4", v4, ""},
		{"last usable", "10.0.1.254", v4, ""},
		{"network", "10.0.1.0", v4, "keeps in 10.0.1.0/24"},
		{"router", "10.0.1.1", v4, "Usable addresses are 10.0.1.4 to 10.0.1.254"},
		{"DNS", "10.0.1.2", v4, "first four"},
		{"future use", "10.0.1.3", v4, "first four"},
		{"broadcast", "10.0.1.255", v4, "the last"},
		{"outside", "10.0.3.10", v4, "outside the subnet's CIDR block. Usable addresses are 10.0.1.4 to 10.0.1.254 (in 10.0.1.0/24)"},
		{"/28 first usable", "10.0.2.20", small, ""},
		{"/28 reserved", "10.0.2.19", small, "Usable addresses are 10.0.2.20 to 10.0.2.30"},
		{"/28 broadcast", "10.0.2.31", small, "keeps"},
		{"IPv6 usable", "2600:1f18:1:2::10", dual, ""},
		{"IPv6 reserved", "2600:1f18:1:2::3", dual, "2600:1f18:1:2::4 to 2600:1f18:1:2:ffff:ffff:ffff:fffe"},
		{"IPv6 last", "2600:1f18:1:2:ffff:ffff:ffff:ffff", dual, "keeps"},
		{"IPv6 outside", "2600:1f18:1:3::10", dual, "outside"},
		{"IPv6 without a block", "2600:1f18:1:2::10", v4, "no IPv6 CIDR block"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkAddressInBlocks(tc.addr, tc.blocks)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("%s refused: %v", tc.addr, err)
			case tc.want != "" && err == nil:
				t.Errorf("%s accepted, want an error saying %q", tc.addr, tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

func TestParseFamily(t *testing.T) {
	for _, tc := range []struct {
		s  string
		v6 bool
		ok bool
	}{
		{"10.0.1.10", false, true},
		{"2600:1f18::10", true, true},
		{"2600:1f18::10", false, false},
		{"10.0.1.10", true, false},
		{"::ffff:10.0.1.10", true, false},
		{"::ffff:10.0.1.10", false, false},
		{"10.0.1.010", false, false},
		{"fe80::1%eth0", true, false},
		{"10.0.1", false, false},
	} {
		if err := parseFamily(tc.s, tc.v6); (err == nil) != tc.ok {
			t.Errorf("parseFamily(%q, v6=%v) = %v, want ok=%v", tc.s, tc.v6, err, tc.ok)
		}
	}
}

func entry(subnet, v4, v6 string) subnetConfigModel {
	opt := func(s string) fwtypes.String {
		if s == "" {
			return fwtypes.StringNull()
		}
		return fwtypes.StringValue(s)
	}
	return subnetConfigModel{SubnetID: fwtypes.StringValue(subnet), IPv4: opt(v4), IPv6: opt(v6)}
}

// summaries lists the diagnostics' summaries.
func summaries(diags diag.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		out = append(out, d.Summary())
	}
	return out
}

func TestValidateSubnetConfigs(t *testing.T) {
	subnets := []string{"subnet-a", "subnet-b"}
	for _, tc := range []struct {
		name    string
		entries []subnetConfigModel
		ipType  string
		want    []string // summaries, in order
	}{
		{"fine", []subnetConfigModel{entry("subnet-a", "10.0.1.10", ""), entry("subnet-b", "10.0.2.10", "")}, "", nil},
		{"dualstack", []subnetConfigModel{entry("subnet-a", "10.0.1.10", "2600::10")}, "dualstack", nil},
		{"not in subnet_ids", []subnetConfigModel{entry("subnet-c", "10.0.3.10", "")}, "ipv4",
			[]string{"Subnet subnet-c in subnet_configuration is not in subnet_ids"}},
		{"twice", []subnetConfigModel{entry("subnet-a", "10.0.1.10", ""), entry("subnet-a", "10.0.1.11", "")}, "ipv4",
			[]string{"Subnet subnet-a has more than one subnet_configuration entry"}},
		{"IPv6 in ipv4", []subnetConfigModel{entry("subnet-a", "2600::10", "")}, "ipv4", []string{"Invalid ipv4 for subnet subnet-a"}},
		{"IPv6 on an ipv4 endpoint", []subnetConfigModel{entry("subnet-a", "10.0.1.10", "2600::10")}, "",
			[]string{"Subnet subnet-a has an IPv6 address the endpoint will not carry"}},
		{"IPv4 on an ipv6 endpoint", []subnetConfigModel{entry("subnet-a", "10.0.1.10", "2600::10")}, "ipv6",
			[]string{"Subnet subnet-a has an IPv4 address the endpoint will not carry"}},
		{"no IPv4 on an ipv4 endpoint", []subnetConfigModel{entry("subnet-a", "", "")}, "ipv4", []string{"Subnet subnet-a needs an IPv4 address"}},
		{"no IPv6 on a dualstack endpoint", []subnetConfigModel{entry("subnet-a", "10.0.1.10", "")}, "dualstack",
			[]string{"Subnet subnet-a needs an IPv6 address"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := summaries(validateSubnetConfigs(tc.entries, subnets, tc.ipType, true))
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	// Unknown subnet_ids or ip_address_type: only what is known is checked.
	if d := validateSubnetConfigs([]subnetConfigModel{entry("subnet-z", "", "")}, nil, "", false); d.HasError() {
		t.Errorf("unknown subnet_ids and ip_address_type: %q", summaries(d))
	}
}

func TestAddressChanges(t *testing.T) {
	held := map[string]interfaceAddresses{
		"subnet-a": {ID: "eni-a", SubnetID: "subnet-a", IPv4: "10.0.1.10"},
		"subnet-b": {ID: "eni-b", SubnetID: "subnet-b", IPv4: "10.0.2.10", IPv6: []string{"2600:0:0:2::10"}},
	}
	want := map[string]subnetAddress{
		"subnet-a": {IPv4: "10.0.1.10"},                         // held: nothing to send
		"subnet-b": {IPv4: "10.0.2.10", IPv6: "2600:0:0:2::11"}, // IPv6 differs: replaced
		"subnet-c": {IPv4: "10.0.3.10"},                         // a new subnet: sent, nothing replaced
	}
	configs, replaced := addressChanges(want, held)
	var sent []string
	for _, c := range configs {
		sent = append(sent, aws.ToString(c.SubnetId)+"="+aws.ToString(c.Ipv4)+","+aws.ToString(c.Ipv6))
	}
	if w := []string{"subnet-b=10.0.2.10,2600:0:0:2::11", "subnet-c=10.0.3.10,"}; !slices.Equal(sent, w) {
		t.Errorf("sent %q, want %q", sent, w)
	}
	if !slices.Equal(replaced, []string{"eni-b"}) {
		t.Errorf("replaced %q, want [eni-b]", replaced)
	}
	// The same address written otherwise is the same address.
	if configs, _ := addressChanges(map[string]subnetAddress{"subnet-b": {IPv4: "10.0.2.10", IPv6: "2600::2:0:0:0:10"}}, held); len(configs) != 0 {
		t.Errorf("sent %v for addresses the interface holds", configs)
	}
}

func TestReadBackSubnetConfigs(t *testing.T) {
	prior := []subnetConfigModel{entry("subnet-a", "10.0.1.10", ""), entry("subnet-b", "10.0.2.10", "2600:0:0:2::10"), entry("subnet-gone", "10.0.9.10", "")}
	enis := map[string]interfaceAddresses{
		"eni-a": {ID: "eni-a", SubnetID: "subnet-a", IPv4: "10.0.1.99"},                                     // changed outside Terraform
		"eni-b": {ID: "eni-b", SubnetID: "subnet-b", IPv4: "10.0.2.10", IPv6: []string{"2600::2:0:0:0:10"}}, // same, written otherwise
	}
	got := readBackSubnetConfigs(prior, []string{"subnet-a", "subnet-b"}, enis)
	want := []subnetConfigModel{entry("subnet-a", "10.0.1.99", ""), entry("subnet-b", "10.0.2.10", "2600:0:0:2::10")}
	if !slices.EqualFunc(got, want, func(a, b subnetConfigModel) bool {
		return a.SubnetID.Equal(b.SubnetID) && a.IPv4.Equal(b.IPv4) && a.IPv6.Equal(b.IPv6)
	}) {
		t.Errorf("got %v, want %v", got, want)
	}
	// Interfaces taken from the prior state (no subnet known) keep the entries.
	kept := readBackSubnetConfigs(prior[:1], []string{"subnet-a"}, map[string]interfaceAddresses{"eni-a": {ID: "eni-a", IPv4: "10.0.1.10"}})
	if len(kept) != 1 || kept[0].IPv4.ValueString() != "10.0.1.10" {
		t.Errorf("got %v, want the prior entry", kept)
	}
}

func TestAddressChangeWarnings(t *testing.T) {
	prior := []subnetConfigModel{entry("subnet-a", "10.0.1.10", "")}
	planned := []subnetConfigModel{entry("subnet-a", "10.0.1.20", ""), entry("subnet-b", "10.0.2.10", ""), entry("subnet-new", "10.0.3.10", "")}
	diags := addressChangeWarnings(prior, planned, []string{"subnet-a", "subnet-b"})
	got := summaries(diags)
	want := []string{
		"The endpoint's network interface in subnet-a will be replaced",
		"The endpoint's network interface in subnet-b will be replaced",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if d := diags[0].Detail(); !strings.Contains(d, "from 10.0.1.10 to 10.0.1.20") {
		t.Errorf("detail %q does not name the old and new address", d)
	}
	if d := diags[1].Detail(); !strings.Contains(d, "from the address AWS picked to 10.0.2.10") {
		t.Errorf("detail %q does not say the address was AWS's", d)
	}
	if d := addressChangeWarnings(prior, prior, []string{"subnet-a"}); len(d) != 0 {
		t.Errorf("unchanged addresses warned: %q", summaries(d))
	}
}

func TestSubnetBlocks(t *testing.T) {
	sn := types.Subnet{
		CidrBlock: aws.String("10.0.1.0/24"),
		Ipv6CidrBlockAssociationSet: []types.SubnetIpv6CidrBlockAssociation{
			{Ipv6CidrBlock: aws.String("2600:1f18:1:2::/64"), Ipv6CidrBlockState: &types.SubnetCidrBlockState{State: types.SubnetCidrBlockStateCodeAssociated}},
			{Ipv6CidrBlock: aws.String("2600:1f18:1:3::/64"), Ipv6CidrBlockState: &types.SubnetCidrBlockState{State: types.SubnetCidrBlockStateCodeDisassociated}},
		},
	}
	got := subnetBlocks(sn)
	want := []netip.Prefix{netip.MustParsePrefix("10.0.1.0/24"), netip.MustParsePrefix("2600:1f18:1:2::/64")}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// An update that keeps the addresses and subnets (tags only, say) reads no
// interface and sends no address; a changed address reads them and sends
// that subnet's, naming the interface EC2 replaces.
func TestEndpointOps_addressChangesReadsInterfacesOnlyForAChange(t *testing.T) {
	f := &fakeEC2{describeENIs: func([]string) ([]types.NetworkInterface, error) {
		return []types.NetworkInterface{{NetworkInterfaceId: aws.String("eni-a"), SubnetId: aws.String("subnet-a"),
			PrivateIpAddress: aws.String("10.0.1.10")}}, nil
	}}
	p, _ := testPoller()
	o := endpointOps{client: newTestClient(f), poller: p}
	ep := &types.VpcEndpoint{VpcEndpointId: aws.String("vpce-1"), NetworkInterfaceIds: []string{"eni-a"}}
	current := endpointSpec{SubnetIDs: []string{"subnet-a"}, SubnetAddresses: map[string]subnetAddress{"subnet-a": {IPv4: "10.0.1.10"}}}

	tagsOnly := current
	tagsOnly.Tags = map[string]string{"team": "build"}
	configs, err := o.addressChanges(context.Background(), ep, current, &tagsOnly)
	if err != nil || len(configs) != 0 || f.callCount("DescribeNetworkInterfaces") != 0 {
		t.Fatalf("tags-only update: configs %v, err %v, %d DescribeNetworkInterfaces; want none, nil, 0",
			configs, err, f.callCount("DescribeNetworkInterfaces"))
	}

	moved := current
	moved.SubnetAddresses = map[string]subnetAddress{"subnet-a": {IPv4: "10.0.1.20"}}
	configs, err = o.addressChanges(context.Background(), ep, current, &moved)
	if err != nil || len(configs) != 1 || aws.ToString(configs[0].Ipv4) != "10.0.1.20" {
		t.Fatalf("changed address: configs %v, err %v; want subnet-a's 10.0.1.20", configs, err)
	}
	if f.callCount("DescribeNetworkInterfaces") != 1 || !slices.Equal(moved.GoneInterfaces, []string{"eni-a"}) {
		t.Errorf("changed address: %d DescribeNetworkInterfaces, gone %v; want 1 and [eni-a]",
			f.callCount("DescribeNetworkInterfaces"), moved.GoneInterfaces)
	}
}
