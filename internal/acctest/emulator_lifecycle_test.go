package acctest_test

import (
	"context"
	"net/netip"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// TestEmulator_Lifecycle: a new Interface endpoint is pending, then
// available, with AWS-shaped DNS entries, one network interface per subnet
// inside that subnet, and the VPC's default security group.
func TestEmulator_Lifecycle(t *testing.T) {
	emu := acctest.RequireEmulator(t, "checks the emulator's endpoint lifecycle")
	// Pending outlasts the time a new endpoint is unknown (visibility_delay),
	// as on AWS where it lasts minutes, so that describes can see it.
	withDelays(t, emu, 4*time.Second, 300*time.Millisecond)
	c := acctest.TestAWS(t).EC2
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})

	created := mustCreateEndpoint(t, c, interfaceEndpoint(svc, vpc))
	id := aws.ToString(created.VpcEndpointId)
	if !regexp.MustCompile(`^vpce-[0-9a-f]{17}$`).MatchString(id) {
		t.Errorf("VpcEndpointId %q is not vpce- and 17 hex digits", id)
	}
	if created.State != statePending {
		t.Errorf("CreateVpcEndpoint answered state %q, want %q", created.State, statePending)
	}
	// The first answer that knows the endpoint reports it pending.
	expectState(t, id, statePending)
	ep := waitForState(t, id, stateAvailable)

	if aws.ToBool(ep.PrivateDnsEnabled) {
		t.Error("PrivateDnsEnabled is true, the endpoint was made without")
	}
	bases := serviceDetail(t, c, svc.Name).BaseEndpointDnsNames
	if len(bases) != 1 {
		t.Fatalf("the service has base DNS names %q, want one", bases)
	}
	checkDNSEntries(t, ep, bases[0], subnetZones(t, c, ep.SubnetIds))

	defaultGroup := defaultSecurityGroup(t, c, vpc.ID)
	groups := pick(ep.Groups, func(g ec2types.SecurityGroupIdentifier) *string { return g.GroupId })
	if !slices.Equal(groups, []string{defaultGroup}) {
		t.Errorf("Groups %q, want only the VPC's default group %s", groups, defaultGroup)
	}
	checkNetworkInterfaces(t, c, ep, defaultGroup)
}

var (
	dnsEntryName = regexp.MustCompile(`^(vpce-[0-9a-f]{17})-([a-z0-9]{8})(?:-([a-z0-9-]+))?\.(.+)$`)
	hostedZoneID = regexp.MustCompile(`^Z[0-9A-Z]{8,}$`)
)

// checkDNSEntries checks for AWS's regional entry and one zonal entry per
// zone, all under the service's base DNS name and in one hosted zone.
func checkDNSEntries(t *testing.T, ep ec2types.VpcEndpoint, base string, zones []string) {
	t.Helper()
	var regional, tokens, hostedZones, entryZones []string
	for _, e := range ep.DnsEntries {
		name := aws.ToString(e.DnsName)
		m := dnsEntryName.FindStringSubmatch(name)
		if m == nil || m[1] != aws.ToString(ep.VpcEndpointId) || m[4] != base {
			t.Errorf("DNS entry %q is not <endpoint ID>-<token>[-<zone>].%s", name, base)
			continue
		}
		if m[3] == "" {
			regional = append(regional, name)
		} else {
			entryZones = append(entryZones, m[3])
		}
		tokens = append(tokens, m[2])
		hostedZones = append(hostedZones, aws.ToString(e.HostedZoneId))
		if !hostedZoneID.MatchString(aws.ToString(e.HostedZoneId)) {
			t.Errorf("DNS entry %q has hosted zone ID %q, not shaped like AWS's", name, aws.ToString(e.HostedZoneId))
		}
	}
	if len(regional) != 1 {
		t.Errorf("%d regional DNS entries %q, want 1", len(regional), regional)
	}
	slices.Sort(entryZones)
	if !slices.Equal(entryZones, zones) {
		t.Errorf("zonal DNS entries for %q, want one for each subnet zone %q", entryZones, zones)
	}
	if len(slices.Compact(tokens)) != 1 || len(slices.Compact(hostedZones)) != 1 {
		t.Errorf("DNS entries use tokens %q and hosted zones %q, want one of each", tokens, hostedZones)
	}
}

// subnetZones lists the subnets' zones, sorted, as EC2 reports them.
func subnetZones(t *testing.T, c *ec2.Client, subnetIDs []string) []string {
	t.Helper()
	zones := pick(describeSubnets(t, c, subnetIDs), func(s ec2types.Subnet) *string { return s.AvailabilityZone })
	slices.Sort(zones)
	return zones
}

