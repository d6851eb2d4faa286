package privatelink

// Fixed private IPs per subnet (subnet_configuration): the rules an address
// must follow, what a create or modify sends, and what is read back from
// the network interfaces. EC2 gives the endpoint's interface in a subnet
// the address SubnetConfiguration names; on a modify it replaces that
// interface with a new one holding the new address (EC2 API reference,
// SubnetConfiguration).

import (
	"context"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwtypes "github.com/hashicorp/terraform-plugin-framework/types"
)

// subnetConfigModel is one subnet_configuration entry.
type subnetConfigModel struct {
	SubnetID fwtypes.String `tfsdk:"subnet_id"`
	IPv4     fwtypes.String `tfsdk:"ipv4"`
	IPv6     fwtypes.String `tfsdk:"ipv6"`
}

var subnetConfigType = fwtypes.ObjectType{AttrTypes: map[string]attr.Type{
	"subnet_id": fwtypes.StringType,
	"ipv4":      fwtypes.StringType,
	"ipv6":      fwtypes.StringType,
}}

// subnetAddress is the address(es) asked for, or held, in one subnet; ""
// for a family not given.
type subnetAddress struct{ IPv4, IPv6 string }

// subnetConfigEntries decodes the set; nil when null or unknown.
func subnetConfigEntries(ctx context.Context, set fwtypes.Set, diags *diag.Diagnostics) []subnetConfigModel {
	if set.IsNull() || set.IsUnknown() {
		return nil
	}
	var entries []subnetConfigModel
	diags.Append(set.ElementsAs(ctx, &entries, false)...)
	return entries
}

// known reports whether every value of the entry is known.
func (e subnetConfigModel) known() bool {
	return !e.SubnetID.IsUnknown() && !e.IPv4.IsUnknown() && !e.IPv6.IsUnknown()
}

// addressesBySubnet is what the entries ask for, by subnet; ok is false
// while any value is unknown.
func addressesBySubnet(entries []subnetConfigModel) (map[string]subnetAddress, bool) {
	out := map[string]subnetAddress{}
	for _, e := range entries {
		if !e.known() {
			return nil, false
		}
		out[e.SubnetID.ValueString()] = subnetAddress{IPv4: e.IPv4.ValueString(), IPv6: e.IPv6.ValueString()}
	}
	return out, true
}

// familiesOf lists the families an ip_address_type carries; AWS picks
// ipv4 when it is not given.
func familiesOf(ipAddressType string) (v4, v6 bool) {
	switch ipAddressType {
	case "ipv6":
		return false, true
	case "dualstack":
		return true, true
	}
	return true, false
}

