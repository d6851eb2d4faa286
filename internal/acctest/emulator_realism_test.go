package acctest_test

// Tests of the AWS behaviours the emulator reproduces on purpose because
// they break clients written against a cooperative emulator: eventual
// consistency, paging, malformed-ID errors, unordered lists, concurrency
// and a seed. Each proves its behaviour from the API's answers. A test
// raises the knob it studies when the default is too mild to observe
// reliably, and turns off only other knobs that would blur the
// observation; ConfigureForTest puts every knob back afterwards.

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

const endpointIDNotFound = "InvalidVpcEndpointId.NotFound"

func endpointIDs(eps []ec2types.VpcEndpoint) []string {
	return pick(eps, func(e ec2types.VpcEndpoint) *string { return e.VpcEndpointId })
}

func groupIDs(ep ec2types.VpcEndpoint) []string {
	return pick(ep.Groups, func(g ec2types.SecurityGroupIdentifier) *string { return g.GroupId })
}

func dnsNames(ep ec2types.VpcEndpoint) []string {
	return pick(ep.DnsEntries, func(e ec2types.DnsEntry) *string { return e.DnsName })
}

func sorted(xs []string) []string { return slices.Sorted(slices.Values(xs)) }

// TestEmulator_VisibilityDelay: EC2 API reference, "Eventual consistency":
// the result of a call that changes a resource "might not be immediately
// visible to all subsequent commands"; right after CreateVpcEndpoint,
// DescribeVpcEndpoints answers InvalidVpcEndpointId.NotFound (ansible-
// collections/amazon.aws 700). For visibility_delay every call naming the
// new endpoint (describes, ModifyVpcEndpoint, CreateTags) fails or misses
// it, and DeleteVpcEndpoints reports it unsuccessful and does not delete it.
func TestEmulator_VisibilityDelay(t *testing.T) {
	emu := acctest.RequireEmulator(t, "checks the emulator's eventual consistency")
	const delay = 5 * time.Second // long enough for the checks below on a busy machine
	emu.ConfigureForTest(t, map[string]any{acctest.KnobVisibilityDelay: delay})
	a := acctest.TestAWS(t)
	c, ctx := a.EC2, context.Background()
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})

	start := time.Now()
	id := aws.ToString(mustCreateEndpoint(t, c, interfaceEndpoint(svc, vpc)).VpcEndpointId)

	_, err := c.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{id}})
	expectAPIError(t, err, endpointIDNotFound, "'"+id+"'", "does not exist")
	inVPC, err := a.Endpoints(ctx, &ec2.DescribeVpcEndpointsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{vpc.ID}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(endpointIDs(inVPC), id) {
		t.Errorf("a describe filtered by VPC lists the new endpoint %s at once", id)
	}
	all, err := a.Endpoints(ctx, &ec2.DescribeVpcEndpointsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(endpointIDs(all), id) {
		t.Errorf("an unfiltered describe lists the new endpoint %s at once", id)
	}
	expectAPIError(t, modifyEndpoint(c, id, enablePrivateDNS), endpointIDNotFound, id)
	_, err = c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: []ec2types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	expectAPIError(t, err, endpointIDNotFound, id)
	out, err := c.DeleteVpcEndpoints(ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: []string{id}})
	if err != nil {
		t.Fatal(err)
	}
	expectUnsuccessful(t, out.Unsuccessful, id, endpointNotFound)
	if elapsed := time.Since(start); elapsed >= delay {
		t.Fatalf("the checks took %s, longer than the delay %s: they prove nothing", elapsed, delay)
	}

	// Then EC2 knows it, and the delete it refused did not happen.
	ep := waitFor(t, id, "known", func(ec2types.VpcEndpoint) bool { return true })
	if seen := time.Since(start); seen < delay {
		t.Errorf("EC2 reported the endpoint %s after creation, before the visibility delay %s", seen, delay)
	}
	if ep.State != statePending && ep.State != stateAvailable {
		t.Errorf("the endpoint is %q once known, want pending or available: the refused delete must not count", ep.State)
	}
}