// checkNetworkInterfaces checks that the endpoint has one requester-managed
// interface per subnet, addressed inside it and in the security group.
func checkNetworkInterfaces(t *testing.T, c *ec2.Client, ep ec2types.VpcEndpoint, group string) {
	t.Helper()
	enis := networkInterfaces(t, c, ep.NetworkInterfaceIds)
	cidrs := map[string]netip.Prefix{}
	for _, s := range describeSubnets(t, c, ep.SubnetIds) {
		cidrs[aws.ToString(s.SubnetId)] = netip.MustParsePrefix(aws.ToString(s.CidrBlock))
	}
	var subnets []string
	for _, eni := range enis {
		id, subnet := aws.ToString(eni.NetworkInterfaceId), aws.ToString(eni.SubnetId)
		subnets = append(subnets, subnet)
		ip, err := netip.ParseAddr(aws.ToString(eni.PrivateIpAddress))
		if cidr, ok := cidrs[subnet]; err != nil || !ok || !cidr.Contains(ip) {
			t.Errorf("interface %s has address %q, not inside its subnet %s (%v)", id, ip, subnet, cidrs[subnet])
		}
		if eni.InterfaceType != ec2types.NetworkInterfaceTypeVpcEndpoint || !aws.ToBool(eni.RequesterManaged) {
			t.Errorf("interface %s has type %q and requester-managed %v, want vpc_endpoint and true",
				id, eni.InterfaceType, aws.ToBool(eni.RequesterManaged))
		}
		groups := pick(eni.Groups, func(g ec2types.GroupIdentifier) *string { return g.GroupId })
		if !slices.Equal(groups, []string{group}) {
			t.Errorf("interface %s is in groups %q, want only %s", id, groups, group)
		}
	}
	slices.Sort(subnets)
	want := slices.Sorted(slices.Values(ep.SubnetIds))
	if !slices.Equal(subnets, want) {
		t.Errorf("network interfaces are in subnets %q, want one in each of %q", subnets, want)
	}
}

// TestEmulator_Acceptance: an endpoint to a service that requires
// acceptance waits for it, may not turn on private DNS before, and can be
// accepted or rejected by the service owner.
func TestEmulator_Acceptance(t *testing.T) {
	emu := acctest.RequireEmulator(t, "checks the emulator's connection acceptance")
	withDelays(t, emu, 2*time.Second, 300*time.Millisecond)
	c := acctest.TestAWS(t).EC2
	svc := acctest.NewService(t, acctest.ServiceOptions{AcceptanceRequired: true})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})

	created := mustCreateEndpoint(t, c, interfaceEndpoint(svc, vpc))
	id := aws.ToString(created.VpcEndpointId)
	if created.State != statePendingAcceptance {
		t.Errorf("CreateVpcEndpoint answered state %q, want %q", created.State, statePendingAcceptance)
	}
	// The service owner learns of the connection once EC2 knows the endpoint.
	waitForConnectionState(t, c, svc.ID, id, statePendingAcceptance)
	expectAPIError(t, modifyEndpoint(c, id, enablePrivateDNS), "InvalidParameter", "accepted")

	if err := svc.Accept(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	expectState(t, id, statePending)
	waitForState(t, id, stateAvailable)
	if err := modifyEndpoint(c, id, enablePrivateDNS); err != nil {
		t.Fatalf("enabling private DNS once accepted: %v", err)
	}
	// Describes show the change only after a while (stale_after_modify).
	ep := waitFor(t, id, "available with private DNS", func(ep ec2types.VpcEndpoint) bool {
		return aws.ToBool(ep.PrivateDnsEnabled) && ep.State == stateAvailable
	})
	names := pick(ep.DnsEntries, func(e ec2types.DnsEntry) *string { return e.DnsName })
	if !slices.Contains(names, svc.PrivateDNSName) {
		t.Errorf("DNS entries %q lack the service's private DNS name %s", names, svc.PrivateDNSName)
	}

	other := aws.ToString(mustCreateEndpoint(t, c, interfaceEndpoint(svc, vpc)).VpcEndpointId)
	if err := svc.Reject(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	expectState(t, other, stateRejected)
	expectConnectionState(t, c, svc.ID, other, stateRejected)
}

// connections lists the endpoint's connections to the service, as its
// owner sees them (c in the service's Region), following NextToken.
func connections(t *testing.T, c *ec2.Client, serviceID, endpointID string) []ec2types.VpcEndpointConnection {
	t.Helper()
	var out []ec2types.VpcEndpointConnection
	p := ec2.NewDescribeVpcEndpointConnectionsPaginator(c, &ec2.DescribeVpcEndpointConnectionsInput{
		Filters: []ec2types.Filter{
			{Name: aws.String("service-id"), Values: []string{serviceID}},
			{Name: aws.String("vpc-endpoint-id"), Values: []string{endpointID}},
		},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.VpcEndpointConnections...)
	}
	return out
}

// connectionStates lists the states of the endpoint's connections to the
// service, as its owner sees them.
func connectionStates(t *testing.T, c *ec2.Client, serviceID, endpointID string) []string {
	t.Helper()
	var states []string
	for _, conn := range connections(t, c, serviceID, endpointID) {
		states = append(states, string(conn.VpcEndpointState))
	}
	return states
}

// waitForConnectionState waits until the owner sees one connection in
// state want; a new endpoint's connection is not listed at once.
func waitForConnectionState(t *testing.T, c *ec2.Client, serviceID, endpointID, want string) {
	t.Helper()
	var states []string
	for deadline := time.Now().Add(waitTimeout); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if states = connectionStates(t, c, serviceID, endpointID); len(states) > 0 {
			break
		}
	}
	if !slices.Equal(states, []string{want}) {
		t.Errorf("connections of %s to %s are in states %q, want one %q", endpointID, serviceID, states, want)
	}
}

