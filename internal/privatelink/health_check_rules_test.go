package privatelink

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// expectCheck fails unless the check has the name and outcome, and its
// Detail holds each phrase.
func expectCheck(t *testing.T, h HealthCheck, name string, ok bool, phrases ...string) {
	t.Helper()
	if h.Name != name || h.OK != ok {
		t.Errorf("got %s OK=%v, want %s OK=%v; detail:\n%s", h.Name, h.OK, name, ok, h.Detail)
	}
	if h.Detail == "" {
		t.Error("empty Detail")
	}
	for _, p := range phrases {
		if !strings.Contains(h.Detail, p) {
			t.Errorf("Detail lacks %q:\n%s", p, h.Detail)
		}
	}
}

func group(id string, perms ...types.IpPermission) types.SecurityGroup {
	return types.SecurityGroup{GroupId: aws.String(id), IpPermissions: perms}
}

// inbound is a security group rule; CIDRs with a colon are IPv6.
func inbound(proto string, from, to int32, cidrs ...string) types.IpPermission {
	p := types.IpPermission{IpProtocol: aws.String(proto), FromPort: aws.Int32(from), ToPort: aws.Int32(to)}
	for _, c := range cidrs {
		if strings.Contains(c, ":") {
			p.Ipv6Ranges = append(p.Ipv6Ranges, types.Ipv6Range{CidrIpv6: aws.String(c)})
		} else {
			p.IpRanges = append(p.IpRanges, types.IpRange{CidrIp: aws.String(c)})
		}
	}
	return p
}

func TestCheckSecurityGroups443(t *testing.T) {
	fromGroup := inbound("tcp", 443, 443)
	fromGroup.UserIdGroupPairs = []types.UserIdGroupPair{{GroupId: aws.String("sg-clients")}}
	fromList := inbound("tcp", 443, 443)
	fromList.PrefixListIds = []types.PrefixListId{{PrefixListId: aws.String("pl-0123")}}
	for _, tc := range []struct {
		name    string
		groups  []types.SecurityGroup
		clients []string
		ok      bool
		phrases []string
	}{
		{"tcp 443 exactly", []types.SecurityGroup{group("sg-1", inbound("tcp", 443, 443, "10.0.0.0/16"))}, []string{"10.0.0.0/16"},
			true, []string{"sg-1 allows TCP 443 from 10.0.0.0/16"}},
		{"protocol number 6", []types.SecurityGroup{group("sg-1", inbound("6", 443, 443, "10.0.0.0/8"))}, []string{"10.0.0.0/16"},
			true, []string{"rule for 10.0.0.0/8"}},
		{"port range 0-65535", []types.SecurityGroup{group("sg-1", inbound("tcp", 0, 65535, "10.0.0.0/16"))}, []string{"10.0.0.0/16"},
			true, nil},
		{"all traffic", []types.SecurityGroup{group("sg-1", inbound("-1", -1, -1, "0.0.0.0/0"))}, []string{"10.0.0.0/16"},
			true, []string{"rule for 0.0.0.0/0"}},
		{"second group allows it", []types.SecurityGroup{group("sg-1", inbound("tcp", 22, 22, "10.0.0.0/16")), group("sg-2", inbound("tcp", 443, 443, "10.0.0.0/16"))},
			[]string{"10.0.0.0/16"}, true, []string{"Checked sg-1, sg-2", "sg-2 allows"}},
		{"client CIDR not contained", []types.SecurityGroup{group("sg-1", inbound("tcp", 443, 443, "10.0.1.0/24"))}, []string{"10.0.0.0/16"},
			false, []string{"sg-1 only from 10.0.1.0/24", "add an inbound rule TCP 443 from 10.0.0.0/16 to sg-1"}},
		{"other port", []types.SecurityGroup{group("sg-1", inbound("tcp", 80, 80, "10.0.0.0/16"))}, []string{"10.0.0.0/16"},
			false, []string{"No inbound rule allows TCP 443 from 10.0.0.0/16"}},
		{"UDP 443", []types.SecurityGroup{group("sg-1", inbound("udp", 443, 443, "10.0.0.0/16"))}, []string{"10.0.0.0/16"},
			false, nil},
		{"one of two clients uncovered", []types.SecurityGroup{group("sg-1", inbound("tcp", 443, 443, "10.0.0.0/16"))}, []string{"10.0.0.0/16", "192.168.0.0/24"},
			false, []string{"add an inbound rule TCP 443 from 192.168.0.0/24 to sg-1"}},
		{"IPv6", []types.SecurityGroup{group("sg-1", inbound("tcp", 443, 443, "fd00::/8"))}, []string{"fd00:1::/64"},
			true, []string{"from fd00:1::/64"}},
		{"IPv6 client, IPv4 rule", []types.SecurityGroup{group("sg-1", inbound("-1", -1, -1, "0.0.0.0/0"))}, []string{"fd00:1::/64"},
			false, []string{"add an inbound rule TCP 443 from fd00:1::/64 to sg-1"}},
		{"only from another group", []types.SecurityGroup{group("sg-1", fromGroup)}, []string{"10.0.0.0/16"},
			true, []string{"security group sg-clients (rule in sg-1)", "clients in 10.0.0.0/16 must be in it"}},
		{"only from a prefix list", []types.SecurityGroup{group("sg-1", fromList)}, []string{"10.0.0.0/16"},
			true, []string{"prefix list pl-0123", "must be in it"}},
		{"no groups", nil, []string{"10.0.0.0/16"},
			false, []string{"no security group"}},
		{"client CIDR not a CIDR", []types.SecurityGroup{group("sg-1", inbound("tcp", 443, 443, "10.0.0.0/16"))}, []string{"10.0.0.0/33"},
			false, []string{`"10.0.0.0/33" is not a CIDR block`}},
		{"no client CIDRs", []types.SecurityGroup{group("sg-1", inbound("tcp", 443, 443, "10.0.0.0/16"))}, nil,
			false, []string{"No client CIDR blocks"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expectCheck(t, healthCheckSecurityGroups443(tc.groups, tc.clients), healthSecurityGroups, tc.ok, tc.phrases...)
		})
	}
}

