package privatelink

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// planFake is a fakeEC2 answering the read-only calls of plan-time checks
// for one service in us-east-1a/b and one VPC.
type planFake struct {
	fakeEC2
	existing []types.VpcEndpoint
}

func (f *planFake) DescribeSubnets(_ context.Context, in *ec2.DescribeSubnetsInput, _ ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error) {
	f.count("DescribeSubnets")
	var out []types.Subnet
	for _, id := range filterValues(in.Filters, "subnet-id") {
		out = append(out, types.Subnet{SubnetId: aws.String(id), VpcId: aws.String("vpc-1"),
			AvailabilityZone: aws.String("us-east-1" + id[len(id)-1:]), AvailabilityZoneId: aws.String("use1-az" + id[len(id)-1:]),
			CidrBlock: aws.String(fmt.Sprintf("10.0.%d.0/24", id[len(id)-1]-'a'+1))})
	}
	return &ec2.DescribeSubnetsOutput{Subnets: out}, nil
}

func (f *planFake) DescribeVpcAttribute(_ context.Context, in *ec2.DescribeVpcAttributeInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcAttributeOutput, error) {
	f.count("DescribeVpcAttribute")
	on := &types.AttributeBooleanValue{Value: aws.Bool(true)}
	return &ec2.DescribeVpcAttributeOutput{EnableDnsSupport: on, EnableDnsHostnames: on}, nil
}

func (f *planFake) DescribeVpcEndpoints(_ context.Context, in *ec2.DescribeVpcEndpointsInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointsOutput, error) {
	f.count("DescribeVpcEndpoints")
	return &ec2.DescribeVpcEndpointsOutput{VpcEndpoints: f.existing}, nil
}

const testService = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"

func newPlanFake(existing ...types.VpcEndpoint) *planFake {
	f := &planFake{existing: existing}
	f.describeServices = func([]string) ([]types.ServiceDetail, error) {
		return []types.ServiceDetail{{
			ServiceName: aws.String(testService), ServiceType: []types.ServiceTypeDetail{{ServiceType: types.ServiceTypeInterface}},
			AvailabilityZones: []string{"us-east-1a", "us-east-1b"}, AvailabilityZoneIds: []string{"use1-aza", "use1-azb"},
			PrivateDnsName: aws.String("demo.cluster.engflow.com"), PrivateDnsNameVerificationState: "verified",
			SupportedIpAddressTypes: []types.ServiceConnectivityType{"ipv4"},
		}}, nil
	}
	return f
}

func newPlan(groups []string) planChange {
	return planChange{
		spec:     endpointSpec{ServiceName: testService, VpcID: "vpc-1", SubnetIDs: []string{"subnet-a", "subnet-b"}, SecurityGroupIDs: groups, PrivateDNSEnabled: true},
		creating: true, subnetsOK: true, groupsOK: groups != nil,
		serviceChanged: true, subnetsChanged: true, groupsChanged: true, dnsTurnedOn: true,
	}
}

func TestCheckPlan_unchangedResourceMakesNoCall(t *testing.T) {
	f := newPlanFake()
	c := newPlan([]string{"sg-1"})
	c.creating, c.serviceChanged, c.subnetsChanged, c.groupsChanged, c.dnsTurnedOn = false, false, false, false, false
	c.selfID = "vpce-1"
	if diags := checkPlan(context.Background(), newTestClient(f), c); diags.HasError() {
		t.Fatal(diags)
	}
	if len(f.calls) != 0 {
		t.Errorf("an unchanged endpoint cost calls at plan: %v", f.calls)
	}
}

func TestCheckPlan_newEndpointIsCheckedWithFewCalls(t *testing.T) {
	f := newPlanFake()
	d := newTestClient(f)
	if diags := checkPlan(context.Background(), d, newPlan(nil)); diags.HasError() {
		t.Fatal(diags)
	}
	total := 0
	for _, n := range f.calls {
		total += n
	}
	// service, subnets, two VPC attributes, existing endpoints
	if total != 5 {
		t.Errorf("a new endpoint cost %d calls at plan (%v), want 5", total, f.calls)
	}
}

func TestCheckPlan_omittedGroupsWarn(t *testing.T) {
	f := newPlanFake()
	d := newTestClient(f)
	diags := checkPlan(context.Background(), d, newPlan(nil))
	if !hasWarning(diags, "No security groups given", "security_group_ids = [") {
		t.Errorf("no warning that tells how to pass a group: %v", diags)
	}
}

