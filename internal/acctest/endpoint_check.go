package acctest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// EndpointMatchesAPI is a state check that asks EC2 about the endpoint in
// state and compares every attribute the provider computes with what EC2
// reports: the state must be what AWS says, not what the provider wished.
// skip names attributes the resource or data source does not have.
func EndpointMatchesAPI(a *AWS, address string, skip ...string) statecheck.StateCheck {
	return endpointMatchesAPI{aws: a, address: address, skip: skip}
}

type endpointMatchesAPI struct {
	aws     *AWS
	address string
	skip    []string
}

func (c endpointMatchesAPI) CheckState(ctx context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	attrs, err := Attributes(req.State, c.address)
	if err == nil {
		err = c.compare(ctx, attrs)
	}
	resp.Error = err
}

func (c endpointMatchesAPI) compare(ctx context.Context, got map[string]any) error {
	id, _ := got["id"].(string)
	// EC2 is eventually consistent: a describe may miss an endpoint that
	// exists, for a while; that is not "gone".
	ep, err := c.aws.EndpointEventually(ctx, id)
	if err != nil {
		return err
	}
	svc, err := c.aws.ExistingServiceIn(ctx, aws.ToString(ep.ServiceName), aws.ToString(ep.ServiceRegion))
	if err != nil {
		return err
	}
	ips, err := c.aws.PrivateIPs(ctx, sortedCopy(ep.NetworkInterfaceIds))
	if err != nil {
		return err
	}
	var groups, dnsNames []string
	for _, g := range ep.Groups {
		groups = append(groups, aws.ToString(g.GroupId))
	}
	var entries []any
	for _, e := range ep.DnsEntries {
		dnsNames = append(dnsNames, aws.ToString(e.DnsName))
		entries = append(entries, map[string]any{"dns_name": aws.ToString(e.DnsName), "hosted_zone_id": aws.ToString(e.HostedZoneId)})
	}
	// AWS promises no order of DnsEntries: compare them as sets.
	sortDNSEntries(entries)
	tags := map[string]any{}
	for _, t := range ep.Tags {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	// Without a private DNS name the provider reports both as null.
	var privateDNSName, remoteExecutor any
	if svc.PrivateDNSName != "" {
		privateDNSName, remoteExecutor = svc.PrivateDNSName, "grpcs://"+svc.PrivateDNSName
	}
	want := map[string]any{
		"service_name":          aws.ToString(ep.ServiceName),
		"vpc_id":                aws.ToString(ep.VpcId),
		"state":                 string(ep.State),
		"owner_id":              aws.ToString(ep.OwnerId),
		"subnet_ids":            anyList(sortedCopy(ep.SubnetIds)),
		"security_group_ids":    anyList(sortedCopy(groups)),
		"private_dns_enabled":   aws.ToBool(ep.PrivateDnsEnabled),
		"network_interface_ids": anyList(sortedCopy(ep.NetworkInterfaceIds)),
		"private_ips":           anyList(ips),
		"dns_entries":           entries,
		"private_dns_name":      privateDNSName,
		"remote_executor":       remoteExecutor,
		"tags_all":              tags,
	}
	var problems []string
	for k, w := range want {
		if slices.Contains(c.skip, k) {
			continue
		}
		g := got[k]
		if set, ok := g.([]any); ok && (k == "subnet_ids" || k == "security_group_ids") {
			g = anyList(sortedCopy(strs(set)))
		}
		if list, ok := g.([]any); ok && k == "dns_entries" {
			g = sortDNSEntries(append([]any(nil), list...))
		}
		if !reflect.DeepEqual(normalize(g), normalize(w)) {
			problems = append(problems, fmt.Sprintf("%s: state has %v, EC2 reports %v", k, g, w))
		}
	}
	problems = append(problems, checkDNSNames(id, got, dnsNames, ep)...)
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("%s differs from EC2:\n  %s", c.address, strings.Join(problems, "\n  "))
	}
	return nil
}

// checkDNSNames checks the regional and zonal names against EC2's list:
// each must be one of the endpoint's names, the zonal ones one per subnet zone.
func checkDNSNames(id string, got map[string]any, names []string, ep *ec2types.VpcEndpoint) []string {
	var problems []string
	regional, _ := got["regional_dns_name"].(string)
	if !slices.Contains(names, regional) || !strings.HasPrefix(regional, id+"-") || strings.Count(strings.Split(regional, ".")[0], "-") != 2 {
		problems = append(problems, fmt.Sprintf("regional_dns_name %q is not the regional name among %v", regional, names))
	}
	zonal, _ := got["zonal_dns_names"].(map[string]any)
	if len(zonal) != len(ep.SubnetIds) {
		problems = append(problems, fmt.Sprintf("zonal_dns_names has %d names for %d subnets", len(zonal), len(ep.SubnetIds)))
	}
	for zone, name := range zonal {
		n, _ := name.(string)
		if !slices.Contains(names, n) || !strings.Contains(n, "-"+zone+".") {
			problems = append(problems, fmt.Sprintf("zonal_dns_names[%s] = %q is not that zone's name among %v", zone, n, names))
		}
	}
	return problems
}

func sortedCopy(xs []string) []string {
	out := append([]string(nil), xs...)
	sort.Strings(out)
	return out
}

func anyList(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func strs(xs []any) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i], _ = x.(string)
	}
	return out
}

// sortDNSEntries sorts dns_entries objects by name, in place.
func sortDNSEntries(entries []any) []any {
	name := func(e any) string {
		m, _ := e.(map[string]any)
		s, _ := m["dns_name"].(string)
		return s
	}
	sort.SliceStable(entries, func(i, j int) bool { return name(entries[i]) < name(entries[j]) })
	return entries
}

// normalize treats empty and missing collections alike.
func normalize(v any) any {
	switch x := v.(type) {
	case []any:
		if len(x) == 0 {
			return nil
		}
	case map[string]any:
		if len(x) == 0 {
			return nil
		}
	}
	return v
}

// AttributesCheck is a state check that hands a resource's or data
// source's attributes, as `terraform show -json` reports them, to check.
func AttributesCheck(address string, check func(attrs map[string]any) error) statecheck.StateCheck {
	return attributesCheck{address: address, check: check}
}

type attributesCheck struct {
	address string
	check   func(map[string]any) error
}

func (c attributesCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	attrs, err := Attributes(req.State, c.address)
	if err == nil {
		err = c.check(attrs)
	}
	resp.Error = err
}
