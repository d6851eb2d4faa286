package privatelink

import (
	"cmp"
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// The run-book checks are pure rules over what EC2 and DNS report, so the
// data source only gathers inputs and each rule is tested on its own.

// HealthCheck is one run-book check as the data source reports it.
// Exported for package shareddns, which checks a hub's shared zone.
type HealthCheck struct {
	Name   string
	OK     bool
	Detail string // always set: what was found; when !OK, also exactly what to change
}

// Check names, as the data source reports them.
const (
	healthSecurityGroups = "security_group_allows_443"
	healthNetworkACLs    = "network_acls_allow_443"
	healthPrivateDNS     = "private_dns_resolves"
)

// portRange is an inclusive range of TCP ports.
type portRange struct{ from, to int32 }

var (
	allPorts       = portRange{0, 65535}
	httpsPort      = portRange{443, 443}
	ephemeralPorts = portRange{1024, 65535} // where clients receive the replies
)

func (r portRange) covers(o portRange) bool   { return r.from <= o.from && o.to <= r.to }
func (r portRange) overlaps(o portRange) bool { return r.from <= o.to && o.from <= r.to }

func (r portRange) String() string {
	if r.from == r.to {
		return fmt.Sprint(r.from)
	}
	return fmt.Sprintf("%d-%d", r.from, r.to)
}

// tcpPorts is the TCP port range a rule applies to; ok is false for rules
// about other protocols. Protocol "-1" is all traffic. Missing ports mean
// all: EC2 omits them only where the protocol has none.
func tcpPorts(protocol string, from, to *int32) (r portRange, ok bool) {
	switch strings.ToLower(protocol) {
	case "-1":
		return allPorts, true
	case "tcp", "6":
		if from == nil || to == nil || *from < 0 {
			return allPorts, true
		}
		return portRange{*from, *to}, true
	}
	return portRange{}, false
}

// parseCIDR reads an IPv4 or IPv6 CIDR block; a bare address is a block of one.
func parseCIDR(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not a CIDR block such as 10.0.0.0/16", s)
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// containsPrefix reports whether outer holds every address of inner.
func containsPrefix(outer, inner netip.Prefix) bool {
	return outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}

// clientsToCheck starts a check of the endpoint's rules (rules of them)
// against the client CIDR blocks: it reads the blocks, or returns the
// failed check that says what is wrong: no rules to check (noRules says
// what to do), no client blocks, or which block does not parse.
func clientsToCheck(name string, rules int, noRules string, cidrs []string) ([]netip.Prefix, *HealthCheck) {
	if rules == 0 {
		return nil, &HealthCheck{Name: name, Detail: noRules}
	}
	if len(cidrs) == 0 {
		return nil, &HealthCheck{Name: name, Detail: "No client CIDR blocks to check. Give the CIDR blocks Bazel clients connect from, such as the VPC's 10.0.0.0/16."}
	}
	out := make([]netip.Prefix, len(cidrs))
	for i, s := range cidrs {
		p, err := parseCIDR(s)
		if err != nil {
			return nil, &HealthCheck{Name: name, Detail: "Client CIDR block " + err.Error() + "."}
		}
		out[i] = p
	}
	return out, nil
}

// sgSource is one CIDR block a security group lets in on TCP 443.
type sgSource struct {
	group string
	cidr  netip.Prefix
}

// healthCheckSecurityGroups443: every client CIDR block is let in on TCP 443 by
// some rule of the endpoint's groups. Security groups are stateful, so the
// replies need no rule.
func healthCheckSecurityGroups443(groups []types.SecurityGroup, clientCIDRs []string) HealthCheck {
	clients, failed := clientsToCheck(healthSecurityGroups, len(groups), "The endpoint has no security group, so nothing lets clients in on TCP 443. "+
		"Attach one with an inbound rule TCP 443 from the clients: security_group_ids = [aws_security_group.bazel.id].", clientCIDRs)
	if failed != nil {
		return *failed
	}
	h := HealthCheck{Name: healthSecurityGroups}
	var ids []string
	var sources []sgSource
	var indirect []string // groups and prefix lists: not verifiable by address
	for _, g := range groups {
		id := aws.ToString(g.GroupId)
		ids = append(ids, id)
		for _, p := range g.IpPermissions {
			r, ok := tcpPorts(aws.ToString(p.IpProtocol), p.FromPort, p.ToPort)
			if !ok || !r.covers(httpsPort) {
				continue
			}
			for _, c := range p.IpRanges {
				sources = appendSource(sources, id, aws.ToString(c.CidrIp))
			}
			for _, c := range p.Ipv6Ranges {
				sources = appendSource(sources, id, aws.ToString(c.CidrIpv6))
			}
			for _, pair := range p.UserIdGroupPairs {
				indirect = append(indirect, fmt.Sprintf("security group %s (rule in %s)", aws.ToString(pair.GroupId), id))
			}
			for _, pl := range p.PrefixListIds {
				indirect = append(indirect, fmt.Sprintf("prefix list %s (rule in %s)", aws.ToString(pl.PrefixListId), id))
			}
		}
	}
	var found, unverified, missing []string
	for _, c := range clients {
		i := slices.IndexFunc(sources, func(s sgSource) bool { return containsPrefix(s.cidr, c) })
		switch {
		case i >= 0:
			found = append(found, fmt.Sprintf("%s allows TCP 443 from %s (rule for %s).", sources[i].group, c, sources[i].cidr))
		case len(indirect) > 0:
			unverified = append(unverified, c.String())
		default:
			missing = append(missing, fmt.Sprintf("No inbound rule allows TCP 443 from %s%s: add an inbound rule TCP 443 from %s to %s.",
				c, partialSources(sources, c), c, ids[0]))
		}
	}
	h.OK = len(missing) == 0
	// What to fix comes first: pipelines often show only a detail's first line.
	lines := missing
	if len(unverified) > 0 {
		lines = append(lines, fmt.Sprintf("No CIDR rule covers %s, but TCP 443 is allowed from %s: the clients in %s must be in it (this check cannot verify membership).",
			strings.Join(unverified, ", "), strings.Join(indirect, ", "), strings.Join(unverified, ", ")))
	}
	lines = append(lines, found...)
	h.Detail = strings.Join(append(lines, "Checked "+strings.Join(ids, ", ")+"."), "\n")
	return h
}

func appendSource(sources []sgSource, group, cidr string) []sgSource {
	if p, err := parseCIDR(cidr); err == nil {
		sources = append(sources, sgSource{group, p})
	}
	return sources
}

// partialSources names the rules that let in only part of client, which
// explains why a rule that looks right does not count.
func partialSources(sources []sgSource, client netip.Prefix) string {
	var parts []string
	for _, s := range sources {
		if s.cidr.Overlaps(client) {
			parts = append(parts, fmt.Sprintf("%s only from %s", s.group, s.cidr))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// naclDirections is what a client's connection needs from each subnet's
// network ACL, which is stateless: the request in, and the replies out.
var naclDirections = []struct {
	egress     bool
	ports      portRange
	verb, prep string
}{
	{false, httpsPort, "inbound", "from"},
	{true, ephemeralPorts, "outbound", "to"},
}

// naclDefaultRule is the final "*" entry EC2 lists with every ACL.
const naclDefaultRule = 32767

// naclDecision is how an ACL treats one direction of a client's traffic.
type naclDecision struct {
	allowed bool
	rule    int32  // the deciding entry; 0 when none matched
	deny    string // the deciding deny entry, for the message
}

// evaluateACL applies the ACL's entries of one direction like AWS does, by
// rule number, the first match deciding. It is conservative where AWS
// would decide per packet: an allow counts only if it covers the whole
// client block and port range, and a deny blocks if it touches any of it.
func evaluateACL(acl types.NetworkAcl, egress bool, client netip.Prefix, ports portRange) naclDecision {
	entries := slices.Clone(acl.Entries)
	slices.SortFunc(entries, func(a, b types.NetworkAclEntry) int {
		return cmp.Compare(aws.ToInt32(a.RuleNumber), aws.ToInt32(b.RuleNumber))
	})
	for _, e := range entries {
		if aws.ToBool(e.Egress) != egress {
			continue
		}
		var from, to *int32
		if e.PortRange != nil {
			from, to = e.PortRange.From, e.PortRange.To
		}
		r, ok := tcpPorts(aws.ToString(e.Protocol), from, to)
		cidr, err := parseCIDR(cmp.Or(aws.ToString(e.CidrBlock), aws.ToString(e.Ipv6CidrBlock)))
		if !ok || err != nil || !cidr.Overlaps(client) || !r.overlaps(ports) {
			continue
		}
		n := aws.ToInt32(e.RuleNumber)
		if e.RuleAction == types.RuleActionDeny {
			return naclDecision{rule: n, deny: fmt.Sprintf("deny %s ports %s", cidr, r)}
		}
		if containsPrefix(cidr, client) && r.covers(ports) {
			return naclDecision{allowed: true, rule: n}
		}
		// An allow of part of the traffic decides nothing for the rest.
	}
	return naclDecision{}
}

// healthCheckNetworkACLs443: every endpoint subnet's ACL lets each client block
// in on TCP 443 and lets the replies out to it.
func healthCheckNetworkACLs443(acls map[string]types.NetworkAcl, clientCIDRs []string) HealthCheck {
	clients, failed := clientsToCheck(healthNetworkACLs, len(acls), "No network ACLs were found for the endpoint's subnets. "+
		"Check that the endpoint has subnets (subnet_ids) and that they still exist.", clientCIDRs)
	if failed != nil {
		return *failed
	}
	h := HealthCheck{Name: healthNetworkACLs}
	var found, problems, fixes []string
	for _, subnet := range sorted(mapKeys(acls)) {
		acl := acls[subnet]
		id := aws.ToString(acl.NetworkAclId)
		for _, c := range clients {
			var need []string
			lowest := int32(0)
			for _, d := range naclDirections {
				traffic := fmt.Sprintf("%s TCP %s %s %s", d.verb, d.ports, d.prep, c)
				v := evaluateACL(acl, d.egress, c, d.ports)
				switch {
				case v.allowed:
					found = append(found, fmt.Sprintf("%s (%s): %s allowed by rule %d.", subnet, id, traffic, v.rule))
					continue
				case v.rule == 0 || v.rule == naclDefaultRule:
					problems = append(problems, fmt.Sprintf("%s (%s): %s: no rule allows it (the final * rule denies it).", subnet, id, traffic))
				default:
					problems = append(problems, fmt.Sprintf("%s (%s): %s is denied by rule %d (%s).", subnet, id, traffic, v.rule, v.deny))
					lowest = min(cmp.Or(lowest, v.rule), v.rule)
				}
				need = append(need, traffic)
			}
			if len(need) > 0 {
				fix := fmt.Sprintf("Allow %s in %s", strings.Join(need, " and "), id)
				if lowest > 0 {
					fix += fmt.Sprintf(", with rule numbers below %d (or narrow the deny rules)", lowest)
				}
				if fix += "."; !slices.Contains(fixes, fix) { // subnets may share an ACL
					fixes = append(fixes, fix)
				}
			}
		}
	}
	h.OK = len(problems) == 0
	if h.OK {
		h.Detail = strings.Join(found, "\n")
	} else {
		h.Detail = strings.Join(append(problems, fixes...), "\n")
	}
	return h
}

func mapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// dnsResolver is what the DNS check needs; tests pass one that asks a DNS server on 127.0.0.1.
type dnsResolver interface {
	LookupCNAME(ctx context.Context, host string) (string, error)
	LookupHost(ctx context.Context, host string) ([]string, error)
}

// newDNSResolver returns the system resolver for server == "", else a
// resolver that sends every query to server ("host:port"), over UDP and,
// for truncated answers, TCP.
func newDNSResolver(server string) dnsResolver {
	if server == "" {
		return net.DefaultResolver
	}
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, server)
	}}
}

// dnsAdvice is why a name resolves elsewhere than to the endpoint, and
// what makes it resolve to the endpoint.
type dnsAdvice struct{ why, fix string }

var privateDNSAdvice = dnsAdvice{"private DNS names are not enabled for this endpoint in this VPC",
	"Private DNS names are answered only inside the VPC and only when turned on: set private_dns_enabled = true on the endpoint, " +
		"check that the VPC has enableDnsSupport and enableDnsHostnames on, and run this check from a machine inside the VPC."}

// healthCheckDNSResolution: name resolves to exactly the endpoint's private IPs.
// Outside the VPC, or with private DNS off, EngFlow's public name answers
// instead: a CNAME to its load balancer and public addresses.
func healthCheckDNSResolution(ctx context.Context, r dnsResolver, name string, endpointIPs []string, advice dnsAdvice) HealthCheck {
	h := HealthCheck{Name: healthPrivateDNS}
	if name == "" {
		h.Detail = "The service has no private DNS name to resolve. Point Bazel at the endpoint's regional_dns_name, " +
			"or ask EngFlow for the cluster's private name."
		return h
	}
	want := normalizeIPs(endpointIPs)
	if len(want) == 0 {
		h.Detail = "The endpoint has no private IP addresses yet. Wait until it is available, then check again."
		return h
	}
	got, err := r.LookupHost(ctx, name)
	if err != nil {
		h.Detail = fmt.Sprintf("Looking up %s failed: %v. %s", name, err, advice.fix)
		return h
	}
	got = normalizeIPs(got)
	cname, _ := r.LookupCNAME(ctx, name) // only explains a wrong answer
	wantList, gotList := strings.Join(want, ", "), strings.Join(got, ", ")
	switch extra := difference(got, want); {
	case isLoadBalancerName(cname):
		h.Detail = fmt.Sprintf("%s is an alias of the load balancer %s and resolves to %s instead of the endpoint's private IPs %s: "+
			"%s. %s", name, strings.TrimSuffix(cname, "."), gotList, wantList, advice.why, advice.fix)
	case slices.Equal(got, want):
		h.OK = true
		h.Detail = fmt.Sprintf("%s resolves to the endpoint's private IPs %s.", name, wantList)
	case slices.ContainsFunc(extra, looksPublic):
		h.Detail = fmt.Sprintf("%s resolves to other addresses (%s) instead of the endpoint's private IPs %s: "+
			"%s. %s", name, gotList, wantList, advice.why, advice.fix)
	default:
		h.Detail = fmt.Sprintf("%s resolves to %s, but the endpoint's private IPs are %s (missing: %s; unexpected: %s). "+
			"Another endpoint with private DNS, or a Route 53 private hosted zone for this name, may be answering instead, "+
			"or a resolver cache is stale: make sure only this endpoint serves the name in this VPC.",
			name, gotList, wantList, listOrNone(difference(want, got)), listOrNone(extra))
	}
	return h
}

// normalizeIPs sorts the addresses, in canonical form and without duplicates.
func normalizeIPs(ips []string) []string {
	out := make([]string, 0, len(ips))
	for _, s := range ips {
		if a, err := netip.ParseAddr(s); err == nil {
			s = a.Unmap().String()
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// isLoadBalancerName matches the DNS names of Elastic Load Balancing:
// ...<region>.elb.amazonaws.com (Classic, Application) and
// ...elb.<region>.amazonaws.com (Network, which fronts endpoint services).
func isLoadBalancerName(name string) bool {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	name = strings.TrimSuffix(name, ".cn") // China Regions
	return strings.HasSuffix(name, ".amazonaws.com") && slices.Contains(strings.Split(name, "."), "elb")
}

func looksPublic(ip string) bool {
	a, err := netip.ParseAddr(ip)
	return err == nil && a.IsGlobalUnicast() && !a.IsPrivate()
}

func listOrNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}