// validateSubnetConfigs checks what needs no API call: each entry names a
// subnet of subnet_ids, once; each address parses in its family; and the
// families are those ip_address_type carries, all of them ("You must
// provide an IPv4 address if the VPC endpoint supports IPv4", likewise
// IPv6: EC2 API reference, SubnetConfiguration). ipAddressType "" is
// AWS's default, ipv4; subnetIDs nil means not known yet.
func validateSubnetConfigs(entries []subnetConfigModel, subnetIDs []string, ipAddressType string, typeKnown bool) diag.Diagnostics {
	var diags diag.Diagnostics
	at := path.Root("subnet_configuration")
	seen := map[string]bool{}
	v4, v6 := familiesOf(ipAddressType)
	for _, e := range entries {
		if e.SubnetID.IsUnknown() {
			continue
		}
		id := e.SubnetID.ValueString()
		if subnetIDs != nil && !slices.Contains(subnetIDs, id) {
			diags.AddAttributeError(at, fmt.Sprintf("Subnet %s in subnet_configuration is not in subnet_ids", id),
				fmt.Sprintf("subnet_configuration fixes the endpoint's address in subnets it is in. Add %s to subnet_ids, "+
					"or remove its subnet_configuration entry.", id))
		}
		if seen[id] {
			diags.AddAttributeError(at, fmt.Sprintf("Subnet %s has more than one subnet_configuration entry", id),
				"The endpoint has one network interface per subnet, with one address per family: keep one entry per subnet.")
		}
		seen[id] = true
		for _, f := range []struct {
			value       fwtypes.String
			name, label string
			wanted      bool
		}{{e.IPv4, "ipv4", "IPv4", v4}, {e.IPv6, "ipv6", "IPv6", v6}} {
			if f.value.IsUnknown() {
				continue
			}
			if f.value.IsNull() {
				if typeKnown && f.wanted {
					diags.AddAttributeError(at, fmt.Sprintf("Subnet %s needs an %s address", id, f.label),
						fmt.Sprintf("AWS requires an %s address in every subnet_configuration entry of an endpoint with "+
							"ip_address_type = %q. Set %s for %s, or remove the entry to let AWS pick the addresses.",
							f.label, typeOrDefault(ipAddressType), f.name, id))
				}
				continue
			}
			if err := parseFamily(f.value.ValueString(), f.name == "ipv6"); err != nil {
				diags.AddAttributeError(at, fmt.Sprintf("Invalid %s for subnet %s", f.name, id), err.Error())
				continue
			}
			if typeKnown && !f.wanted {
				diags.AddAttributeError(at, fmt.Sprintf("Subnet %s has an %s address the endpoint will not carry", id, f.label),
					fmt.Sprintf("ip_address_type = %q gives the endpoint no %s addresses. Remove %s from the entry, or set "+
						"ip_address_type to %q.", typeOrDefault(ipAddressType), f.label, f.name, "dualstack"))
			}
		}
	}
	return diags
}

func typeOrDefault(ipAddressType string) string {
	if ipAddressType == "" {
		return "ipv4"
	}
	return ipAddressType
}

// parseFamily checks that s is an address of the family: plain dotted
// IPv4 for ipv4, an IPv6 address (not an IPv4-mapped one) for ipv6.
func parseFamily(s string, v6 bool) error {
	a, err := netip.ParseAddr(s)
	switch {
	case err != nil:
		return fmt.Errorf("%q is not an IP address: %w", s, err)
	case a.Zone() != "":
		return fmt.Errorf("%q has a zone (%%%s); give the address alone", s, a.Zone())
	case v6 && (!a.Is6() || a.Is4In6()):
		return fmt.Errorf("%q is not an IPv6 address; put IPv4 addresses in ipv4", s)
	case !v6 && !a.Is4():
		return fmt.Errorf("%q is not an IPv4 address; put IPv6 addresses in ipv6", s)
	}
	return nil
}

// reservedPerBlock is how many addresses at the start of every subnet CIDR
// block AWS keeps (network, VPC router, DNS, future use); it keeps the last
// one too: "The first four IP addresses and the last IP address in each
// subnet CIDR block are not available for your use" (Amazon VPC User
// Guide, "Subnet CIDR blocks", subnet-sizing; the same for IPv6 blocks).
const reservedPerBlock = 4

// checkAddressInBlocks is the rule for one address: inside one of the
// subnet's CIDR blocks of its family, and not one AWS keeps. The error
// says which addresses are usable.
func checkAddressInBlocks(s string, blocks []netip.Prefix) error {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return fmt.Errorf("%q is not an IP address", s)
	}
	var usable []string
	for _, b := range blocks {
		b = b.Masked()
		if b.Addr().Is4() != a.Is4() {
			continue
		}
		first, last := usableRange(b)
		usable = append(usable, fmt.Sprintf("%s to %s (in %s)", first, last, b))
		if !b.Contains(a) {
			continue
		}
		if a.Less(first) || last.Less(a) {
			return fmt.Errorf("%s is one of the addresses AWS keeps in %s: the first four (network, VPC router, DNS, "+
				"future use) and the last. Usable addresses are %s to %s", a, b, first, last)
		}
		return nil
	}
	if len(usable) == 0 {
		return fmt.Errorf("the subnet has no %s CIDR block", familyName(a))
	}
	return fmt.Errorf("%s is outside the subnet's CIDR block. Usable addresses are %s", a, strings.Join(usable, ", "))
}

