package privatelink

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwtypes "github.com/hashicorp/terraform-plugin-framework/types"
)

func TestCreateInput_privateDNSOnlyWithoutAcceptance(t *testing.T) {
	s := endpointSpec{ServiceName: "svc", VpcID: "vpc-1", SubnetIDs: []string{"subnet-b", "subnet-a"}, PrivateDNSEnabled: true}
	in := createInput(s, false, "m")
	if in.VpcEndpointType != types.VpcEndpointTypeInterface {
		t.Errorf("type = %s, want Interface (the API defaults to Gateway)", in.VpcEndpointType)
	}
	if !aws.ToBool(in.PrivateDnsEnabled) {
		t.Error("private DNS off at create for a service without acceptance")
	}
	if got := createInput(s, true, "m"); aws.ToBool(got.PrivateDnsEnabled) {
		t.Error("private DNS asked for at create although the service requires acceptance (AWS refuses that)")
	}
	if !reflect.DeepEqual(in.SubnetIds, []string{"subnet-a", "subnet-b"}) || in.SecurityGroupIds != nil {
		t.Errorf("subnets %v, groups %v; want sorted subnets and no groups (AWS then attaches the VPC default)", in.SubnetIds, in.SecurityGroupIds)
	}
}

// Each create gets a token of its own: EC2 answers a repeated token with
// the original endpoint, even a deleted one, so a token derived from the
// arguments gave two identical resources one endpoint and made -replace
// wait on a dead one.
func TestCreateInput_tokenIsNewForEveryCreate(t *testing.T) {
	s := endpointSpec{ServiceName: "svc", VpcID: "vpc-1", SubnetIDs: []string{"subnet-a"}, Tags: map[string]string{"team": "build"}}
	a, b := createInput(s, false, "m"), createInput(s, false, "m")
	if aws.ToString(a.ClientToken) == aws.ToString(b.ClientToken) {
		t.Errorf("two creates with the same arguments share token %s: EC2 would give both the same endpoint", aws.ToString(a.ClientToken))
	}
	if n := len(aws.ToString(a.ClientToken)); n > 64 || !strings.HasPrefix(aws.ToString(a.ClientToken), "engflow-") {
		t.Errorf("token %q: EC2 takes at most 64 ASCII characters", aws.ToString(a.ClientToken))
	}
}

func TestCreateInput_carriesTheCreationMarker(t *testing.T) {
	s := endpointSpec{ServiceName: "svc", VpcID: "vpc-1", SubnetIDs: []string{"subnet-a"}, Tags: map[string]string{"team": "build"}}
	in := createInput(s, false, "proc fp")
	if len(in.TagSpecifications) != 1 || in.TagSpecifications[0].ResourceType != types.ResourceTypeVpcEndpoint {
		t.Fatalf("tag specifications %+v", in.TagSpecifications)
	}
	tags := tagMap(in.TagSpecifications[0].Tags)
	if tags[creationMarkerKey] != "proc fp" || tags["team"] != "build" || len(tags) != 2 {
		t.Errorf("tags %v; want the user's tags and the creation marker", tags)
	}
}

// tags never shows the marker: it is the provider's, not the user's.
func TestResourceTags_leaveOutTheMarker(t *testing.T) {
	var diags diag.Diagnostics
	got := resourceTags(context.Background(), map[string]string{"team": "build", creationMarkerKey: "proc"}, nil, fwtypes.MapNull(fwtypes.StringType), &diags)
	if want := `{"team":"build"}`; got.String() != want || diags.HasError() {
		t.Errorf("tags = %s (%v), want %s", got, diags, want)
	}
}

func TestShows(t *testing.T) {
	ep := &types.VpcEndpoint{SubnetIds: []string{"subnet-b", "subnet-a"}, Groups: []types.SecurityGroupIdentifier{{GroupId: aws.String("sg-1")}},
		PrivateDnsEnabled: aws.Bool(true), IpAddressType: "ipv4"}
	want := endpointSpec{SubnetIDs: []string{"subnet-a", "subnet-b"}, SecurityGroupIDs: []string{"sg-1"}, PrivateDNSEnabled: true}
	if !shows(ep, want) {
		t.Error("the endpoint shows exactly what is wanted (in another order), yet shows() is false")
	}
	for name, change := range map[string]func(*endpointSpec){
		"subnets":     func(s *endpointSpec) { s.SubnetIDs = []string{"subnet-a"} },
		"groups":      func(s *endpointSpec) { s.SecurityGroupIDs = []string{"sg-2"} },
		"private DNS": func(s *endpointSpec) { s.PrivateDNSEnabled = false },
		"IP type":     func(s *endpointSpec) { s.IPAddressType = "dualstack" },
	} {
		w := want
		change(&w)
		if shows(ep, w) {
			t.Errorf("%s differ, yet shows() is true", name)
		}
	}
	omitted := want
	omitted.SecurityGroupIDs = nil
	if !shows(ep, omitted) {
		t.Error("groups left to AWS must match any groups")
	}
}

func TestModifyInput(t *testing.T) {
	current := endpointSpec{SubnetIDs: []string{"s-1", "s-2"}, SecurityGroupIDs: []string{"sg-1"}, PrivateDNSEnabled: true, IPAddressType: "ipv4", DNSRecordIPType: "ipv4"}
	if in := modifyInput("vpce-1", current, current, nil); in != nil {
		t.Errorf("no change, yet a modify: %+v", in)
	}
	want := current
	want.SubnetIDs = []string{"s-2", "s-3"}
	want.SecurityGroupIDs = []string{"sg-2"}
	want.PrivateDNSEnabled = false
	in := modifyInput("vpce-1", current, want, nil)
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
	if in := modifyInput("vpce-1", current, unknownGroups, nil); in != nil {
		t.Errorf("omitted security groups removed the current ones: %+v", in)
	}
}

// modifyFake answers ModifyVpcEndpoint with the given errors in turn, then success.
type modifyFake struct {
	fakeEC2
	refusals []error
}

func (f *modifyFake) ModifyVpcEndpoint(context.Context, *ec2.ModifyVpcEndpointInput, ...func(*ec2.Options)) (*ec2.ModifyVpcEndpointOutput, error) {
	f.count("ModifyVpcEndpoint")
	if n := f.callCount("ModifyVpcEndpoint"); n <= len(f.refusals) {
		return nil, f.refusals[n-1]
	}
	return &ec2.ModifyVpcEndpointOutput{Return: aws.Bool(true)}, nil
}

// EC2 allows one change at a time per endpoint, whoever makes it: a modify
// waits out "operation in progress", by code or by message alone.
func TestModifyEndpoint_waitsOutAChangeInProgress(t *testing.T) {
	f := &modifyFake{refusals: []error{
		apiError(codeOperationInProgress, "VpcEndpoint modify operation in progress"),
		apiError("InvalidParameter", "VpcEndpoint modify operation in progress"),
	}}
	p, _ := testPoller()
	if err := modifyEndpoint(context.Background(), f, p, &ec2.ModifyVpcEndpointInput{VpcEndpointId: aws.String("vpce-1")}); err != nil {
		t.Fatal(err)
	}
	if n := f.callCount("ModifyVpcEndpoint"); n != 3 {
		t.Errorf("%d ModifyVpcEndpoint calls, want 3", n)
	}
}
