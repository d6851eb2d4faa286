package privatelink

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// runChecks runs the run-book's checks for one endpoint, in the order a
// person would: the endpoint, its private DNS (or, for a hub, the shared
// zone and its spokes), the VPC, the firewall rules, then name resolution.
// A check whose data cannot be read fails with the reason instead of
// failing the whole data source.
func (d *endpointDataSource) runChecks(ctx context.Context, c *Client, m endpointDataSourceModel, svc *types.ServiceDetail,
	ep *types.VpcEndpoint, v endpointView) []HealthCheck {
	checks := []HealthCheck{availableCheck(v)}
	clientVPCs := []VPCRef{{ID: v.VpcID, Region: c.region}}
	dnsName, dnsAdvice := v.PrivateDNSName, privateDNSAdvice
	if zoneID := m.SharedDNSZoneID.ValueString(); zoneID != "" {
		var spokes []string
		if !m.SpokeVPCIDs.IsNull() && !m.SpokeVPCIDs.IsUnknown() {
			m.SpokeVPCIDs.ElementsAs(ctx, &spokes, false)
		}
		hub := d.checkHub(ctx, Hub{Regions: d.regions, Region: c.region, ZoneID: zoneID, Endpoint: *ep,
			Domain: v.PrivateDNSName, Spokes: spokes})
		checks = append(checks, hub.Checks...)
		clientVPCs = append(clientVPCs, hub.Spokes...)
		dnsName, dnsAdvice = cmp.Or(hub.Domain, dnsName), sharedZoneAdvice
	} else {
		checks = append(checks, privateDNSCheck(v), verifiedCheck(svc))
	}
	attrs, err := findVPCDNSAttributes(ctx, c, v.VpcID)
	checks = append(checks, vpcAttributeChecks(v.VpcID, attrs, err)...)

	var cidrs []string
	if !m.ClientCIDRBlocks.IsNull() && !m.ClientCIDRBlocks.IsUnknown() {
		m.ClientCIDRBlocks.ElementsAs(ctx, &cidrs, false)
	} else if cidrs, err = d.clientVPCCIDRs(ctx, clientVPCs); err != nil {
		cidrs = nil
	}

	if groups, err := findSecurityGroups(ctx, c, v.SecurityGroupIDs); err != nil {
		checks = append(checks, unreadable("security_group_allows_443", "ec2:DescribeSecurityGroups", err))
	} else {
		list := make([]types.SecurityGroup, 0, len(groups))
		for _, id := range v.SecurityGroupIDs {
			if g, ok := groups[id]; ok {
				list = append(list, g)
			}
		}
		checks = append(checks, healthCheckSecurityGroups443(list, cidrs))
	}
	if acls, err := findNetworkACLs(ctx, c, v.VpcID, v.SubnetIDs); err != nil {
		checks = append(checks, unreadable("network_acls_allow_443", "ec2:DescribeNetworkAcls", err))
	} else {
		checks = append(checks, healthCheckNetworkACLs443(acls, cidrs))
	}
	if m.ResolveDNS.ValueBool() {
		checks = append(checks, healthCheckDNSResolution(ctx, d.resolver(m.DNSResolver.ValueString()), dnsName, v.PrivateIPs, dnsAdvice))
	}
	return checks
}

func availableCheck(v endpointView) HealthCheck {
	c := HealthCheck{Name: "endpoint_available", OK: strings.EqualFold(v.State, "available")}
	switch {
	case c.OK:
		c.Detail = v.ID + " is available."
	case strings.EqualFold(v.State, "pendingAcceptance"):
		c.Detail = v.ID + " is pendingAcceptance: EngFlow has not accepted the connection yet. Ask your EngFlow support engineer to accept it."
	case strings.EqualFold(v.State, "pending"):
		c.Detail = v.ID + " is pending: AWS is still setting it up or applying a change. Wait (wait_for_available = true) and read again."
	default:
		c.Detail = fmt.Sprintf("%s is %s and will not carry traffic. Recreate it (terraform apply -replace=<address>) or ask EngFlow why.", v.ID, v.State)
	}
	return c
}

func privateDNSCheck(v endpointView) HealthCheck {
	if v.PrivateDNSEnabled {
		return HealthCheck{Name: "private_dns_enabled", OK: true,
			Detail: fmt.Sprintf("%s resolves to the endpoint inside the VPC.", v.PrivateDNSName)}
	}
	if v.PrivateDNSName == "" {
		// Advising private_dns_enabled = true here would only lead to the
		// plan error that says it cannot be turned on.
		return HealthCheck{Name: "private_dns_enabled", Detail: "Private DNS names are off, and the service offers no " +
			"private DNS name, so they cannot be turned on. Point Bazel at the endpoint's regional_dns_name, or ask EngFlow " +
			"for the cluster's private name."}
	}
	return HealthCheck{Name: "private_dns_enabled", Detail: fmt.Sprintf("Private DNS names are off, so %s does not resolve to "+
		"this endpoint inside the VPC. Set private_dns_enabled = true on the engflow_privatelink_endpoint (for a service that "+
		"requires acceptance, once EngFlow has accepted it).", v.PrivateDNSName)}
}

func verifiedCheck(svc *types.ServiceDetail) HealthCheck {
	name := aws.ToString(svc.PrivateDnsName)
	state := string(svc.PrivateDnsNameVerificationState)
	c := HealthCheck{Name: "private_dns_name_verified", OK: name != "" && strings.EqualFold(state, "verified")}
	switch {
	case c.OK:
		c.Detail = fmt.Sprintf("The service's private DNS name %s is verified.", name)
	case name == "":
		c.Detail = "The service has no private DNS name. Ask EngFlow for it, or point Bazel at the endpoint's regional_dns_name."
	default:
		c.Detail = fmt.Sprintf("The service's private DNS name %s is %q, not verified: consumers cannot use it yet. Ask your EngFlow support engineer.", name, state)
	}
	return c
}

func vpcAttributeChecks(vpcID string, attrs vpcDNSAttributes, err error) []HealthCheck {
	if err != nil {
		return []HealthCheck{unreadable("vpc_dns_support", "ec2:DescribeVpcAttribute", err), unreadable("vpc_dns_hostnames", "ec2:DescribeVpcAttribute", err)}
	}
	one := func(name, attr, flag string, on bool) HealthCheck {
		if on {
			return HealthCheck{Name: name, OK: true, Detail: fmt.Sprintf("%s has %s on.", vpcID, attr)}
		}
		return HealthCheck{Name: name, Detail: fmt.Sprintf("%s has %s off; private DNS needs it. Turn it on: %s = true on the aws_vpc, "+
			"or aws ec2 modify-vpc-attribute --vpc-id %s --%s.", vpcID, attr, flag, vpcID, kebab(attr))}
	}
	return []HealthCheck{
		one("vpc_dns_support", "enableDnsSupport", "enable_dns_support", attrs.Support),
		one("vpc_dns_hostnames", "enableDnsHostnames", "enable_dns_hostnames", attrs.Hostnames),
	}
}

func unreadable(name, permission string, err error) HealthCheck {
	return HealthCheck{Name: name, Detail: fmt.Sprintf("Could not be checked: %v. The provider needs %s for this check.", err, permission)}
}
