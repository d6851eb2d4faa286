package acctest

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// ACLRule is one TCP allow entry of a test network ACL.
type ACLRule struct {
	Number           int32
	Egress           bool
	FromPort, ToPort int32
	CIDR             string
}

// NewNetworkACL gives one subnet a network ACL with only the given allow
// entries (plus AWS's final deny), for one test; afterwards the subnet goes
// back to the VPC's default ACL and the ACL is deleted. It returns the ACL ID.
func NewNetworkACL(t *testing.T, vpcID, subnetID string, rules ...ACLRule) string {
	t.Helper()
	ctx := context.Background()
	a := TestAWS(t)
	out, err := a.EC2.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: aws.String(vpcID)})
	if err != nil {
		t.Fatal(err)
	}
	aclID := aws.ToString(out.NetworkAcl.NetworkAclId)
	for _, r := range rules {
		_, err := a.EC2.CreateNetworkAclEntry(ctx, &ec2.CreateNetworkAclEntryInput{
			NetworkAclId: aws.String(aclID), RuleNumber: aws.Int32(r.Number), Egress: aws.Bool(r.Egress),
			Protocol: aws.String("6"), RuleAction: ec2types.RuleActionAllow, CidrBlock: aws.String(r.CIDR),
			PortRange: &ec2types.PortRange{From: aws.Int32(r.FromPort), To: aws.Int32(r.ToPort)},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	previous, err := a.associateACL(ctx, vpcID, subnetID, aclID)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := a.associateACL(ctx, vpcID, subnetID, previous); err != nil {
			t.Errorf("restoring the network ACL of %s: %v", subnetID, err)
		}
		if _, err := a.EC2.DeleteNetworkAcl(ctx, &ec2.DeleteNetworkAclInput{NetworkAclId: aws.String(aclID)}); err != nil {
			t.Errorf("deleting network ACL %s: %v", aclID, err)
		}
	})
	return aclID
}

// associateACL moves a subnet to another network ACL and returns the one it left.
func (a *AWS) associateACL(ctx context.Context, vpcID, subnetID, aclID string) (string, error) {
	var acls []ec2types.NetworkAcl
	p := ec2.NewDescribeNetworkAclsPaginator(a.EC2, &ec2.DescribeNetworkAclsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{vpcID}},
		{Name: aws.String("association.subnet-id"), Values: []string{subnetID}},
	}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return "", err
		}
		acls = append(acls, page.NetworkAcls...)
	}
	for _, acl := range acls {
		for _, assoc := range acl.Associations {
			if aws.ToString(assoc.SubnetId) != subnetID {
				continue
			}
			_, err := a.EC2.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{
				AssociationId: assoc.NetworkAclAssociationId, NetworkAclId: aws.String(aclID),
			})
			return aws.ToString(acl.NetworkAclId), err
		}
	}
	return "", fmt.Errorf("no network ACL association found for %s", subnetID)
}