// TestEmulator_Flicker: eventual consistency again: an endpoint that a
// describe has shown can be missing from the next one (the aws provider
// tolerates about 20 not-found answers for this). Within flicker_window
// after it became visible, each DescribeVpcEndpoints misses it with
// probability flicker_rate, by ID (NotFound) and filtered (omitted).
func TestEmulator_Flicker(t *testing.T) {
	emu := acctest.RequireEmulator(t, "checks the emulator's eventual consistency")
	emu.ConfigureForTest(t, map[string]any{
		acctest.KnobVisibilityDelay: 0.0,
		acctest.KnobFlickerWindow:   120.0,
		acctest.KnobFlickerRate:     0.5,
	})
	a := acctest.TestAWS(t)
	c, ctx := a.EC2, context.Background()
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	id := aws.ToString(mustCreateEndpoint(t, c, interfaceEndpoint(svc, vpc)).VpcEndpointId)

	// describeByID reports whether EC2 knew the endpoint in one describe.
	describeByID := func() bool {
		t.Helper()
		_, err := c.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{id}})
		if apiErrorCode(err) == endpointIDNotFound {
			return false
		}
		if err != nil {
			t.Fatal(err)
		}
		return true
	}
	var found, missing, vanished int
	for range 40 {
		if describeByID() {
			found++
		} else {
			missing++
			if found > 0 {
				vanished++
			}
		}
	}
	// With probability 1/2 each, all 40 alike would happen once in 10^12 runs.
	if found == 0 || missing == 0 || vanished == 0 {
		t.Errorf("40 describes by ID: %d found, %d NotFound (%d after it was seen); want both, and NotFound after found", found, missing, vanished)
	}
	var listed, omitted int
	for range 30 {
		eps, err := a.Endpoints(ctx, &ec2.DescribeVpcEndpointsInput{Filters: []ec2types.Filter{
			{Name: aws.String("vpc-id"), Values: []string{vpc.ID}},
		}})
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(endpointIDs(eps), id) {
			listed++
		} else {
			omitted++
		}
	}
	if listed == 0 || omitted == 0 {
		t.Errorf("30 describes filtered by VPC: listed %d, omitted %d times; want both", listed, omitted)
	}

	// After the window the endpoint is always there.
	emu.ConfigureForTest(t, map[string]any{acctest.KnobFlickerWindow: 0.0})
	for i := range 20 {
		if !describeByID() {
			t.Fatalf("describe %d after the flicker window: NotFound", i+1)
		}
	}
}

