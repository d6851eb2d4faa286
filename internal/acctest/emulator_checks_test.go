package acctest_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// TestEmulator_SubnetChecks: EC2 refuses subnets in zones the service does
// not offer, two subnets in one zone, subnets of another VPC, and IP
// address types the service does not support.
func TestEmulator_SubnetChecks(t *testing.T) {
	acctest.RequireEmulator(t, "checks the emulator's request validation")
	a := acctest.TestAWS(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	// The service's zones, then one it does not offer.
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: append(slices.Clip(svc.Zones), acctest.UnofferedZone(t, svc))})
	offered, unoffered := vpc.Subnets[:len(svc.Zones)], vpc.Subnets[len(svc.Zones)]
	sameZone := acctest.NewSubnet(t, vpc.ID, offered[0].Zone.Name, "10.0.100.0/24")
	elsewhere := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})

	for _, tc := range []struct {
		name    string
		change  func(*ec2.CreateVpcEndpointInput)
		code    string
		message string
	}{{
		name:    "unoffered zone",
		change:  func(in *ec2.CreateVpcEndpointInput) { in.SubnetIds = []string{offered[0].ID, unoffered.ID} },
		code:    "InvalidParameter",
		message: "does not support the availability zone",
	}, {
		name:    "two subnets in one zone",
		change:  func(in *ec2.CreateVpcEndpointInput) { in.SubnetIds = []string{offered[0].ID, sameZone} },
		code:    "DuplicateSubnetsInSameZone",
		message: "another VPC endpoint subnet in the availability zone",
	}, {
		name:    "subnet of another VPC",
		change:  func(in *ec2.CreateVpcEndpointInput) { in.SubnetIds = []string{elsewhere.Subnets[0].ID} },
		code:    "InvalidParameter",
		message: "does not belong to VPC",
	}, {
		name:    "unsupported IP address type",
		change:  func(in *ec2.CreateVpcEndpointInput) { in.IpAddressType = ec2types.IpAddressTypeDualstack },
		code:    "InvalidParameter",
		message: "does not support the IP address type",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			in := interfaceEndpoint(svc, vpc)
			in.SubnetIds = []string{offered[0].ID}
			tc.change(in)
			expectCreateRefused(t, a.EC2, in, tc.code, tc.message)
		})
	}
}

// TestEmulator_PrivateDNSChecks: private DNS is on by default, needs a
// verified private DNS name and the VPC's DNS attributes, and only one
// endpoint per VPC may hold a name.
func TestEmulator_PrivateDNSChecks(t *testing.T) {
	acctest.RequireEmulator(t, "checks the emulator's private DNS validation")
	c := acctest.TestAWS(t).EC2
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	withPrivateDNS := func(svc *acctest.Service, vpc *acctest.VPC) *ec2.CreateVpcEndpointInput {
		in := interfaceEndpoint(svc, vpc)
		in.PrivateDnsEnabled = aws.Bool(true)
		return in
	}

	t.Run("VPC without DNS hostnames", func(t *testing.T) {
		vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones, DisableDNSHostnames: true})
		expectCreateRefused(t, c, withPrivateDNS(svc, vpc), "InvalidParameter", "enableDnsHostnames")
	})

	t.Run("conflicting endpoint", func(t *testing.T) {
		vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
		byDefault := interfaceEndpoint(svc, vpc)
		byDefault.PrivateDnsEnabled = nil
		if ep := mustCreateEndpoint(t, c, byDefault); !aws.ToBool(ep.PrivateDnsEnabled) {
			t.Error("PrivateDnsEnabled is false when left out, AWS's default is true")
		}
		expectCreateRefused(t, c, withPrivateDNS(svc, vpc), "InvalidParameter", "conflicting DNS domain", svc.PrivateDNSName)
	})

	t.Run("unverified name", func(t *testing.T) {
		unverified := acctest.NewService(t, acctest.ServiceOptions{PrivateDNSVerificationState: "pendingVerification"})
		vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: unverified.Zones})
		expectCreateRefused(t, c, withPrivateDNS(unverified, vpc), "InvalidParameter", "does not provide a private DNS name")
	})
}

