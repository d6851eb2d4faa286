package privatelink

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestCreateInput_privateDNSOnlyWithoutAcceptance(t *testing.T) {
	s := endpointSpec{ServiceName: "svc", VpcID: "vpc-1", SubnetIDs: []string{"subnet-b", "subnet-a"}, PrivateDNSEnabled: true}
	in := createInput(s, false)
	if in.VpcEndpointType != types.VpcEndpointTypeInterface {
		t.Errorf("type = %s, want Interface (the API defaults to Gateway)", in.VpcEndpointType)
	}
	if !aws.ToBool(in.PrivateDnsEnabled) {
		t.Error("private DNS off at create for a service without acceptance")
	}
	if got := createInput(s, true); aws.ToBool(got.PrivateDnsEnabled) {
		t.Error("private DNS asked for at create although the service requires acceptance (AWS refuses that)")
	}
	if !reflect.DeepEqual(in.SubnetIds, []string{"subnet-a", "subnet-b"}) || in.SecurityGroupIds != nil {
		t.Errorf("subnets %v, groups %v; want sorted subnets and no groups (AWS then attaches the VPC default)", in.SubnetIds, in.SecurityGroupIds)
	}
}

func TestClientToken_stableForSameRequestDifferentOtherwise(t *testing.T) {
	s := endpointSpec{ServiceName: "svc", VpcID: "vpc-1", SubnetIDs: []string{"subnet-a"}, Tags: map[string]string{"team": "build"}}
	a, b := createInput(s, false), createInput(s, false)
	if aws.ToString(a.ClientToken) != aws.ToString(b.ClientToken) {
		t.Error("the same request got two different tokens: a retry would create a second endpoint")
	}
	if n := len(aws.ToString(a.ClientToken)); n > 64 || !strings.HasPrefix(aws.ToString(a.ClientToken), "engflow-") {
		t.Errorf("token %q: EC2 takes at most 64 ASCII characters", aws.ToString(a.ClientToken))
	}
	other := s
	other.SubnetIDs = []string{"subnet-b"}
	if aws.ToString(createInput(other, false).ClientToken) == aws.ToString(a.ClientToken) {
		t.Error("different subnets, same token: EC2 would answer IdempotentParameterMismatch")
	}
	if clientToken(a, "retry") == aws.ToString(a.ClientToken) {
		t.Error("salt does not change the token")
	}
}

func TestModifyInput(t *testing.T) {
	current := endpointSpec{SubnetIDs: []string{"s-1", "s-2"}, SecurityGroupIDs: []string{"sg-1"}, PrivateDNSEnabled: true, IPAddressType: "ipv4", DNSRecordIPType: "ipv4"}
	if in := modifyInput("vpce-1", current, current); in != nil {
		t.Errorf("no change, yet a modify: %+v", in)
	}
	want := current
	want.SubnetIDs = []string{"s-2", "s-3"}
	want.SecurityGroupIDs = []string{"sg-2"}
	want.PrivateDNSEnabled = false
	in := modifyInput("vpce-1", current, want)
	if in == nil {
		t.Fatal("no modify for changed subnets, groups and DNS")
	}
	if !reflect.DeepEqual(in.AddSubnetIds, []string{"s-3"}) || !reflect.DeepEqual(in.RemoveSubnetIds, []string{"s-1"}) {
		t.Errorf("subnets +%v -%v", in.AddSubnetIds, in.RemoveSubnetIds)
	}
	if !reflect.DeepEqual(in.AddSecurityGroupIds, []string{"sg-2"}) || !reflect.DeepEqual(in.RemoveSecurityGroupIds, []string{"sg-1"}) {
		t.Errorf("groups +%v -%v", in.AddSecurityGroupIds, in.RemoveSecurityGroupIds)
	}
	if in.PrivateDnsEnabled == nil || *in.PrivateDnsEnabled {
		t.Error("private DNS not turned off")
	}
	unknownGroups := current
	unknownGroups.SecurityGroupIDs = nil // omitted in config: leave AWS's choice alone
	if in := modifyInput("vpce-1", current, unknownGroups); in != nil {
		t.Errorf("omitted security groups removed the current ones: %+v", in)
	}
}