// TestEmulator_StaleAfterModify: eventual consistency after a change: for
// stale_after_modify after ModifyVpcEndpoint, describes report the endpoint
// as it was (subnets, groups, private DNS, DNS entries, interfaces, state);
// then the new view shows, pending, then available. A second modify is
// refused with OperationInProgress all that time (terraform-provider-aws
// 3382, 42875: "VpcEndpoint modify operation in progress").
func TestEmulator_StaleAfterModify(t *testing.T) {
	emu := acctest.RequireEmulator(t, "checks the emulator's stale reads")
	const stale = 3 * time.Second
	withDelays(t, emu, 2*time.Second, 300*time.Millisecond)
	// Flicker off: this test reads right after the modification and must
	// not mistake a missing answer for anything.
	emu.ConfigureForTest(t, map[string]any{acctest.KnobStaleAfterModify: stale, acctest.KnobFlickerRate: 0.0})
	a := acctest.TestAWS(t)
	c, ctx := a.EC2, context.Background()
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	in := interfaceEndpoint(svc, vpc)
	in.SubnetIds = vpc.SubnetIDs()[:1]
	id := aws.ToString(mustCreateEndpoint(t, c, in).VpcEndpointId)
	before := waitForState(t, id, stateAvailable)

	added := vpc.SubnetIDs()[1]
	modifiedAt := time.Now()
	err := modifyEndpoint(c, id, func(in *ec2.ModifyVpcEndpointInput) {
		in.AddSubnetIds = []string{added}
		in.AddSecurityGroupIds = []string{vpc.SecurityGroupID}
		in.PrivateDnsEnabled = aws.Bool(true)
	})
	if err != nil {
		t.Fatal(err)
	}
	old, err := a.Endpoint(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	expectAPIError(t, modifyEndpoint(c, id, func(in *ec2.ModifyVpcEndpointInput) { in.PrivateDnsEnabled = aws.Bool(false) }),
		"OperationInProgress", "modify operation in progress")
	if elapsed := time.Since(modifiedAt); elapsed >= stale {
		t.Fatalf("the reads took %s, longer than the stale window %s: they prove nothing", elapsed, stale)
	}
	for _, d := range []struct {
		what      string
		got, want any
	}{
		{"State", old.State, before.State},
		{"SubnetIds", sorted(old.SubnetIds), sorted(before.SubnetIds)},
		{"Groups", sorted(groupIDs(*old)), sorted(groupIDs(before))},
		{"PrivateDnsEnabled", aws.ToBool(old.PrivateDnsEnabled), aws.ToBool(before.PrivateDnsEnabled)},
		{"DnsEntries", sorted(dnsNames(*old)), sorted(dnsNames(before))},
		{"NetworkInterfaceIds", sorted(old.NetworkInterfaceIds), sorted(before.NetworkInterfaceIds)},
	} {
		if !slices.Equal(toStrings(d.got), toStrings(d.want)) {
			t.Errorf("right after the modify a describe reports %s %v, want the old %v", d.what, d.got, d.want)
		}
	}

	changed := waitFor(t, id, "showing the added subnet", func(ep ec2types.VpcEndpoint) bool {
		return slices.Contains(ep.SubnetIds, added)
	})
	if seen := time.Since(modifiedAt); seen < stale {
		t.Errorf("the change showed %s after the modify, before the stale window %s ended", seen, stale)
	}
	if changed.State != statePending || !aws.ToBool(changed.PrivateDnsEnabled) || !slices.Contains(groupIDs(changed), vpc.SecurityGroupID) {
		t.Errorf("once shown, the change is state %q, private DNS %v, groups %q; want pending, true, with %s",
			changed.State, aws.ToBool(changed.PrivateDnsEnabled), groupIDs(changed), vpc.SecurityGroupID)
	}
	expectAPIError(t, modifyEndpoint(c, id, func(in *ec2.ModifyVpcEndpointInput) { in.PrivateDnsEnabled = aws.Bool(false) }),
		"OperationInProgress")

	done := waitForState(t, id, stateAvailable)
	if !slices.Contains(dnsNames(done), svc.PrivateDNSName) || len(done.NetworkInterfaceIds) != 2 {
		t.Errorf("available after the modify with DNS names %q and interfaces %q; want the private name and 2 interfaces",
			dnsNames(done), done.NetworkInterfaceIds)
	}
}

func toStrings(v any) []string {
	switch x := v.(type) {
	case []string:
		return x
	case bool:
		if x {
			return []string{"true"}
		}
		return []string{"false"}
	case ec2types.State:
		return []string{string(x)}
	}
	return []string{"?"}
}

// pageCall is one call of a paged Describe* action: it returns the IDs on
// one page and the NextToken.
type pageCall func(ctx context.Context, c *ec2.Client, token *string, maxResults *int32) ([]string, *string, error)

// TestEmulator_Paging: EC2 API reference, "Pagination": describe calls
// answer in pages and callers follow NextToken until it is empty, also
// when IDs or filters were given; a first page may be empty and still carry
// a NextToken (openshift/hive 2661); a token the call did not issue is
// refused (InvalidNextToken, EC2 error codes).
func TestEmulator_Paging(t *testing.T) {
	emu := acctest.RequireEmulator(t, "checks the emulator's paging")
	a := acctest.TestAWS(t)
	ctx := context.Background()
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	first := aws.ToString(mustCreateEndpoint(t, a.EC2, interfaceEndpoint(svc, vpc)).VpcEndpointId)
	second := aws.ToString(mustCreateEndpoint(t, a.EC2, interfaceEndpoint(svc, vpc)).VpcEndpointId)
	enis := waitForState(t, first, stateAvailable).NetworkInterfaceIds
	waitForState(t, second, stateAvailable)
	byVPC := []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpc.ID}}}

	calls := map[string]pageCall{
		"DescribeVpcEndpoints by ID": func(ctx context.Context, c *ec2.Client, tok *string, max *int32) ([]string, *string, error) {
			out, err := c.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{first, second}, NextToken: tok, MaxResults: max})
			if err != nil {
				return nil, nil, err
			}
			return endpointIDs(out.VpcEndpoints), out.NextToken, nil
		},
		"DescribeVpcEndpoints by VPC": func(ctx context.Context, c *ec2.Client, tok *string, max *int32) ([]string, *string, error) {
			out, err := c.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{Filters: byVPC, NextToken: tok, MaxResults: max})
			if err != nil {
				return nil, nil, err
			}
			return endpointIDs(out.VpcEndpoints), out.NextToken, nil
		},
		"DescribeVpcEndpointServices by name": func(ctx context.Context, c *ec2.Client, tok *string, max *int32) ([]string, *string, error) {
			out, err := c.DescribeVpcEndpointServices(ctx, &ec2.DescribeVpcEndpointServicesInput{
				ServiceNames: []string{svc.Name, "com.amazonaws." + a.Region + ".ec2"}, NextToken: tok, MaxResults: max,
			})
			if err != nil {
				return nil, nil, err
			}
			return pick(out.ServiceDetails, func(d ec2types.ServiceDetail) *string { return d.ServiceName }), out.NextToken, nil
		},
		"DescribeVpcEndpointConnections": func(ctx context.Context, c *ec2.Client, tok *string, max *int32) ([]string, *string, error) {
			out, err := c.DescribeVpcEndpointConnections(ctx, &ec2.DescribeVpcEndpointConnectionsInput{
				Filters: []ec2types.Filter{{Name: aws.String("service-id"), Values: []string{svc.ID}}}, NextToken: tok, MaxResults: max,
			})
			if err != nil {
				return nil, nil, err
			}
			return pick(out.VpcEndpointConnections, func(v ec2types.VpcEndpointConnection) *string { return v.VpcEndpointId }), out.NextToken, nil
		},
		"DescribeSubnets by ID": func(ctx context.Context, c *ec2.Client, tok *string, max *int32) ([]string, *string, error) {
			out, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: vpc.SubnetIDs(), NextToken: tok, MaxResults: max})
			if err != nil {
				return nil, nil, err
			}
			return pick(out.Subnets, func(s ec2types.Subnet) *string { return s.SubnetId }), out.NextToken, nil
		},
		"DescribeSecurityGroups by VPC": func(ctx context.Context, c *ec2.Client, tok *string, max *int32) ([]string, *string, error) {
			out, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: byVPC, NextToken: tok, MaxResults: max})
			if err != nil {
				return nil, nil, err
			}
			return pick(out.SecurityGroups, func(g ec2types.SecurityGroup) *string { return g.GroupId }), out.NextToken, nil
		},
		"DescribeNetworkInterfaces by ID": func(ctx context.Context, c *ec2.Client, tok *string, max *int32) ([]string, *string, error) {
			out, err := c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: enis, NextToken: tok, MaxResults: max})
			if err != nil {
				return nil, nil, err
			}
			return pick(out.NetworkInterfaces, func(n ec2types.NetworkInterface) *string { return n.NetworkInterfaceId }), out.NextToken, nil
		},
		"DescribeNetworkAcls": func(ctx context.Context, c *ec2.Client, tok *string, max *int32) ([]string, *string, error) {
			out, err := c.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{NextToken: tok, MaxResults: max})
			if err != nil {
				return nil, nil, err
			}
			return pick(out.NetworkAcls, func(n ec2types.NetworkAcl) *string { return n.NetworkAclId }), out.NextToken, nil
		},
		"DescribeVpcs": func(ctx context.Context, c *ec2.Client, tok *string, max *int32) ([]string, *string, error) {
			out, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{NextToken: tok, MaxResults: max})
			if err != nil {
				return nil, nil, err
			}
			return pick(out.Vpcs, func(v ec2types.Vpc) *string { return v.VpcId }), out.NextToken, nil
		},
	}

	// Page size 1: every call with two or more results pages. The flicker
	// of new endpoints is off so that pages of one listing agree.
	emu.ConfigureForTest(t, map[string]any{acctest.KnobPageSize: 1, acctest.KnobEmptyFirstPageRate: 0.0, acctest.KnobFlickerRate: 0.0})
	paged := map[string][]string{}
	for name, call := range calls {
		var all []string
		var token *string
		for pages := 1; ; pages++ {
			items, next, err := call(ctx, a.EC2, token, nil)
			if err != nil {
				t.Fatalf("%s page %d: %v", name, pages, err)
			}
			if len(items) > 1 {
				t.Errorf("%s page %d has %d items, page size is 1", name, pages, len(items))
			}
			all = append(all, items...)
			if next == nil {
				if pages < 2 {
					t.Errorf("%s answered %d items in one page, want one page per item", name, len(all))
				}
				break
			}
			token = next
		}
		paged[name] = all
	}

	// Page size 0 turns paging off: one answer, no NextToken, same items.
	emu.ConfigureForTest(t, map[string]any{acctest.KnobPageSize: 0})
	for name, call := range calls {
		items, next, err := call(ctx, a.EC2, nil, nil)
		if err != nil {
			t.Fatalf("%s without paging: %v", name, err)
		}
		if next != nil || !slices.Equal(sorted(items), sorted(paged[name])) {
			t.Errorf("%s without paging: %d items and NextToken %v; paged it listed %d: %q vs %q",
				name, len(items), next != nil, len(paged[name]), items, paged[name])
		}
	}

	// The page size is min(MaxResults, page_size).
	vpcs := calls["DescribeVpcs"]
	for _, tc := range []struct {
		pageSize   int
		maxResults int32
	}{{pageSize: 2, maxResults: 5}, {pageSize: 10, maxResults: 2}} {
		emu.ConfigureForTest(t, map[string]any{acctest.KnobPageSize: tc.pageSize})
		items, next, err := vpcs(ctx, a.EC2, nil, aws.Int32(tc.maxResults))
		want := min(tc.pageSize, int(tc.maxResults))
		if err != nil || len(items) != want || next == nil {
			t.Errorf("DescribeVpcs with page_size %d and MaxResults %d: %d items, NextToken %v, %v; want %d and a NextToken",
				tc.pageSize, tc.maxResults, len(items), next != nil, err, want)
		}
	}

	// An empty first page that carries a NextToken.
	emu.ConfigureForTest(t, map[string]any{acctest.KnobPageSize: 4, acctest.KnobEmptyFirstPageRate: 1.0})
	items, next, err := vpcs(ctx, a.EC2, nil, nil)
	if err != nil || len(items) != 0 || next == nil {
		t.Fatalf("DescribeVpcs with empty_first_page_rate 1: %d items, NextToken %v, %v; want none and a NextToken", len(items), next != nil, err)
	}
	if items, _, err := vpcs(ctx, a.EC2, next, nil); err != nil || len(items) == 0 {
		t.Errorf("DescribeVpcs after an empty first page: %d items, %v; want the VPCs", len(items), err)
	}

	// A NextToken only continues the call that issued it.
	emu.ConfigureForTest(t, map[string]any{acctest.KnobPageSize: 1, acctest.KnobEmptyFirstPageRate: 0.0})
	_, vpcToken, err := vpcs(ctx, a.EC2, nil, nil)
	if err != nil || vpcToken == nil {
		t.Fatalf("DescribeVpcs: NextToken %v, %v", vpcToken, err)
	}
	_, err = a.EC2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{NextToken: vpcToken})
	expectAPIError(t, err, "InvalidNextToken")
	subnets := func(vpcID string, tok *string) (*ec2.DescribeSubnetsOutput, error) {
		return a.EC2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{
			Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpcID}}}, NextToken: tok,
		})
	}
	out, err := subnets(vpc.ID, nil)
	if err != nil || out.NextToken == nil {
		t.Fatalf("DescribeSubnets of %s: NextToken %v, %v", vpc.ID, out, err)
	}
	other := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	_, err = subnets(other.ID, out.NextToken)
	expectAPIError(t, err, "InvalidNextToken")
	for _, bad := range []string{"not-a-token", *out.NextToken + "0", "x" + *out.NextToken} {
		_, err = subnets(vpc.ID, aws.String(bad))
		expectAPIError(t, err, "InvalidNextToken")
	}
}