// TestEmulator_ClientToken: as EC2's "Ensuring idempotency" documents, a
// repeated CreateVpcEndpoint with the same ClientToken "returns the result
// of the original request": the same endpoint as first answered (its state
// then, pending), also after it changed and after it was deleted; the same
// token with other parameters answers IdempotentParameterMismatch.
func TestEmulator_ClientToken(t *testing.T) {
	emu := acctest.RequireEmulator(t, "checks the emulator's idempotency")
	withDelays(t, emu, 500*time.Millisecond, 300*time.Millisecond)
	a := acctest.TestAWS(t)
	c := a.EC2
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	in := interfaceEndpoint(svc, vpc)
	in.ClientToken = aws.String(acctest.RandomName("token"))

	first := mustCreateEndpoint(t, c, in)
	id := aws.ToString(first.VpcEndpointId)
	if first.State != statePending {
		t.Fatalf("CreateVpcEndpoint answered state %q, want %q", first.State, statePending)
	}
	waitForState(t, id, stateAvailable)
	expectOriginalAnswer(t, mustCreateEndpoint(t, c, in), first, "once the endpoint is available")

	// One endpoint, not two: ask EC2 once it knows every endpoint of the VPC.
	emu.ConfigureForTest(t, map[string]any{acctest.KnobFlickerRate: 0.0})
	endpoints, err := a.Endpoints(context.Background(), &ec2.DescribeVpcEndpointsInput{
		Filters: []ec2types.Filter{
			{Name: aws.String("vpc-id"), Values: []string{vpc.ID}},
			{Name: aws.String("service-name"), Values: []string{svc.Name}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if ids := pick(endpoints, func(e ec2types.VpcEndpoint) *string { return e.VpcEndpointId }); !slices.Equal(ids, []string{id}) {
		t.Errorf("the VPC has endpoints %q to the service, want only %s", ids, id)
	}

	changed := *in
	changed.SubnetIds = in.SubnetIds[:1]
	expectCreateRefused(t, c, &changed, "IdempotentParameterMismatch", aws.ToString(in.ClientToken))

	if err := a.DeleteEndpoint(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	expectOriginalAnswer(t, mustCreateEndpoint(t, c, in), first, "after the endpoint was deleted")
	expectState(t, id, stateDeleted)
}

// expectOriginalAnswer checks that a repeated CreateVpcEndpoint answered
// what the first one did (lists in any order: AWS promises none).
func expectOriginalAnswer(t *testing.T, got, first ec2types.VpcEndpoint, when string) {
	t.Helper()
	sorted := func(xs []string) []string { return slices.Sorted(slices.Values(xs)) }
	names := func(ep ec2types.VpcEndpoint) []string {
		return sorted(pick(ep.DnsEntries, func(e ec2types.DnsEntry) *string { return e.DnsName }))
	}
	groups := func(ep ec2types.VpcEndpoint) []string {
		return sorted(pick(ep.Groups, func(g ec2types.SecurityGroupIdentifier) *string { return g.GroupId }))
	}
	for _, d := range []struct {
		what      string
		got, want any
	}{
		{"VpcEndpointId", aws.ToString(got.VpcEndpointId), aws.ToString(first.VpcEndpointId)},
		{"State", got.State, first.State},
		{"SubnetIds", sorted(got.SubnetIds), sorted(first.SubnetIds)},
		{"NetworkInterfaceIds", sorted(got.NetworkInterfaceIds), sorted(first.NetworkInterfaceIds)},
		{"Groups", groups(got), groups(first)},
		{"DnsEntries", names(got), names(first)},
		{"PrivateDnsEnabled", aws.ToBool(got.PrivateDnsEnabled), aws.ToBool(first.PrivateDnsEnabled)},
	} {
		if !reflect.DeepEqual(d.got, d.want) {
			t.Errorf("repeated CreateVpcEndpoint %s answered %s %v, the original answer had %v", when, d.what, d.got, d.want)
		}
	}
}
