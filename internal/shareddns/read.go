package shareddns

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/engflow/terraform-provider-engflow/internal/privatelink"
)

// read fills m from what Route 53 reports for m.ZoneID: the zone's name,
// its VPCs and its alias record. It reports gone when the zone is.
func (r *sharedDNSResource) read(ctx context.Context, m *model, diags *diag.Diagnostics) (gone bool) {
	zoneID := m.ZoneID.ValueString()
	summary := "Reading the shared DNS zone " + zoneID + " failed"
	hz, err := r.getZone(ctx, zoneID)
	if isNoSuchZone(err) {
		return true
	}
	if err != nil {
		diags.AddError(summary, err.Error())
		return false
	}
	domain := strings.TrimSuffix(aws.ToString(hz.HostedZone.Name), ".")
	m.DomainName, m.RecordName = types.StringValue(domain), types.StringValue(domain)
	target, ok, err := r.zones().readAlias(ctx, zoneID, domain)
	if err != nil {
		diags.AddError(summary, err.Error())
		return false
	}
	m.AliasDNSName, m.AliasHostedZoneID = types.StringNull(), types.StringNull()
	if ok {
		m.AliasDNSName, m.AliasHostedZoneID = types.StringValue(target.DNSName), types.StringValue(target.HostedZoneID)
		if id := endpointIDOfAlias(target.DNSName); id != "" {
			m.EndpointID = types.StringValue(id)
		}
	}
	if m.HubVPCID.ValueString() == "" { // import: the hub is the endpoint's VPC
		if ep, err := r.endpoint(ctx, m.EndpointID.ValueString()); err == nil {
			m.HubVPCID = types.StringValue(aws.ToString(ep.VpcId))
		}
	}
	m.Region = types.StringValue(r.region)
	spokes := spokesOf(hz.VPCs, m.HubVPCID.ValueString(), r.region, false)
	slices.Sort(spokes)
	if len(spokes) > 0 || !m.SpokeVPCIDs.IsNull() {
		// Not nil, which SetValueFrom makes null: spoke_vpc_ids = [] stays [].
		m.SpokeVPCIDs, _ = types.SetValueFrom(ctx, types.StringType, append([]string{}, spokes...))
	}
	return false
}

// notFoundPatience is how long a look-up of the hub endpoint keeps asking
// after "not found": an endpoint made in the same apply can be missing
// from EC2's describes for a while. A real typo costs this long.
const notFoundPatience = 90 * time.Second

// endpoint is the hub endpoint as EC2 describes it, through the Region's
// shared look-ups (privatelink.Client.FindEndpoint).
func (r *sharedDNSResource) endpoint(ctx context.Context, id string) (ec2types.VpcEndpoint, error) {
	ep, err := r.ec2.FindEndpoint(ctx, id, notFoundPatience)
	if err != nil {
		return ec2types.VpcEndpoint{}, err
	}
	return *ep, nil
}

// aliasOf is the alias target of endpoint id: its regional DNS name, and
// AAAA too when the endpoint serves IPv6.
func (r *sharedDNSResource) aliasOf(ctx context.Context, id string) (aliasTarget, error) {
	ep, err := r.endpoint(ctx, id)
	if err != nil {
		return aliasTarget{}, err
	}
	return targetOf(ep)
}

func targetOf(ep ec2types.VpcEndpoint) (aliasTarget, error) {
	e, ok := privatelink.RegionalDNSEntry(ep)
	if !ok {
		return aliasTarget{}, fmt.Errorf("VPC endpoint %s has no regional DNS name yet (state %s): wait until it is available",
			aws.ToString(ep.VpcEndpointId), ep.State)
	}
	return aliasTarget{
		DNSName:      aws.ToString(e.DnsName),
		HostedZoneID: aws.ToString(e.HostedZoneId),
		IPv4:         ep.IpAddressType != ec2types.IpAddressTypeIpv6,
		IPv6:         ep.IpAddressType == ec2types.IpAddressTypeDualstack || ep.IpAddressType == ec2types.IpAddressTypeIpv6,
	}, nil
}

// stringsOf are a known set's strings; none for null or unknown.
func stringsOf(ctx context.Context, s types.Set) []string {
	var out []string
	if !s.IsNull() && !s.IsUnknown() {
		_ = s.ElementsAs(ctx, &out, false)
	}
	return out
}
