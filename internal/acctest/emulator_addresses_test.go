package acctest_test

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// interfaceBySubnet describes the endpoint's network interfaces, by subnet.
func interfaceBySubnet(t *testing.T, c *ec2.Client, ep ec2types.VpcEndpoint) map[string]ec2types.NetworkInterface {
	t.Helper()
	out := map[string]ec2types.NetworkInterface{}
	for _, ni := range networkInterfaces(t, c, ep.NetworkInterfaceIds) {
		out[aws.ToString(ni.SubnetId)] = ni
	}
	return out
}

// TestEmulator_FixedAddresses: SubnetConfiguration gives each subnet's
// network interface its address; a modify naming another address for a
// subnet replaces that subnet's interface (API reference,
// SubnetConfiguration) and leaves the others alone.
func TestEmulator_FixedAddresses(t *testing.T) {
	emu := acctest.RequireEmulator(t, "checks the emulator's fixed endpoint addresses")
	withDelays(t, emu, 300*time.Millisecond, 300*time.Millisecond)
	c := acctest.TestAWS(t).EC2
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	want := map[string]string{}
	in := interfaceEndpoint(svc, vpc)
	for i, sn := range vpc.Subnets {
		want[sn.ID] = sn.Host(10 + i)
		in.SubnetConfigurations = append(in.SubnetConfigurations, ec2types.SubnetConfiguration{SubnetId: aws.String(sn.ID), Ipv4: aws.String(want[sn.ID])})
	}
	id := aws.ToString(mustCreateEndpoint(t, c, in).VpcEndpointId)
	ep := waitForState(t, id, stateAvailable)
	before := interfaceBySubnet(t, c, ep)
	for subnet, ip := range want {
		if got := aws.ToString(before[subnet].PrivateIpAddress); got != ip {
			t.Errorf("the interface in %s has %s, SubnetConfiguration asked for %s", subnet, got, ip)
		}
	}

	first := vpc.Subnets[0]
	moved := first.Host(20)
	if err := modifyEndpoint(c, id, func(in *ec2.ModifyVpcEndpointInput) {
		in.SubnetConfigurations = []ec2types.SubnetConfiguration{{SubnetId: aws.String(first.ID), Ipv4: aws.String(moved)}}
	}); err != nil {
		t.Fatalf("ModifyVpcEndpoint with a new address for %s: %v", first.ID, err)
	}
	oldENI := aws.ToString(before[first.ID].NetworkInterfaceId)
	ep = waitFor(t, id, "the replaced interface gone and available", func(ep ec2types.VpcEndpoint) bool {
		return !slices.Contains(ep.NetworkInterfaceIds, oldENI) && ep.State == stateAvailable
	})
	after := interfaceBySubnet(t, c, ep)
	if got := aws.ToString(after[first.ID].PrivateIpAddress); got != moved {
		t.Errorf("after the modify the interface in %s has %s, want %s", first.ID, got, moved)
	}
	for _, sn := range vpc.Subnets[1:] {
		if a, b := aws.ToString(after[sn.ID].NetworkInterfaceId), aws.ToString(before[sn.ID].NetworkInterfaceId); a != b {
			t.Errorf("the interface in %s changed from %s to %s; only %s's address changed", sn.ID, b, a, first.ID)
		}
	}
	if len(networkInterfaces(t, c, []string{oldENI})) != 0 {
		t.Errorf("the replaced interface %s still exists after the modify completed", oldENI)
	}
}

// TestEmulator_FixedAddressRefusals: an address outside the subnet, one of
// the five AWS keeps in every subnet (the first four and the last, VPC
// User Guide "Subnet CIDR blocks"), one another interface holds, one of a
// family the endpoint's IP address type does not carry, a missing IPv4
// address for an IPv4 endpoint, and a subnet the endpoint is not in are
// refused, on create and on modify.
func TestEmulator_FixedAddressRefusals(t *testing.T) {
	acctest.RequireEmulator(t, "checks the emulator's address validation")
	c := acctest.TestAWS(t).EC2
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	sn, other := vpc.Subnets[0], vpc.Subnets[1]
	holder := acctest.NewService(t, acctest.ServiceOptions{})
	held := mustCreateEndpoint(t, c, interfaceEndpoint(holder, vpc))
	heldIP := ""
	for _, ni := range networkInterfaces(t, c, held.NetworkInterfaceIds) {
		if aws.ToString(ni.SubnetId) == sn.ID {
			heldIP = aws.ToString(ni.PrivateIpAddress)
		}
	}

	config := func(subnet string, v4, v6 *string) []ec2types.SubnetConfiguration {
		return []ec2types.SubnetConfiguration{{SubnetId: aws.String(subnet), Ipv4: v4, Ipv6: v6}}
	}
	for _, tc := range []struct {
		name    string
		configs []ec2types.SubnetConfiguration
		code    string
		message string
	}{
		{"outside the subnet", config(sn.ID, aws.String(other.Host(10)), nil), "InvalidParameterValue", "does not fall within the subnet's address range"},
		{"network address", config(sn.ID, aws.String(sn.Host(0)), nil), "InvalidParameterValue", "reserved address range"},
		{"VPC router", config(sn.ID, aws.String(sn.Host(1)), nil), "InvalidParameterValue", "reserved address range"},
		{"DNS", config(sn.ID, aws.String(sn.Host(2)), nil), "InvalidParameterValue", "reserved address range"},
		{"future use", config(sn.ID, aws.String(sn.Host(3)), nil), "InvalidParameterValue", "reserved address range"},
		{"last address", config(sn.ID, aws.String(sn.Host(255)), nil), "InvalidParameterValue", "reserved address range"},
		{"in use", config(sn.ID, aws.String(heldIP), nil), "InvalidIPAddress.InUse", heldIP},
		{"IPv6 for an IPv4 endpoint", config(sn.ID, aws.String(sn.Host(10)), aws.String("2600:1f18::10")), "InvalidParameter", "IP address type is ipv4"},
		{"no IPv4 for an IPv4 endpoint", config(sn.ID, nil, nil), "InvalidParameter", "must provide an Ipv4 address"},
		{"subnet not in the endpoint", config(other.ID, aws.String(other.Host(10)), nil), "InvalidParameter", "not one of the endpoint's subnets"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := interfaceEndpoint(svc, vpc)
			in.SubnetIds = []string{sn.ID}
			in.SubnetConfigurations = tc.configs
			expectCreateRefused(t, c, in, tc.code, tc.message)
		})
	}

	t.Run("in use, on modify", func(t *testing.T) {
		in := interfaceEndpoint(svc, vpc)
		in.SubnetIds = []string{sn.ID}
		id := aws.ToString(mustCreateEndpoint(t, c, in).VpcEndpointId)
		waitForState(t, id, stateAvailable)
		err := modifyEndpoint(c, id, func(in *ec2.ModifyVpcEndpointInput) { in.SubnetConfigurations = config(sn.ID, aws.String(heldIP), nil) })
		expectAPIError(t, err, "InvalidIPAddress.InUse", heldIP)
	})
}
