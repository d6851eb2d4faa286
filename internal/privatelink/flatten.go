package privatelink

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwtypes "github.com/hashicorp/terraform-plugin-framework/types"
)

// dnsEntryModel is one of the endpoint's DNS names, as AWS lists them.
type dnsEntryModel struct {
	DNSName      fwtypes.String `tfsdk:"dns_name"`
	HostedZoneID fwtypes.String `tfsdk:"hosted_zone_id"`
}

var dnsEntryType = fwtypes.ObjectType{AttrTypes: map[string]attr.Type{
	"dns_name":       fwtypes.StringType,
	"hosted_zone_id": fwtypes.StringType,
}}

// endpointView is what the resource and data sources report about an
// endpoint, computed from what EC2 says.
type endpointView struct {
	ID                  string
	ServiceName         string
	VpcID               string
	State               string
	OwnerID             string
	SubnetIDs           []string
	SecurityGroupIDs    []string
	PrivateDNSEnabled   bool
	IPAddressType       string
	DNSRecordIPType     string
	NetworkInterfaceIDs []string
	PrivateIPs          []string
	DNSEntries          []dnsEntryModel
	RegionalDNSName     string
	ZonalDNSNames       map[string]string
	PrivateDNSName      string
	ServiceRegion       string
	Tags                map[string]string
}

// newEndpointView reads an endpoint. privateIPs maps network interface IDs
// to their primary private IP; privateDNSName comes from the service.
func newEndpointView(ep *types.VpcEndpoint, privateIPs map[string]string, privateDNSName string) endpointView {
	v := endpointView{
		ID:                  aws.ToString(ep.VpcEndpointId),
		ServiceName:         aws.ToString(ep.ServiceName),
		VpcID:               aws.ToString(ep.VpcId),
		State:               string(ep.State),
		OwnerID:             aws.ToString(ep.OwnerId),
		SubnetIDs:           sorted(ep.SubnetIds),
		PrivateDNSEnabled:   aws.ToBool(ep.PrivateDnsEnabled),
		IPAddressType:       string(ep.IpAddressType),
		NetworkInterfaceIDs: sorted(ep.NetworkInterfaceIds),
		PrivateDNSName:      privateDNSName,
		ServiceRegion:       serviceRegionOf(aws.ToString(ep.ServiceName), aws.ToString(ep.ServiceRegion)),
		Tags:                tagMap(ep.Tags),
	}
	for _, g := range ep.Groups {
		v.SecurityGroupIDs = append(v.SecurityGroupIDs, aws.ToString(g.GroupId))
	}
	sort.Strings(v.SecurityGroupIDs)
	if ep.DnsOptions != nil {
		v.DNSRecordIPType = string(ep.DnsOptions.DnsRecordIpType)
	}
	for _, eni := range v.NetworkInterfaceIDs {
		if ip, ok := privateIPs[eni]; ok {
			v.PrivateIPs = append(v.PrivateIPs, ip)
		}
	}
	entries := slices.Clone(ep.DnsEntries)
	// AWS lists them in no particular order; state and plans need one.
	slices.SortFunc(entries, func(a, b types.DnsEntry) int {
		return cmp.Or(cmp.Compare(aws.ToString(a.DnsName), aws.ToString(b.DnsName)), cmp.Compare(aws.ToString(a.HostedZoneId), aws.ToString(b.HostedZoneId)))
	})
	for _, e := range entries {
		v.DNSEntries = append(v.DNSEntries, dnsEntryModel{
			DNSName: fwtypes.StringPointerValue(e.DnsName), HostedZoneID: fwtypes.StringPointerValue(e.HostedZoneId),
		})
	}
	v.RegionalDNSName, v.ZonalDNSNames = splitDNSNames(v.ID, ep.DnsEntries)
	return v
}

// splitDNSNames tells the regional name from the zonal ones (nameZone).
// Other names (the service's private DNS name) belong to neither.
func splitDNSNames(id string, entries []types.DnsEntry) (string, map[string]string) {
	regional, zonal := "", map[string]string{}
	for _, e := range entries {
		name := aws.ToString(e.DnsName)
		zone, ours := nameZone(id, name)
		switch {
		case ours && zone != "":
			zonal[zone] = name
		case ours && regional == "":
			regional = name
		}
	}
	return regional, zonal
}

// nameZone reads an endpoint DNS name's first label: <id>-<suffix> is the
// regional name (zone ""), <id>-<suffix>-<zone> a zonal one; ours is false
// for a name of another endpoint or the service's private DNS name.
func nameZone(id, name string) (zone string, ours bool) {
	label, _, _ := strings.Cut(name, ".")
	rest, ok := strings.CutPrefix(label, id+"-")
	if !ok {
		return "", false
	}
	_, zone, _ = strings.Cut(rest, "-")
	return zone, true
}

// RegionalDNSEntry is the endpoint's regional DNS name with the hosted
// zone AWS gives it, picked by its shape: AWS promises no order of
// DnsEntries.
func RegionalDNSEntry(ep types.VpcEndpoint) (types.DnsEntry, bool) {
	for _, e := range ep.DnsEntries {
		if zone, ours := nameZone(aws.ToString(ep.VpcEndpointId), aws.ToString(e.DnsName)); ours && zone == "" {
			return e, true
		}
	}
	return types.DnsEntry{}, false
}

// remoteExecutor is the value for Bazel's --remote_executor flag.
func remoteExecutor(privateDNSName string) string {
	if privateDNSName == "" {
		return ""
	}
	return "grpcs://" + privateDNSName
}

// optionalString is null for "", for names that may not exist.
func optionalString(s string) fwtypes.String {
	if s == "" {
		return fwtypes.StringNull()
	}
	return fwtypes.StringValue(s)
}

// stringList, stringSet and stringMap convert to framework values; nil
// becomes an empty collection, never null, for computed attributes.
func stringList(ctx context.Context, xs []string, diags *diag.Diagnostics) fwtypes.List {
	v, d := fwtypes.ListValueFrom(ctx, fwtypes.StringType, nonNil(xs))
	diags.Append(d...)
	return v
}

func stringSet(ctx context.Context, xs []string, diags *diag.Diagnostics) fwtypes.Set {
	v, d := fwtypes.SetValueFrom(ctx, fwtypes.StringType, nonNil(xs))
	diags.Append(d...)
	return v
}

func stringMap(ctx context.Context, m map[string]string, diags *diag.Diagnostics) fwtypes.Map {
	if m == nil {
		m = map[string]string{}
	}
	v, d := fwtypes.MapValueFrom(ctx, fwtypes.StringType, m)
	diags.Append(d...)
	return v
}

// sorted returns a sorted copy of xs.
func sorted(xs []string) []string {
	out := append([]string(nil), xs...)
	sort.Strings(out)
	return out
}

// enumStrings converts a list of SDK string enums to plain strings.
func enumStrings[E ~string](xs []E) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// nonNil turns a nil slice into an empty one, so that Terraform sees an
// empty list rather than null for "AWS reported none".
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