func TestCheckPlan_existingEndpoint(t *testing.T) {
	plan := newPlan([]string{})
	other := func(dns bool, marker string, age time.Duration, subnets ...string) types.VpcEndpoint {
		ep := markedEndpoint("vpce-0aaaaaaaaaaaaaaaa", marker, time.Now().Add(-age))
		ep.State, ep.PrivateDnsEnabled, ep.SubnetIds = "available", aws.Bool(dns), subnets
		return ep
	}
	for _, tc := range []struct {
		name           string
		existing       types.VpcEndpoint
		errorSummary   string
		warningSummary string
	}{
		{"without private DNS: a warning with the import command", other(false, "", 0, "subnet-a"), "", "already exists"},
		{"with private DNS, other subnets: an error", other(true, "", 0, "subnet-a"), "already serves", ""},
		{"with private DNS, the same subnets, perhaps the one this plan replaces: a warning", other(true, "", 0, "subnet-a", "subnet-b"), "", "already serves"},
		{"another run's unfinished create, the same arguments: an error", other(true, anotherRun, time.Minute, "subnet-a", "subnet-b"), "Unfinished create", ""},
		{"another run's unfinished create, other arguments, no private DNS: an error", other(false, anotherRun, time.Minute, "subnet-a"), "Unfinished create", ""},
		{"a create that stopped long ago: a warning", other(false, anotherRun, staleMarkerAge+time.Minute, "subnet-a"), "", "never finished"},
		{"a create that stopped long ago, holding the name: an error too", other(true, anotherRun, staleMarkerAge+time.Minute, "subnet-a"), "already serves", "never finished"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newPlanFake(tc.existing)
			diags := checkPlan(context.Background(), newTestClient(f), plan)
			diags = withoutSummary(diags, "security_group_ids is empty") // not under test here
			if got, want := diags.HasError(), tc.errorSummary != ""; got != want {
				t.Fatalf("error = %v, want %v: %v", got, want, diags)
			}
			if tc.errorSummary != "" && !hasError(diags, tc.errorSummary, "terraform import") {
				t.Errorf("no error %q with the import command: %v", tc.errorSummary, diags)
			}
			if tc.warningSummary != "" && !hasWarning(diags, tc.warningSummary, "vpce-0aaaaaaaaaaaaaaaa") {
				t.Errorf("no warning %q naming the endpoint: %v", tc.warningSummary, diags)
			}
			for _, d := range diags {
				if !strings.Contains(d.Detail(), "vpce-0aaaaaaaaaaaaaaaa") {
					t.Errorf("diagnostic does not name the existing endpoint: %s", d.Detail())
				}
			}
		})
	}
}

// Endpoints this provider process is creating right now (other resources
// of the same apply) are no one else's, and neither are those made by the
// run that made the state's own endpoint, whose marker this plan removes.
func TestCheckPlan_createsOfThisRunAreNotReported(t *testing.T) {
	here := markedEndpoint("vpce-0aaaaaaaaaaaaaaaa", processID, time.Now())
	sameRun := markedEndpoint("vpce-0bbbbbbbbbbbbbbbb", "samerun0marker00", time.Now())
	creating := newPlan([]string{})
	creating.spec.PrivateDNSEnabled = false
	removing := planChange{spec: creating.spec, selfID: "vpce-0cccccccccccccccc", selfMarker: "samerun0marker00"}
	for name, c := range map[string]planChange{"a new endpoint": creating, "removing the marker": removing} {
		existing := []types.VpcEndpoint{here}
		if c.selfMarker != "" {
			existing = append(existing, sameRun)
		}
		diags := withoutSummary(checkPlan(context.Background(), newTestClient(newPlanFake(existing...)), c), "security_group_ids is empty")
		if len(diags) != 0 {
			t.Errorf("%s: creates of this run were reported: %v", name, diags)
		}
	}
}

