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