// TestEmulator_MalformedIDs: EC2 API reference, "Error codes": an ID not in
// the form prefix-xxxxxxxx(xxxxxxxxx) is *.Malformed and fails the whole
// call, for every ID batched in it; well-formed unknown IDs are *.NotFound;
// filter values are not IDs and are not checked.
func TestEmulator_MalformedIDs(t *testing.T) {
	emu := acctest.RequireEmulator(t, "checks the emulator's ID checks")
	a := acctest.TestAWS(t)
	c, ctx := a.EC2, context.Background()
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	live := aws.ToString(mustCreateEndpoint(t, c, interfaceEndpoint(svc, vpc)).VpcEndpointId)
	waitForState(t, live, stateAvailable)
	unknown := unknownEndpointID(t)

	for _, tc := range []struct {
		name, code, id string
		call           func() error
	}{
		{"DescribeVpcEndpoints batch", "InvalidVpcEndpointId.Malformed", "vpce-123", func() error {
			_, err := c.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{live, "vpce-123"}})
			return err
		}},
		{"DescribeVpcEndpoints upper case", "InvalidVpcEndpointId.Malformed", "vpce-0123456789ABCDEF0", func() error {
			_, err := c.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{"vpce-0123456789ABCDEF0"}})
			return err
		}},
		{"ModifyVpcEndpoint", "InvalidVpcEndpointId.Malformed", "vpce_0123456789abcdef0", func() error {
			return modifyEndpoint(c, "vpce_0123456789abcdef0", enablePrivateDNS)
		}},
		{"DeleteVpcEndpoints batch", "InvalidVpcEndpointId.Malformed", vpc.ID, func() error {
			_, err := c.DeleteVpcEndpoints(ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: []string{live, vpc.ID}})
			return err
		}},
		{"CreateVpcEndpoint subnet", "InvalidSubnetID.Malformed", "subnet-xyz", func() error {
			in := interfaceEndpoint(svc, vpc)
			in.SubnetIds = []string{vpc.SubnetIDs()[0], "subnet-xyz"}
			_, err := acctest.CreateEndpoint(t, c, in)
			return err
		}},
		{"CreateVpcEndpoint group", "InvalidGroupId.Malformed", "sg-1", func() error {
			in := interfaceEndpoint(svc, vpc)
			in.SecurityGroupIds = []string{"sg-1"}
			_, err := acctest.CreateEndpoint(t, c, in)
			return err
		}},
		// The VPC endpoint actions spell this code with "Id" (real
		// CreateVpcEndpoint output, mongodb-atlas cloudformation PR 160).
		{"CreateVpcEndpoint VPC", "InvalidVpcId.Malformed", "vpc-12", func() error {
			in := interfaceEndpoint(svc, vpc)
			in.VpcId = aws.String("vpc-12")
			_, err := acctest.CreateEndpoint(t, c, in)
			return err
		}},
		{"DescribeSubnets", "InvalidSubnetID.Malformed", "subnet-123", func() error {
			_, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{vpc.SubnetIDs()[0], "subnet-123"}})
			return err
		}},
		{"DescribeSecurityGroups", "InvalidGroupId.Malformed", "sg-123", func() error {
			_, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-123"}})
			return err
		}},
		{"DescribeVpcs", "InvalidVpcID.Malformed", "vpc-123", func() error {
			_, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{vpc.ID, "vpc-123"}})
			return err
		}},
		{"DescribeVpcAttribute", "InvalidVpcID.Malformed", "vpc-", func() error {
			_, err := c.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String("vpc-"), Attribute: ec2types.VpcAttributeNameEnableDnsSupport})
			return err
		}},
		{"DescribeNetworkInterfaces", "InvalidNetworkInterfaceId.Malformed", "eni-123", func() error {
			_, err := c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{"eni-123"}})
			return err
		}},
		// Well-formed but unknown (17 or 8 hex digits): NotFound.
		{"unknown endpoint", endpointIDNotFound, unknown, func() error {
			_, err := c.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{unknown}})
			return err
		}},
		{"unknown short subnet", "InvalidSubnetID.NotFound", "subnet-0123abcd", func() error {
			_, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-0123abcd"}})
			return err
		}},
		{"unknown VPC", "InvalidVpcID.NotFound", "vpc-0123456789abcdef0", func() error {
			_, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{"vpc-0123456789abcdef0"}})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { expectAPIError(t, tc.call(), tc.code, tc.id) })
	}
	// The malformed batch deleted nothing.
	expectState(t, live, stateAvailable)

	// Filter values are not checked.
	eps, err := a.Endpoints(ctx, &ec2.DescribeVpcEndpointsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-endpoint-id"), Values: []string{"vpce-123"}},
	}})
	if err != nil || len(eps) != 0 {
		t.Errorf("a filter on a malformed endpoint ID answered %d endpoints, %v; want none and no error", len(eps), err)
	}

	// With the check off, a malformed ID is merely unknown.
	emu.ConfigureForTest(t, map[string]any{acctest.KnobCheckIDFormat: false})
	_, err = c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-123"}})
	expectAPIError(t, err, "InvalidSubnetID.NotFound")
}