// A plan that removes the state's endpoint's marker looks for other runs'
// unfinished creates too: a create interrupted twice may have left one.
func TestCheckPlan_removingTheMarkerLooksForOthers(t *testing.T) {
	c := planChange{spec: endpointSpec{ServiceName: testService, VpcID: "vpc-1"}, selfID: "vpce-0cccccccccccccccc", selfMarker: "samerun0marker00"}
	f := newPlanFake(markedEndpoint("vpce-0aaaaaaaaaaaaaaaa", anotherRun, time.Now()))
	diags := checkPlan(context.Background(), newTestClient(f), c)
	if !hasError(diags, "Unfinished create", "This run stops before it finishes vpce-0cccccccccccccccc") {
		t.Errorf("no error naming the other run's endpoint: %v", diags)
	}
	if n := f.callCount("DescribeVpcEndpoints"); n != 1 {
		t.Errorf("%d listings, want 1", n)
	}
}

func hasError(diags diag.Diagnostics, summaryPart, detailPart string) bool {
	for _, d := range diags.Errors() {
		if strings.Contains(d.Summary(), summaryPart) && strings.Contains(d.Detail(), detailPart) {
			return true
		}
	}
	return false
}

func hasWarning(diags diag.Diagnostics, summaryPart, detailPart string) bool {
	for _, d := range diags.Warnings() {
		if strings.Contains(d.Summary(), summaryPart) && strings.Contains(d.Detail(), detailPart) {
			return true
		}
	}
	return false
}

func withoutSummary(diags diag.Diagnostics, summary string) diag.Diagnostics {
	var out diag.Diagnostics
	for _, d := range diags {
		if d.Summary() != summary {
			out = append(out, d)
		}
	}
	return out
}

// Terraform plans up to -parallelism resources at once: their plan-time
// look-ups share calls, except the VPC attributes, which EC2 answers one
// VPC and one attribute per call.
func TestCheckPlan_resourcesPlannedTogetherShareCalls(t *testing.T) {
	f := newPlanFake()
	d := newTestClient(f)
	var wg sync.WaitGroup
	for i := range 10 {
		c := newPlan(nil)
		c.spec.VpcID = fmt.Sprintf("vpc-%d", i)
		c.spec.SubnetIDs = []string{fmt.Sprintf("subnet-%da", i), fmt.Sprintf("subnet-%db", i)}
		wg.Go(func() { checkPlan(context.Background(), d, c) })
	}
	wg.Wait()
	// A goroutine the scheduler starts late may miss the first batch.
	for action, most := range map[string]int{"DescribeVpcEndpointServices": 1, "DescribeSubnets": 3, "DescribeVpcEndpoints": 3, "DescribeVpcAttribute": 20} {
		if n := f.callCount(action); n > most {
			t.Errorf("10 resources planned together made %d %s calls, want at most %d", n, action, most)
		}
	}
}

// Fixed addresses are checked on the subnet look-up the other checks make:
// a new endpoint costs no more calls, and an update that changes only
// addresses costs one DescribeSubnets.
func TestCheckPlan_subnetAddresses(t *testing.T) {
	f := newPlanFake()
	c := newPlan(nil)
	c.addressesChanged = true
	c.spec.SubnetAddresses = map[string]subnetAddress{"subnet-a": {IPv4: "10.0.1.10"}, "subnet-b": {IPv4: "10.0.2.255"}}
	diags := checkPlan(context.Background(), newTestClient(f), c)
	if len(diags.Errors()) != 1 || !strings.Contains(diags.Errors()[0].Summary(), "ipv4 10.0.2.255 cannot be used in subnet subnet-b") {
		t.Errorf("want one error for subnet-b's broadcast address, got %v", diags)
	}
	if f.calls["DescribeSubnets"] != 1 {
		t.Errorf("DescribeSubnets called %d times, want 1 shared with the subnet checks", f.calls["DescribeSubnets"])
	}

	f = newPlanFake()
	c.creating, c.serviceChanged, c.subnetsChanged, c.groupsChanged, c.dnsTurnedOn = false, false, false, false, false
	c.selfID = "vpce-1"
	c.spec.SubnetAddresses = map[string]subnetAddress{"subnet-a": {IPv4: "10.0.1.3"}}
	diags = checkPlan(context.Background(), newTestClient(f), c)
	if len(diags.Errors()) != 1 || !strings.Contains(diags.Errors()[0].Detail(), "Usable addresses are 10.0.1.4 to 10.0.1.254") {
		t.Errorf("want one error naming the usable addresses, got %v", diags)
	}
	if total := len(f.calls); total != 1 || f.calls["DescribeSubnets"] != 1 {
		t.Errorf("an address-only update cost %v, want one DescribeSubnets", f.calls)
	}
}