// usableRange is the first and last address AWS lets a subnet's interfaces
// have in block.
func usableRange(b netip.Prefix) (first, last netip.Addr) {
	first = b.Addr()
	for range reservedPerBlock {
		first = first.Next()
	}
	last = lastAddr(b)
	return first, last.Prev()
}

// lastAddr is the highest address of b.
func lastAddr(b netip.Prefix) netip.Addr {
	bytes := b.Addr().AsSlice()
	for i := range bytes {
		hostBits := max(0, min(8, (i+1)*8-b.Bits()))
		bytes[i] |= byte(1<<hostBits - 1)
	}
	a, _ := netip.AddrFromSlice(bytes)
	return a
}

func familyName(a netip.Addr) string {
	if a.Is4() {
		return "IPv4"
	}
	return "IPv6"
}

// subnetBlocks are a subnet's CIDR blocks, as DescribeSubnets reports them.
func subnetBlocks(sn types.Subnet) []netip.Prefix {
	var out []netip.Prefix
	if p, err := netip.ParsePrefix(aws.ToString(sn.CidrBlock)); err == nil {
		out = append(out, p)
	}
	for _, a := range sn.Ipv6CidrBlockAssociationSet {
		if a.Ipv6CidrBlockState != nil && a.Ipv6CidrBlockState.State != types.SubnetCidrBlockStateCodeAssociated {
			continue
		}
		if p, err := netip.ParsePrefix(aws.ToString(a.Ipv6CidrBlock)); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// sameAddress compares two addresses as addresses (2600:1f18::a and
// 2600:1f18:0::A are one), falling back to the text.
func sameAddress(a, b string) bool {
	x, errX := netip.ParseAddr(a)
	y, errY := netip.ParseAddr(b)
	if errX != nil || errY != nil {
		return a == b
	}
	return x == y
}

// subnetConfigurations is what a create sends, sorted by subnet.
func subnetConfigurations(want map[string]subnetAddress) []types.SubnetConfiguration {
	var out []types.SubnetConfiguration
	for _, id := range slices.Sorted(maps.Keys(want)) {
		out = append(out, subnetConfiguration(id, want[id]))
	}
	return out
}

func subnetConfiguration(id string, a subnetAddress) types.SubnetConfiguration {
	c := types.SubnetConfiguration{SubnetId: aws.String(id)}
	if a.IPv4 != "" {
		c.Ipv4 = aws.String(a.IPv4)
	}
	if a.IPv6 != "" {
		c.Ipv6 = aws.String(a.IPv6)
	}
	return c
}

// holds reports whether an interface's addresses include what a asks for.
func (held interfaceAddresses) holds(a subnetAddress) bool {
	v6 := a.IPv6 == "" || slices.ContainsFunc(held.IPv6, func(x string) bool { return sameAddress(x, a.IPv6) })
	return (a.IPv4 == "" || sameAddress(held.IPv4, a.IPv4)) && v6
}

// addressChanges is what a modify sends for want: the configuration of
// every subnet whose interface (in current, by subnet) lacks the asked
// address, added subnets included, and the interfaces EC2 replaces.
func addressChanges(want map[string]subnetAddress, current map[string]interfaceAddresses) ([]types.SubnetConfiguration, []string) {
	var configs []types.SubnetConfiguration
	var replaced []string
	for _, id := range slices.Sorted(maps.Keys(want)) {
		held, ok := current[id]
		if ok && held.holds(want[id]) {
			continue
		}
		configs = append(configs, subnetConfiguration(id, want[id]))
		if ok {
			replaced = append(replaced, held.ID)
		}
	}
	return configs, replaced
}

// interfaceAddresses is what an endpoint network interface holds.
type interfaceAddresses struct {
	ID       string
	SubnetID string // "" when not looked up (taken from the prior state)
	IPv4     string
	IPv6     []string
}

func newInterfaceAddresses(ni types.NetworkInterface) interfaceAddresses {
	held := interfaceAddresses{ID: aws.ToString(ni.NetworkInterfaceId), SubnetID: aws.ToString(ni.SubnetId), IPv4: aws.ToString(ni.PrivateIpAddress)}
	for _, a := range ni.Ipv6Addresses {
		held.IPv6 = append(held.IPv6, aws.ToString(a.Ipv6Address))
	}
	return held
}

// bySubnet indexes interfaces that were looked up by their subnet.
func bySubnet(enis map[string]interfaceAddresses) map[string]interfaceAddresses {
	out := map[string]interfaceAddresses{}
	for _, held := range enis {
		if held.SubnetID != "" {
			out[held.SubnetID] = held
		}
	}
	return out
}

// readBackSubnetConfigs refreshes the entries of prior (the state's, or on
// create and update the plan's) from the interfaces EC2 reports: a family
// an entry gives takes the address the subnet's interface holds, written
// as the entry writes it when it is the same address. Entries of subnets
// the endpoint left are dropped; those whose interface was not looked up
// (unchanged since the prior state) are kept.
func readBackSubnetConfigs(prior []subnetConfigModel, subnetIDs []string, enis map[string]interfaceAddresses) []subnetConfigModel {
	held := bySubnet(enis)
	var out []subnetConfigModel
	for _, e := range prior {
		id := e.SubnetID.ValueString()
		if !slices.Contains(subnetIDs, id) {
			continue
		}
		if h, ok := held[id]; ok {
			e.IPv4 = readBackAddress(e.IPv4, []string{h.IPv4})
			e.IPv6 = readBackAddress(e.IPv6, h.IPv6)
		}
		out = append(out, e)
	}
	return out
}

// readBackAddress is the held address matching the entry's, else the first
// one held; null stays null (the entry fixes no such address).
func readBackAddress(entry fwtypes.String, held []string) fwtypes.String {
	if entry.IsNull() || entry.IsUnknown() {
		return entry
	}
	for _, h := range held {
		if sameAddress(h, entry.ValueString()) {
			return entry
		}
	}
	if len(held) == 0 || held[0] == "" {
		return fwtypes.StringNull()
	}
	return fwtypes.StringValue(held[0])
}

// addressChangeWarnings say, for an update, which subnets' interfaces a
// changed (or newly fixed) address replaces.
func addressChangeWarnings(prior, planned []subnetConfigModel, priorSubnets []string) diag.Diagnostics {
	var diags diag.Diagnostics
	before, _ := addressesBySubnet(prior)
	after, ok := addressesBySubnet(planned)
	if !ok {
		return diags
	}
	for _, id := range slices.Sorted(maps.Keys(after)) {
		if !slices.Contains(priorSubnets, id) {
			continue // a new subnet gets a new interface anyway
		}
		old, had := before[id]
		now := after[id]
		if had && sameAddress(old.IPv4, now.IPv4) && sameAddress(old.IPv6, now.IPv6) {
			continue
		}
		from := "the address AWS picked"
		if had {
			from = describeAddress(old)
		}
		diags.AddAttributeWarning(path.Root("subnet_configuration"),
			fmt.Sprintf("The endpoint's network interface in %s will be replaced", id),
			fmt.Sprintf("Its address changes from %s to %s (unless it already holds that address). EC2 replaces the "+
				"interface with a new one holding the new address: clients reaching the endpoint through %s lose "+
				"their connections while it does, and network_interface_ids and private_ips change. Update firewall "+
				"rules that allow the old address.", from, describeAddress(now), id))
	}
	return diags
}

func describeAddress(a subnetAddress) string {
	var parts []string
	for _, p := range []string{a.IPv4, a.IPv6} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " and ")
}