// TestEmulator_ShuffleOrder: AWS promises no order for DnsEntries,
// SubnetIds, Groups or NetworkInterfaceIds; each answer lists them in a
// random order, the same members every time.
func TestEmulator_ShuffleOrder(t *testing.T) {
	emu := acctest.RequireEmulator(t, "checks the emulator's list order")
	// Flicker off: this test describes many times in a row.
	emu.ConfigureForTest(t, map[string]any{acctest.KnobFlickerRate: 0.0})
	a := acctest.TestAWS(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{Zones: 3})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	extra := acctest.NewSecurityGroup(t, vpc.ID)
	in := interfaceEndpoint(svc, vpc)
	in.SecurityGroupIds = []string{vpc.SecurityGroupID, extra}
	id := aws.ToString(mustCreateEndpoint(t, a.EC2, in).VpcEndpointId)
	want := waitForState(t, id, stateAvailable)

	lists := func(ep ec2types.VpcEndpoint) map[string][]string {
		return map[string][]string{
			"DnsEntries": dnsNames(ep), "SubnetIds": ep.SubnetIds, "Groups": groupIDs(ep), "NetworkInterfaceIds": ep.NetworkInterfaceIds,
		}
	}
	orders := func(n int) map[string]map[string]bool {
		t.Helper()
		seen := map[string]map[string]bool{}
		for range n {
			ep, err := a.Endpoint(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			for field, list := range lists(*ep) {
				if !slices.Equal(sorted(list), sorted(lists(want)[field])) {
					t.Fatalf("%s is %q in one answer, %q in another", field, list, lists(want)[field])
				}
				if seen[field] == nil {
					seen[field] = map[string]bool{}
				}
				seen[field][strings.Join(list, ",")] = true
			}
		}
		return seen
	}
	// 2 to 24 orders each: 25 answers alike would happen once in 10^7 runs at worst.
	for field, got := range orders(25) {
		if len(got) < 2 {
			t.Errorf("%s came back in one order in 25 answers: %v", field, got)
		}
	}
	emu.ConfigureForTest(t, map[string]any{acctest.KnobShuffleOrder: false})
	for field, got := range orders(10) {
		if len(got) != 1 {
			t.Errorf("with shuffle_order off, %s came back in %d orders", field, len(got))
		}
	}
}

// TestEmulator_Concurrency: AWS serves calls concurrently; the emulator
// does too (describes share a readers-writer lock, and the per-request
// latency is spent outside any lock). With latency raised, N parallel
// describes finish in about one latency, not N; with concurrent off, the
// emulator serves one request at a time and they take N.
func TestEmulator_Concurrency(t *testing.T) {
	emu := acctest.RequireEmulator(t, "checks the emulator's concurrency")
	const latency, n = 500 * time.Millisecond, 8
	c := acctest.TestAWS(t).EC2
	parallel := func() time.Duration {
		t.Helper()
		start := time.Now()
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := c.DescribeAvailabilityZones(context.Background(), &ec2.DescribeAvailabilityZonesInput{})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		return time.Since(start)
	}
	parallel() // warm up: connections, and moto's lazily loaded zone data
	emu.ConfigureForTest(t, map[string]any{acctest.KnobLatency: []float64{latency.Seconds(), latency.Seconds()}})
	took := parallel()
	t.Logf("%d parallel describes with %s latency: %s", n, latency, took)
	if took < latency || took > 3*latency {
		t.Errorf("%d parallel describes with %s latency each took %s, want about %s", n, latency, took, latency)
	}
	emu.ConfigureForTest(t, map[string]any{acctest.KnobConcurrent: false})
	took = parallel()
	t.Logf("the same with concurrent off: %s", took)
	if took < n*latency*9/10 {
		t.Errorf("with concurrent off, %d parallel describes with %s latency took %s, want at least %s", n, latency, took, n*latency*9/10)
	}
}

// TestEmulator_Seed: every random decision (here: which first pages are
// empty) follows the seed, so the same calls after setting the same seed
// get the same answers, and another seed gets others.
func TestEmulator_Seed(t *testing.T) {
	emu := acctest.RequireEmulator(t, "checks the emulator's seed")
	ctx := context.Background()
	original, err := emu.Seed(ctx)
	if err != nil {
		t.Fatalf("GET /_emulator/config reports no seed: %v", err)
	}
	emu.ConfigureForTest(t, map[string]any{acctest.KnobPageSize: 4, acctest.KnobEmptyFirstPageRate: 0.5})
	c := acctest.TestAWS(t).EC2
	pattern := func(seed int) string {
		t.Helper()
		if _, err := emu.Configure(ctx, map[string]any{acctest.KnobSeed: seed}); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for range 24 {
			out, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Vpcs) == 0 {
				b.WriteByte('0')
			} else {
				b.WriteByte('1')
			}
		}
		return b.String()
	}
	t.Cleanup(func() {
		if _, err := emu.Configure(ctx, map[string]any{acctest.KnobSeed: original}); err != nil {
			t.Errorf("restoring the seed: %v", err)
		}
	})
	first, again, other := pattern(12345), pattern(12345), pattern(54321)
	if first != again {
		t.Errorf("the same seed gave empty first pages %s, then %s", first, again)
	}
	if first == other || !strings.Contains(first, "0") || !strings.Contains(first, "1") {
		t.Errorf("seeds 12345 and 54321 gave empty first pages %s and %s; want both kinds, differing", first, other)
	}
}