const (
	in, out = false, true
)

// acl is a network ACL with EC2's final "*" entries appended, as EC2 lists them.
func acl(id string, entries ...types.NetworkAclEntry) types.NetworkAcl {
	entries = append(entries, rule(32767, in, "deny", "-1", "0.0.0.0/0", -1, -1), rule(32767, out, "deny", "-1", "0.0.0.0/0", -1, -1))
	return types.NetworkAcl{NetworkAclId: aws.String(id), Entries: entries}
}

// rule is an ACL entry; from < 0 leaves the port range out.
func rule(n int32, egress bool, action, proto, cidr string, from, to int32) types.NetworkAclEntry {
	e := types.NetworkAclEntry{RuleNumber: aws.Int32(n), Egress: aws.Bool(egress), RuleAction: types.RuleAction(action), Protocol: aws.String(proto)}
	if strings.Contains(cidr, ":") {
		e.Ipv6CidrBlock = aws.String(cidr)
	} else {
		e.CidrBlock = aws.String(cidr)
	}
	if from >= 0 {
		e.PortRange = &types.PortRange{From: aws.Int32(from), To: aws.Int32(to)}
	}
	return e
}

func TestCheckNetworkACLs443(t *testing.T) {
	allowAll := []types.NetworkAclEntry{rule(100, in, "allow", "-1", "0.0.0.0/0", -1, -1), rule(100, out, "allow", "-1", "0.0.0.0/0", -1, -1)}
	ephemeralOut := rule(100, out, "allow", "6", "10.0.0.0/16", 1024, 65535)
	for _, tc := range []struct {
		name    string
		acls    map[string]types.NetworkAcl
		clients []string
		ok      bool
		phrases []string
	}{
		{"default ACL allows all", map[string]types.NetworkAcl{"subnet-a": acl("acl-1", allowAll...)}, []string{"10.0.0.0/16"},
			true, []string{"subnet-a (acl-1): inbound TCP 443 from 10.0.0.0/16 allowed by rule 100", "outbound TCP 1024-65535 to 10.0.0.0/16 allowed by rule 100"}},
		{"deny before allow, overlapping the clients", map[string]types.NetworkAcl{"subnet-a": acl("acl-1",
			append([]types.NetworkAclEntry{rule(90, in, "deny", "6", "10.0.5.0/24", 443, 443)}, allowAll...)...)}, []string{"10.0.0.0/16"},
			false, []string{"subnet-a (acl-1): inbound TCP 443 from 10.0.0.0/16 is denied by rule 90 (deny 10.0.5.0/24 ports 443)",
				"Allow inbound TCP 443 from 10.0.0.0/16 in acl-1, with rule numbers below 90"}},
		{"deny after allow", map[string]types.NetworkAcl{"subnet-a": acl("acl-1",
			append([]types.NetworkAclEntry{rule(200, in, "deny", "-1", "0.0.0.0/0", -1, -1)}, allowAll...)...)}, []string{"10.0.0.0/16"},
			true, nil},
		{"deny of other ports and protocols", map[string]types.NetworkAcl{"subnet-a": acl("acl-1",
			append([]types.NetworkAclEntry{rule(50, in, "deny", "6", "0.0.0.0/0", 22, 22), rule(60, in, "deny", "17", "0.0.0.0/0", 443, 443)}, allowAll...)...)},
			[]string{"10.0.0.0/16"}, true, nil},
		{"443 in, no ephemeral ports out", map[string]types.NetworkAcl{"subnet-a": acl("acl-1", rule(100, in, "allow", "6", "10.0.0.0/16", 443, 443))}, []string{"10.0.0.0/16"},
			false, []string{"outbound TCP 1024-65535 to 10.0.0.0/16: no rule allows it", "Allow outbound TCP 1024-65535 to 10.0.0.0/16 in acl-1."}},
		{"ephemeral range too narrow", map[string]types.NetworkAcl{"subnet-a": acl("acl-1",
			rule(100, in, "allow", "6", "10.0.0.0/16", 443, 443), rule(100, out, "allow", "6", "10.0.0.0/16", 32768, 65535))}, []string{"10.0.0.0/16"},
			false, []string{"outbound TCP 1024-65535 to 10.0.0.0/16: no rule allows it"}},
		{"allow from too narrow a block", map[string]types.NetworkAcl{"subnet-a": acl("acl-1", rule(100, in, "allow", "6", "10.0.1.0/24", 443, 443), ephemeralOut)},
			[]string{"10.0.0.0/16"}, false, []string{"inbound TCP 443 from 10.0.0.0/16: no rule allows it"}},
		{"only the implicit deny", map[string]types.NetworkAcl{"subnet-a": acl("acl-1")}, []string{"10.0.0.0/16"},
			false, []string{"no rule allows it (the final * rule denies it)",
				"Allow inbound TCP 443 from 10.0.0.0/16 and outbound TCP 1024-65535 to 10.0.0.0/16 in acl-1."}},
		{"no entries at all", map[string]types.NetworkAcl{"subnet-a": {NetworkAclId: aws.String("acl-1")}}, []string{"10.0.0.0/16"},
			false, []string{"no rule allows it"}},
		{"IPv6 entries", map[string]types.NetworkAcl{"subnet-a": acl("acl-1", rule(101, in, "allow", "-1", "::/0", -1, -1), rule(101, out, "allow", "-1", "::/0", -1, -1))},
			[]string{"fd00:1::/64"}, true, []string{"allowed by rule 101"}},
		{"IPv6 client, IPv4 entries", map[string]types.NetworkAcl{"subnet-a": acl("acl-1", allowAll...)}, []string{"fd00:1::/64"},
			false, []string{"in acl-1"}},
		{"one subnet fails", map[string]types.NetworkAcl{"subnet-a": acl("acl-good", allowAll...), "subnet-b": acl("acl-bad", rule(100, in, "allow", "6", "0.0.0.0/0", 443, 443))},
			[]string{"10.0.0.0/16"}, false, []string{"subnet-b (acl-bad): outbound TCP 1024-65535 to 10.0.0.0/16", "in acl-bad"}},
		{"no ACLs", nil, []string{"10.0.0.0/16"}, false, []string{"No network ACLs"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := healthCheckNetworkACLs443(tc.acls, tc.clients)
			expectCheck(t, h, healthNetworkACLs, tc.ok, tc.phrases...)
			if !h.OK && strings.Contains(h.Detail, "acl-good") {
				t.Errorf("Detail names the subnet that passes:\n%s", h.Detail)
			}
		})
	}
}

