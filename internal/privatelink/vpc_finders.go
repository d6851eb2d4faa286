package privatelink

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Look-ups of the consumer VPC for plan-time checks. What they read does not
// change under a plan (a subnet's VPC and zone, a group's VPC), so they are
// remembered for the provider process and shared by every endpoint.

// findSubnets returns the subnets that exist among ids, in one call.
func findSubnets(ctx context.Context, d *deps, ids []string) (map[string]types.Subnet, error) {
	key := "subnets:" + strings.Join(sorted(ids), ",")
	v, err := d.memo.Do(ctx, key, func(ctx context.Context) (any, error) {
		return describeByIDs(ctx, ids, "InvalidSubnetID.NotFound", func(ctx context.Context, ids []string) (map[string]types.Subnet, error) {
			out, err := d.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: ids})
			if err != nil {
				return nil, err
			}
			found := map[string]types.Subnet{}
			for _, s := range out.Subnets {
				found[aws.ToString(s.SubnetId)] = s
			}
			return found, nil
		})
	})
	if err != nil {
		return nil, err
	}
	return v.(map[string]types.Subnet), nil
}

// findSecurityGroups returns the security groups that exist among ids.
func findSecurityGroups(ctx context.Context, d *deps, ids []string) (map[string]types.SecurityGroup, error) {
	key := "groups:" + strings.Join(sorted(ids), ",")
	v, err := d.memo.Do(ctx, key, func(ctx context.Context) (any, error) {
		return describeByIDs(ctx, ids, "InvalidGroup.NotFound", func(ctx context.Context, ids []string) (map[string]types.SecurityGroup, error) {
			out, err := d.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: ids})
			if err != nil {
				return nil, err
			}
			found := map[string]types.SecurityGroup{}
			for _, g := range out.SecurityGroups {
				found[aws.ToString(g.GroupId)] = g
			}
			return found, nil
		})
	})
	if err != nil {
		return nil, err
	}
	return v.(map[string]types.SecurityGroup), nil
}

// vpcDNSAttributes are the two VPC attributes private DNS needs.
type vpcDNSAttributes struct {
	Support   bool // enableDnsSupport
	Hostnames bool // enableDnsHostnames
}

// findVPCDNSAttributes reads both attributes (EC2 answers one per call).
func findVPCDNSAttributes(ctx context.Context, d *deps, vpcID string) (vpcDNSAttributes, error) {
	v, err := d.memo.Do(ctx, "vpc-dns:"+vpcID, func(ctx context.Context) (any, error) {
		var attrs vpcDNSAttributes
		for _, a := range []types.VpcAttributeName{types.VpcAttributeNameEnableDnsSupport, types.VpcAttributeNameEnableDnsHostnames} {
			out, err := d.ec2.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String(vpcID), Attribute: a})
			if errorCode(err) == "InvalidVpcID.NotFound" {
				return nil, &NotFoundError{Kind: "VPC", ID: vpcID, Cause: err}
			}
			if err != nil {
				return nil, fmt.Errorf("reading %s of %s: %w", a, vpcID, err)
			}
			if a == types.VpcAttributeNameEnableDnsSupport {
				attrs.Support = out.EnableDnsSupport != nil && aws.ToBool(out.EnableDnsSupport.Value)
			} else {
				attrs.Hostnames = out.EnableDnsHostnames != nil && aws.ToBool(out.EnableDnsHostnames.Value)
			}
		}
		return attrs, nil
	})
	if err != nil {
		return vpcDNSAttributes{}, err
	}
	return v.(vpcDNSAttributes), nil
}

// findEndpointsOfService lists the live endpoints in a VPC for one service.
func findEndpointsOfService(ctx context.Context, d *deps, vpcID, serviceName string) ([]types.VpcEndpoint, error) {
	var live []types.VpcEndpoint
	p := ec2.NewDescribeVpcEndpointsPaginator(d.ec2, &ec2.DescribeVpcEndpointsInput{Filters: []types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{vpcID}},
		{Name: aws.String("service-name"), Values: []string{serviceName}},
	}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing endpoints of %s in %s: %w", serviceName, vpcID, err)
		}
		for _, ep := range page.VpcEndpoints {
			// Filters narrow the answer; checking again keeps a lax emulator honest.
			if aws.ToString(ep.VpcId) == vpcID && aws.ToString(ep.ServiceName) == serviceName &&
				!stateIs(ep.State, "deleting", "deleted", "rejected", "failed", "expired") {
				live = append(live, ep)
			}
		}
	}
	sort.Slice(live, func(i, j int) bool { return aws.ToString(live[i].VpcEndpointId) < aws.ToString(live[j].VpcEndpointId) })
	return live, nil
}

// findVPCCIDRs lists the VPC's associated IPv4 and IPv6 CIDR blocks: where
// Bazel clients in the VPC connect from.
func findVPCCIDRs(ctx context.Context, d *deps, vpcID string) ([]string, error) {
	out, err := d.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{vpcID}})
	if err != nil {
		return nil, fmt.Errorf("describing %s: %w", vpcID, err)
	}
	var cidrs []string
	for _, v := range out.Vpcs {
		for _, a := range v.CidrBlockAssociationSet {
			if a.CidrBlockState == nil || a.CidrBlockState.State == types.VpcCidrBlockStateCodeAssociated {
				cidrs = append(cidrs, aws.ToString(a.CidrBlock))
			}
		}
		for _, a := range v.Ipv6CidrBlockAssociationSet {
			if a.Ipv6CidrBlockState == nil || a.Ipv6CidrBlockState.State == types.VpcCidrBlockStateCodeAssociated {
				cidrs = append(cidrs, aws.ToString(a.Ipv6CidrBlock))
			}
		}
		if len(cidrs) == 0 && v.CidrBlock != nil {
			cidrs = append(cidrs, aws.ToString(v.CidrBlock))
		}
	}
	return cidrs, nil
}

// findNetworkACLs maps each subnet to the network ACL that governs it: the
// one it is associated with, else the VPC's default ACL.
func findNetworkACLs(ctx context.Context, d *deps, vpcID string, subnetIDs []string) (map[string]types.NetworkAcl, error) {
	out, err := d.ec2.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{vpcID}},
	}})
	if err != nil {
		return nil, fmt.Errorf("describing the network ACLs of %s: %w", vpcID, err)
	}
	bySubnet := map[string]types.NetworkAcl{}
	var defaultACL *types.NetworkAcl
	for i, acl := range out.NetworkAcls {
		if aws.ToBool(acl.IsDefault) {
			defaultACL = &out.NetworkAcls[i]
		}
		for _, a := range acl.Associations {
			bySubnet[aws.ToString(a.SubnetId)] = acl
		}
	}
	result := make(map[string]types.NetworkAcl, len(subnetIDs))
	for _, id := range subnetIDs {
		if acl, ok := bySubnet[id]; ok {
			result[id] = acl
		} else if defaultACL != nil {
			result[id] = *defaultACL
		}
	}
	return result, nil
}