// TestEmulator_LauncherSettings: StartEmulator passes EmulatorOptions.Settings
// and ENGFLOW_EMULATOR_SEED to the emulator, which reports them in
// GET /_emulator/config and prints the seed.
func TestEmulator_LauncherSettings(t *testing.T) {
	acctest.RequireEmulator(t, "starts emulators of its own")
	t.Setenv(acctest.EnvEmulatorSeed, "4242")
	start := func(opts acctest.EmulatorOptions) (map[string]any, string) {
		t.Helper()
		var log acctest.SyncBuffer
		opts.Log = &log
		e, err := acctest.StartEmulator(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		defer func() {
			if err := e.Stop(); err != nil {
				t.Error(err)
			}
		}()
		cfg, err := e.Config(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return cfg, log.String()
	}

	cfg, log := start(acctest.EmulatorOptions{})
	if cfg[acctest.KnobSeed] != float64(4242) || !strings.Contains(log, "seed 4242") {
		t.Errorf("with %s=4242 the emulator reports seed %v and logs %q", acctest.EnvEmulatorSeed, cfg[acctest.KnobSeed], log)
	}
	for key, want := range map[string]any{
		acctest.KnobVisibilityDelay: 1.5, acctest.KnobFlickerRate: 0.25, acctest.KnobPageSize: float64(4),
		acctest.KnobCheckIDFormat: true, acctest.KnobReplayClientToken: true, acctest.KnobShuffleOrder: true, acctest.KnobConcurrent: true,
	} {
		if cfg[key] != want {
			t.Errorf("default %s is %v, want %v (realism is on by default)", key, cfg[key], want)
		}
	}

	cfg, _ = start(acctest.EmulatorOptions{AvailableAfter: 2 * time.Second, Settings: map[string]any{
		acctest.KnobSeed: 7, acctest.KnobVisibilityDelay: 250 * time.Millisecond, acctest.KnobShuffleOrder: false,
		acctest.KnobLatency: []float64{0, 0.01}, acctest.KnobFlickerRate: 0.0,
	}})
	for key, want := range map[string]any{
		acctest.KnobSeed: float64(7), acctest.KnobVisibilityDelay: 0.25, acctest.KnobShuffleOrder: false,
		acctest.KnobFlickerRate: 0.0, acctest.KnobAvailableAfter: 2.0,
	} {
		if cfg[key] != want {
			t.Errorf("started with %s %v, the emulator reports %v", key, want, cfg[key])
		}
	}
	if latency, _ := cfg[acctest.KnobLatency].([]any); len(latency) != 2 || latency[1] != 0.01 {
		t.Errorf("started with latency [0, 0.01], the emulator reports %v", cfg[acctest.KnobLatency])
	}
}

// TestEmulator_ConfigValidation: POST /_emulator/config refuses unknown
// keys and bad values, and then changes nothing.
func TestEmulator_ConfigValidation(t *testing.T) {
	emu := acctest.RequireEmulator(t, "checks the emulator's control API")
	ctx := context.Background()
	before, err := emu.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []map[string]any{
		{"no_such_knob": 1},
		{acctest.KnobFlickerRate: 1.5},
		{acctest.KnobVisibilityDelay: -1},
		{acctest.KnobPageSize: 2.5},
		{acctest.KnobShuffleOrder: "yes"},
		{acctest.KnobLatency: []float64{0.5, 0.1}},
		{acctest.KnobVisibilityDelay: 0.5, acctest.KnobFlickerRate: -0.1},
	} {
		if _, err := emu.Configure(ctx, bad); err == nil || !strings.Contains(err.Error(), "HTTP 400") {
			t.Errorf("POST /_emulator/config %v: %v, want HTTP 400", bad, err)
		}
	}
	after, err := emu.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after, before) {
		t.Errorf("refused changes changed the config from %v to %v", before, after)
	}
}