// One fix per ACL, however many subnets share it.
func TestCheckNetworkACLs443_sharedACLFixedOnce(t *testing.T) {
	shared := acl("acl-1")
	h := healthCheckNetworkACLs443(map[string]types.NetworkAcl{"subnet-a": shared, "subnet-b": shared}, []string{"10.0.0.0/16"})
	if n := strings.Count(h.Detail, "Allow inbound"); n != 1 || !strings.Contains(h.Detail, "subnet-a") || !strings.Contains(h.Detail, "subnet-b") {
		t.Errorf("want both subnets and one fix, got %d fixes:\n%s", n, h.Detail)
	}
}

// fakeResolver answers every name the same.
type fakeResolver struct {
	cname string
	hosts []string
	err   error
}

func (f fakeResolver) LookupCNAME(context.Context, string) (string, error)  { return f.cname, f.err }
func (f fakeResolver) LookupHost(context.Context, string) ([]string, error) { return f.hosts, f.err }

func TestCheckDNSResolution(t *testing.T) {
	const name = "demo.cluster.engflow.com"
	endpointIPs := []string{"10.0.1.5", "10.0.2.5"}
	notEnabled := []string{"private DNS names are not enabled for this endpoint in this VPC", "private_dns_enabled = true", "enableDnsHostnames", "inside the VPC"}
	for _, tc := range []struct {
		name    string
		r       fakeResolver
		ok      bool
		phrases []string
	}{
		{"the endpoint's IPs, in any order", fakeResolver{cname: name + ".", hosts: []string{"10.0.2.5", "10.0.1.5"}},
			true, []string{"resolves to the endpoint's private IPs 10.0.1.5, 10.0.2.5"}},
		{"CNAME to the load balancer", fakeResolver{cname: "engflow-0123.elb.us-east-1.amazonaws.com.", hosts: []string{"3.5.6.7", "52.1.2.3"}},
			false, append([]string{"alias of the load balancer engflow-0123.elb.us-east-1.amazonaws.com and resolves to 3.5.6.7, 52.1.2.3"}, notEnabled...)},
		{"Classic or Application load balancer, in capitals", fakeResolver{cname: "ENGFLOW-0123.US-EAST-1.ELB.AMAZONAWS.COM", hosts: []string{"10.9.9.9"}},
			false, notEnabled},
		{"CNAME to the endpoint's own DNS name", fakeResolver{cname: "vpce-0123-abcd.vpce-svc-0123.us-east-1.vpce.amazonaws.com.", hosts: endpointIPs},
			true, nil},
		{"public addresses without CNAME", fakeResolver{cname: name + ".", hosts: []string{"3.5.6.7"}},
			false, append([]string{"resolves to other addresses (3.5.6.7)"}, notEnabled...)},
		{"other private IPs", fakeResolver{hosts: []string{"10.0.9.9"}},
			false, []string{"resolves to 10.0.9.9, but the endpoint's private IPs are 10.0.1.5, 10.0.2.5", "missing: 10.0.1.5, 10.0.2.5; unexpected: 10.0.9.9"}},
		{"some of the IPs", fakeResolver{hosts: []string{"10.0.1.5"}},
			false, []string{"missing: 10.0.2.5; unexpected: none"}},
		{"an extra IP", fakeResolver{hosts: []string{"10.0.1.5", "10.0.2.5", "10.0.3.5"}},
			false, []string{"missing: none; unexpected: 10.0.3.5"}},
		{"lookup error", fakeResolver{err: errors.New("lookup demo.cluster.engflow.com: no such host")},
			false, []string{"Looking up demo.cluster.engflow.com failed: lookup demo.cluster.engflow.com: no such host", "private_dns_enabled = true", "inside the VPC"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expectCheck(t, healthCheckDNSResolution(context.Background(), tc.r, name, endpointIPs, privateDNSAdvice), healthPrivateDNS, tc.ok, tc.phrases...)
		})
	}
}

