package privatelink

import (
	"context"
	"reflect"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// pagedVPC answers DescribeVpcs and DescribeNetworkAcls one item a page,
// after a first page that is empty, as EC2 may; or fails with err.
type pagedVPC struct {
	EC2API
	vpcs []types.Vpc
	acls []types.NetworkAcl
	err  error
}

// page returns the items of the page token asks for and the next token.
func page[T any](items []T, token *string) ([]T, *string) {
	if token == nil {
		return nil, aws.String("0")
	}
	i, _ := strconv.Atoi(*token)
	if i+1 < len(items) {
		return items[i : i+1], aws.String(strconv.Itoa(i + 1))
	}
	return items[i:], nil
}

func (f *pagedVPC) DescribeVpcs(_ context.Context, in *ec2.DescribeVpcsInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcsOutput, error) {
	if f.err != nil {
		return nil, f.err
	}
	vpcs, next := page(f.vpcs, in.NextToken)
	return &ec2.DescribeVpcsOutput{Vpcs: vpcs, NextToken: next}, nil
}

func (f *pagedVPC) DescribeNetworkAcls(_ context.Context, in *ec2.DescribeNetworkAclsInput, _ ...func(*ec2.Options)) (*ec2.DescribeNetworkAclsOutput, error) {
	if f.err != nil {
		return nil, f.err
	}
	acls, next := page(f.acls, in.NextToken)
	return &ec2.DescribeNetworkAclsOutput{NetworkAcls: acls, NextToken: next}, nil
}

func TestFindVPCCIDRs(t *testing.T) {
	associated := &types.VpcCidrBlockState{State: types.VpcCidrBlockStateCodeAssociated}
	f := &pagedVPC{vpcs: []types.Vpc{{
		CidrBlock: aws.String("10.0.0.0/16"),
		CidrBlockAssociationSet: []types.VpcCidrBlockAssociation{
			{CidrBlock: aws.String("10.0.0.0/16"), CidrBlockState: associated},
			{CidrBlock: aws.String("10.1.0.0/16"), CidrBlockState: &types.VpcCidrBlockState{State: types.VpcCidrBlockStateCodeDisassociated}},
			{CidrBlock: aws.String("10.2.0.0/16")},
		},
		Ipv6CidrBlockAssociationSet: []types.VpcIpv6CidrBlockAssociation{
			{Ipv6CidrBlock: aws.String("2600:1f18::/56"), Ipv6CidrBlockState: associated},
		},
	}, {CidrBlock: aws.String("10.9.0.0/16")}}} // a second VPC (a spoke), described without associations
	got, err := findVPCCIDRs(context.Background(), newTestClient(f), []string{"vpc-1", "vpc-2"})
	if want := []string{"10.0.0.0/16", "10.2.0.0/16", "2600:1f18::/56", "10.9.0.0/16"}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}

	f.err = apiError("UnauthorizedOperation", "no")
	if _, err := findVPCCIDRs(context.Background(), newTestClient(f), []string{"vpc-1"}); err == nil || errorCode(err) != "UnauthorizedOperation" ||
		err.Error() != "describing vpc-1: "+f.err.Error() {
		t.Errorf("error %v, want EC2's, wrapped with what was asked", err)
	}
}

func TestFindNetworkACLs(t *testing.T) {
	acl := func(id string, isDefault bool, subnets ...string) types.NetworkAcl {
		a := types.NetworkAcl{NetworkAclId: aws.String(id), IsDefault: aws.Bool(isDefault)}
		for _, s := range subnets {
			a.Associations = append(a.Associations, types.NetworkAclAssociation{SubnetId: aws.String(s)})
		}
		return a
	}
	f := &pagedVPC{acls: []types.NetworkAcl{acl("acl-default", true, "subnet-a"), acl("acl-b", false, "subnet-b")}}
	got, err := findNetworkACLs(context.Background(), newTestClient(f), "vpc-1", []string{"subnet-a", "subnet-b", "subnet-c"})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for subnet, a := range got {
		ids[subnet] = aws.ToString(a.NetworkAclId)
	}
	if want := map[string]string{"subnet-a": "acl-default", "subnet-b": "acl-b", "subnet-c": "acl-default"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("got %v, want %v", ids, want)
	}

	f.err = apiError("UnauthorizedOperation", "no")
	if _, err := findNetworkACLs(context.Background(), newTestClient(f), "vpc-1", []string{"subnet-a"}); err == nil ||
		errorCode(err) != "UnauthorizedOperation" || err.Error() != "describing the network ACLs of vpc-1: "+f.err.Error() {
		t.Errorf("error %v, want EC2's, wrapped with what was asked", err)
	}
}
