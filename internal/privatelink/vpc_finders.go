package privatelink

import (
	"cmp"
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Look-ups of the consumer VPC, for plan-time checks and the health checks.

// findSubnets returns the subnets that exist among ids. A subnet's VPC and
// zone never change, so each is asked for once per process, batched with
// the other resources' look-ups.
func findSubnets(ctx context.Context, c *Client, ids []string) (map[string]types.Subnet, error) {
	found := map[string]types.Subnet{}
	var missing []string
	for _, id := range ids {
		if v, ok := c.lookups.facts.Load("subnet:" + id); ok {
			found[id] = v.(types.Subnet)
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return found, nil
	}
	fetched, err := c.subnets.getAll(ctx, missing)
	if err != nil {
		return nil, err
	}
	for id, sn := range fetched {
		c.lookups.facts.Store("subnet:"+id, sn)
		found[id] = sn
	}
	return found, nil
}

// findSecurityGroups returns the security groups that exist among ids, as
// they are now: their rules can change at any time.
func findSecurityGroups(ctx context.Context, c *Client, ids []string) (map[string]types.SecurityGroup, error) {
	return c.groups.getAll(ctx, ids)
}

// describeSubnets is the batcher fetch for subnets, by filter (see
// describeEndpoints).
func describeSubnets(conn EC2API) batchFetch[types.Subnet] {
	return chunked(func(ctx context.Context, ids []string) (map[string]types.Subnet, error) {
		p := ec2.NewDescribeSubnetsPaginator(conn, &ec2.DescribeSubnetsInput{Filters: filterOn("subnet-id", ids)})
		return byID(ctx, "subnets", p, func(o *ec2.DescribeSubnetsOutput) []types.Subnet { return o.Subnets },
			func(s types.Subnet) *string { return s.SubnetId })
	})
}

// describeSecurityGroups is the batcher fetch for security groups, by
// filter (see describeEndpoints).
func describeSecurityGroups(conn EC2API) batchFetch[types.SecurityGroup] {
	return chunked(func(ctx context.Context, ids []string) (map[string]types.SecurityGroup, error) {
		p := ec2.NewDescribeSecurityGroupsPaginator(conn, &ec2.DescribeSecurityGroupsInput{Filters: filterOn("group-id", ids)})
		return byID(ctx, "security groups", p, func(o *ec2.DescribeSecurityGroupsOutput) []types.SecurityGroup { return o.SecurityGroups },
			func(g types.SecurityGroup) *string { return g.GroupId })
	})
}

// vpcDNSAttributes are the two VPC attributes private DNS needs.
type vpcDNSAttributes struct {
	Support   bool // enableDnsSupport
	Hostnames bool // enableDnsHostnames
}

// vpcDNSAttributesForPlan is findVPCDNSAttributes for the plan-time check,
// shared by every endpoint of the VPC that this provider process plans.
// An answer with both on is remembered: it lets every plan pass, and should
// someone turn an attribute off meanwhile, AWS still refuses the create.
// Any other answer is asked again, so that turning one on is seen at once.
func vpcDNSAttributesForPlan(ctx context.Context, c *Client, vpcID string) (vpcDNSAttributes, error) {
	bothOn := func(a vpcDNSAttributes) bool { return a.Support && a.Hostnames }
	return factIf(ctx, &c.lookups, "vpc-dns-on:"+vpcID, bothOn, func(ctx context.Context) (vpcDNSAttributes, error) {
		return findVPCDNSAttributes(ctx, c, vpcID)
	})
}

// findVPCDNSAttributes reads both attributes as they are now (EC2 answers
// one per call); concurrent callers for one VPC share the calls.
func findVPCDNSAttributes(ctx context.Context, c *Client, vpcID string) (vpcDNSAttributes, error) {
	return shared(ctx, &c.lookups, "vpc-dns:"+vpcID, func(ctx context.Context) (vpcDNSAttributes, error) {
		var attrs vpcDNSAttributes
		var supportErr, hostnamesErr error
		var wg sync.WaitGroup
		wg.Go(func() {
			attrs.Support, supportErr = vpcAttribute(ctx, c, vpcID, types.VpcAttributeNameEnableDnsSupport)
		})
		wg.Go(func() {
			attrs.Hostnames, hostnamesErr = vpcAttribute(ctx, c, vpcID, types.VpcAttributeNameEnableDnsHostnames)
		})
		wg.Wait()
		return attrs, cmp.Or(supportErr, hostnamesErr)
	})
}

// vpcAttribute reads one boolean attribute of a VPC.
func vpcAttribute(ctx context.Context, c *Client, vpcID string, a types.VpcAttributeName) (bool, error) {
	out, err := c.ec2.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String(vpcID), Attribute: a})
	switch {
	case errorCode(err) == codeVPCNotFound:
		return false, &NotFoundError{Kind: "VPC", ID: vpcID, Cause: err}
	case err != nil:
		return false, fmt.Errorf("reading %s of %s: %w", a, vpcID, err)
	case a == types.VpcAttributeNameEnableDnsSupport:
		return out.EnableDnsSupport != nil && aws.ToBool(out.EnableDnsSupport.Value), nil
	default:
		return out.EnableDnsHostnames != nil && aws.ToBool(out.EnableDnsHostnames.Value), nil
	}
}

// findVPCCIDRs lists the VPC's associated IPv4 and IPv6 CIDR blocks: where
// Bazel clients in the VPC connect from.
func findVPCCIDRs(ctx context.Context, c *Client, vpcID string) ([]string, error) {
	var vpcs []types.Vpc
	p := ec2.NewDescribeVpcsPaginator(c.ec2, &ec2.DescribeVpcsInput{VpcIds: []string{vpcID}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("describing %s: %w", vpcID, err)
		}
		vpcs = append(vpcs, page.Vpcs...)
	}
	var cidrs []string
	for _, v := range vpcs {
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
func findNetworkACLs(ctx context.Context, c *Client, vpcID string, subnetIDs []string) (map[string]types.NetworkAcl, error) {
	var acls []types.NetworkAcl
	p := ec2.NewDescribeNetworkAclsPaginator(c.ec2, &ec2.DescribeNetworkAclsInput{Filters: []types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{vpcID}},
	}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("describing the network ACLs of %s: %w", vpcID, err)
		}
		acls = append(acls, page.NetworkAcls...)
	}
	bySubnet := map[string]types.NetworkAcl{}
	var defaultACL *types.NetworkAcl
	for i, acl := range acls {
		if aws.ToBool(acl.IsDefault) {
			defaultACL = &acls[i]
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