// expectConnectionState checks the state the service owner sees for an
// endpoint in DescribeVpcEndpointConnections.
func expectConnectionState(t *testing.T, c *ec2.Client, serviceID, endpointID, want string) {
	t.Helper()
	if states := connectionStates(t, c, serviceID, endpointID); !slices.Equal(states, []string{want}) {
		t.Errorf("connections of %s to %s are in states %q, want one %q", endpointID, serviceID, states, want)
	}
}

// TestEmulator_ModifyInProgress: ModifyVpcEndpoint puts the endpoint back
// to pending, and another modification fails with OperationInProgress
// until it is available again (terraform-provider-aws 3382, 42875).
func TestEmulator_ModifyInProgress(t *testing.T) {
	emu := acctest.RequireEmulator(t, "checks the emulator's modification window")
	withDelays(t, emu, 200*time.Millisecond, 300*time.Millisecond)
	c := acctest.TestAWS(t).EC2
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	id := aws.ToString(mustCreateEndpoint(t, c, interfaceEndpoint(svc, vpc)).VpcEndpointId)
	waitForState(t, id, stateAvailable)

	// Long enough for two calls in a row to fall into one modification.
	withDelays(t, emu, 3*time.Second, 300*time.Millisecond)
	addGroup := func(in *ec2.ModifyVpcEndpointInput) { in.AddSecurityGroupIds = []string{vpc.SecurityGroupID} }
	removeGroup := func(in *ec2.ModifyVpcEndpointInput) { in.RemoveSecurityGroupIds = []string{vpc.SecurityGroupID} }
	if err := modifyEndpoint(c, id, addGroup); err != nil {
		t.Fatal(err)
	}
	expectAPIError(t, modifyEndpoint(c, id, removeGroup), "OperationInProgress")
	hasGroup := func(ep ec2types.VpcEndpoint) bool {
		return slices.Contains(pick(ep.Groups, func(g ec2types.SecurityGroupIdentifier) *string { return g.GroupId }), vpc.SecurityGroupID)
	}
	// Once describes show the change, the endpoint is pending, and the
	// modification is still in progress.
	if ep := waitFor(t, id, "showing the added group", hasGroup); ep.State != statePending {
		t.Errorf("the modified endpoint is %q once describes show the change, want %q", ep.State, statePending)
	}
	expectAPIError(t, modifyEndpoint(c, id, removeGroup), "OperationInProgress")

	waitForState(t, id, stateAvailable)
	if err := modifyEndpoint(c, id, removeGroup); err != nil {
		t.Fatalf("modifying again once available: %v", err)
	}
}

// TestEmulator_Delete: a deleted endpoint is deleting while its network
// interfaces stay, then deleted without them; deleting an unknown endpoint
// is a per-item failure, not an error.
func TestEmulator_Delete(t *testing.T) {
	emu := acctest.RequireEmulator(t, "checks the emulator's endpoint deletion")
	withDelays(t, emu, 200*time.Millisecond, 3*time.Second)
	c := acctest.TestAWS(t).EC2
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	id := aws.ToString(mustCreateEndpoint(t, c, interfaceEndpoint(svc, vpc)).VpcEndpointId)
	enis := waitForState(t, id, stateAvailable).NetworkInterfaceIds

	deleteIDs := func(ids ...string) []ec2types.UnsuccessfulItem {
		t.Helper()
		out, err := c.DeleteVpcEndpoints(context.Background(), &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: ids})
		if err != nil {
			t.Fatal(err)
		}
		return out.Unsuccessful
	}
	if failed := deleteIDs(id); len(failed) != 0 {
		t.Fatalf("DeleteVpcEndpoints %s: unsuccessful %s", id, describeUnsuccessful(failed))
	}
	expectState(t, id, stateDeleting)
	if got := networkInterfaces(t, c, enis); len(got) != len(enis) {
		t.Errorf("%d of the %d network interfaces listed while deleting, want all", len(got), len(enis))
	}
	expectAPIError(t, modifyEndpoint(c, id, enablePrivateDNS), "IncorrectState", stateDeleting)

	waitForState(t, id, stateDeleted)
	if got := networkInterfaces(t, c, enis); len(got) != 0 {
		t.Errorf("%d network interfaces still listed after deletion", len(got))
	}
	expectUnsuccessful(t, deleteIDs(id), id, endpointNotFound)
	unknown := unknownEndpointID(t)
	expectUnsuccessful(t, deleteIDs(unknown), unknown, endpointNotFound)
}