// A hub's name is answered by the shared zone: the advice points there,
// never at the endpoint's private DNS, which a hub keeps off.
func TestCheckDNSResolution_hub(t *testing.T) {
	r := fakeResolver{cname: "engflow-0123.elb.us-east-1.amazonaws.com.", hosts: []string{"3.5.6.7"}}
	h := healthCheckDNSResolution(context.Background(), r, "demo.cluster.engflow.com", []string{"10.0.1.5"}, sharedZoneAdvice)
	expectCheck(t, h, healthPrivateDNS, false, "the shared zone does not answer the name in this VPC", "shared_dns_spokes", "hub or a spoke VPC")
	if strings.Contains(h.Detail, "private_dns_enabled") {
		t.Errorf("advises turning on a hub's private DNS:\n%s", h.Detail)
	}
}

func TestCheckDNSResolution_endpointWithoutIPs(t *testing.T) {
	h := healthCheckDNSResolution(context.Background(), fakeResolver{hosts: []string{"10.0.1.5"}}, "demo.cluster.engflow.com", nil, privateDNSAdvice)
	expectCheck(t, h, healthPrivateDNS, false, "no private IP addresses yet")
}

// A service without a private DNS name: the checks about it fail with
// advice that can be followed (the regional name), never "turn private DNS
// on", which the plan check refuses for such a service.
func TestPrivateNameChecks_serviceWithoutPrivateDNSName(t *testing.T) {
	v := endpointView{ID: "vpce-1", State: "available", PrivateIPs: []string{"10.0.1.5"}}
	h := privateDNSCheck(v)
	expectCheck(t, h, "private_dns_enabled", false, "offers no private DNS name", "regional_dns_name")
	if strings.Contains(h.Detail, "private_dns_enabled = true") {
		t.Errorf("advises what the plan check refuses:\n%s", h.Detail)
	}
	expectCheck(t, verifiedCheck(&types.ServiceDetail{}), "private_dns_name_verified", false, "no private DNS name", "regional_dns_name")
	r := fakeResolver{hosts: []string{"10.0.1.5"}}
	expectCheck(t, healthCheckDNSResolution(context.Background(), r, "", v.PrivateIPs, privateDNSAdvice), healthPrivateDNS, false,
		"no private DNS name to resolve", "regional_dns_name")
}
