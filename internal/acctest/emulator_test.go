package acctest_test

// Tests of the local EC2 emulator itself: each TestEmulator_* test proves,
// through the AWS SDK's EC2 client, one piece of PrivateLink behaviour the
// launcher in internal/acctest/emulator adds to moto. This file holds
// TestMain and the helpers; the tests are in emulator_*_test.go.
//
// The emulator is as unfriendly as AWS by default (eventual consistency,
// paging, shuffled lists, ...), and these tests run with that on: they wait
// out NotFound answers by time and follow NextToken. A test that focuses on
// one behaviour may turn another knob off for its duration
// (emu.ConfigureForTest). Knobs are global to the emulator, so these tests
// must not call t.Parallel.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

func TestMain(m *testing.M) {
	acctest.RunTests(m)
}

// Endpoint states as EC2 sends them. The SDK's ec2types.State constants are
// capitalized ("Available") and never match what the API returns.
const (
	statePendingAcceptance = "pendingAcceptance"
	statePending           = "pending"
	stateAvailable         = "available"
	stateDeleting          = "deleting"
	stateDeleted           = "deleted"
	stateRejected          = "rejected"
)

// waitTimeout bounds a test's own polling; the tests' delays are seconds at most.
const waitTimeout = 20 * time.Second

const endpointNotFound = "InvalidVpcEndpoint.NotFound"

// interfaceEndpoint is the request for an Interface endpoint to svc in all
// of vpc's subnets, with private DNS off and the security groups left to EC2.
func interfaceEndpoint(svc *acctest.Service, vpc *acctest.VPC) *ec2.CreateVpcEndpointInput {
	return &ec2.CreateVpcEndpointInput{
		VpcEndpointType:   ec2types.VpcEndpointTypeInterface,
		VpcId:             aws.String(vpc.ID),
		ServiceName:       aws.String(svc.Name),
		SubnetIds:         vpc.SubnetIDs(),
		PrivateDnsEnabled: aws.Bool(false),
	}
}

// mustCreateEndpoint creates an endpoint through c (see
// acctest.CreateEndpoint) that EC2 must accept, and returns EC2's answer.
func mustCreateEndpoint(t *testing.T, c *ec2.Client, in *ec2.CreateVpcEndpointInput) ec2types.VpcEndpoint {
	t.Helper()
	ep, err := acctest.CreateEndpoint(t, c, in)
	if err != nil {
		t.Fatalf("creating an endpoint to %s: %v", aws.ToString(in.ServiceName), err)
	}
	return *ep
}

// expectCreateRefused checks that EC2 refuses the request with code and
// a message holding every one of words.
func expectCreateRefused(t *testing.T, c *ec2.Client, in *ec2.CreateVpcEndpointInput, code string, words ...string) {
	t.Helper()
	_, err := acctest.CreateEndpoint(t, c, in)
	expectAPIError(t, err, code, words...)
}

// waitForState waits until EC2 reports the endpoint in state want.
func waitForState(t *testing.T, id, want string) ec2types.VpcEndpoint {
	t.Helper()
	return *acctest.WaitForEndpointState(t, acctest.TestAWS(t), id, want)
}

// expectState describes the endpoint now (waiting out NotFound answers of
// an eventually consistent EC2) and checks its state.
func expectState(t *testing.T, id, want string) ec2types.VpcEndpoint {
	t.Helper()
	ep, err := acctest.TestAWS(t).EndpointEventually(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if string(ep.State) != want {
		t.Fatalf("endpoint %s is %q, want %q", id, ep.State, want)
	}
	return *ep
}

// waitFor waits until EC2's description of the endpoint satisfies done.
func waitFor(t *testing.T, id, what string, done func(ec2types.VpcEndpoint) bool) ec2types.VpcEndpoint {
	t.Helper()
	return *acctest.WaitForEndpoint(t, acctest.TestAWS(t), id, what, func(ep *ec2types.VpcEndpoint) bool { return done(*ep) })
}

// modifyEndpoint sends ModifyVpcEndpoint for the endpoint, with change
// filling in what to modify.
func modifyEndpoint(c *ec2.Client, id string, change func(*ec2.ModifyVpcEndpointInput)) error {
	in := &ec2.ModifyVpcEndpointInput{VpcEndpointId: aws.String(id)}
	change(in)
	_, err := c.ModifyVpcEndpoint(context.Background(), in)
	return err
}

func enablePrivateDNS(in *ec2.ModifyVpcEndpointInput) { in.PrivateDnsEnabled = aws.Bool(true) }

// apiErrorCode is the AWS error code of err, or "" if it is none.
func apiErrorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// expectAPIError checks that err is an AWS API error with code and a
// message holding every one of words.
func expectAPIError(t *testing.T, err error, code string, words ...string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("want API error %s, got %v", code, err)
	}
	if apiErr.ErrorCode() != code {
		t.Fatalf("want API error %s, got %s: %s", code, apiErr.ErrorCode(), apiErr.ErrorMessage())
	}
	for _, w := range words {
		if !strings.Contains(apiErr.ErrorMessage(), w) {
			t.Errorf("%s message %q does not mention %q", code, apiErr.ErrorMessage(), w)
		}
	}
}

// expectUnsuccessful checks that a batch call reported exactly id as
// failed, with code.
func expectUnsuccessful(t *testing.T, items []ec2types.UnsuccessfulItem, id, code string) {
	t.Helper()
	if len(items) != 1 || aws.ToString(items[0].ResourceId) != id || items[0].Error == nil ||
		aws.ToString(items[0].Error.Code) != code {
		t.Fatalf("want %s unsuccessful with %s, got %s", id, code, describeUnsuccessful(items))
	}
}

func describeUnsuccessful(items []ec2types.UnsuccessfulItem) string {
	parts := []string{}
	for _, u := range items {
		code := ""
		if u.Error != nil {
			code = aws.ToString(u.Error.Code)
		}
		parts = append(parts, aws.ToString(u.ResourceId)+": "+code)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// pick collects one string field of each item, for comparisons and messages.
func pick[T any](items []T, field func(T) *string) []string {
	out := make([]string, len(items))
	for i, item := range items {
		out[i] = aws.ToString(field(item))
	}
	return out
}

// networkInterfaces returns the network interfaces EC2 lists among ids
// (a filter, so that interfaces already gone are simply not listed).
func networkInterfaces(t *testing.T, c *ec2.Client, ids []string) []ec2types.NetworkInterface {
	t.Helper()
	if len(ids) == 0 {
		t.Fatal("no network interface IDs to describe")
	}
	var out []ec2types.NetworkInterface
	p := ec2.NewDescribeNetworkInterfacesPaginator(c, &ec2.DescribeNetworkInterfacesInput{
		Filters: []ec2types.Filter{{Name: aws.String("network-interface-id"), Values: ids}},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.NetworkInterfaces...)
	}
	return out
}

// describeSubnets returns EC2's view of the subnets, in c's Region.
func describeSubnets(t *testing.T, c *ec2.Client, ids []string) []ec2types.Subnet {
	t.Helper()
	out, err := acctest.TestAWS(t).InRegion(c.Options().Region).Subnets(context.Background(), &ec2.DescribeSubnetsInput{SubnetIds: ids})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// defaultSecurityGroup returns the ID of the VPC's default security group
// (a VPC of c's Region).
func defaultSecurityGroup(t *testing.T, c *ec2.Client, vpcID string) string {
	t.Helper()
	groups, err := acctest.TestAWS(t).InRegion(c.Options().Region).SecurityGroups(context.Background(), &ec2.DescribeSecurityGroupsInput{
		Filters: []ec2types.Filter{
			{Name: aws.String("vpc-id"), Values: []string{vpcID}},
			{Name: aws.String("group-name"), Values: []string{"default"}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 1 {
		t.Fatalf("VPC %s has %d default security groups", vpcID, len(groups))
	}
	return aws.ToString(groups[0].GroupId)
}

// unknownEndpointID is a well-formed endpoint ID that EC2 never handed out.
func unknownEndpointID(t *testing.T) string {
	t.Helper()
	b := make([]byte, 9)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "vpce-" + hex.EncodeToString(b)[:17]
}

// withDelays sets how long endpoints stay pending and deleting, and puts
// back the delays the emulator had when the test ends.
func withDelays(t *testing.T, emu *acctest.Emulator, availableAfter, deleteAfter time.Duration) {
	t.Helper()
	emu.ConfigureForTest(t, map[string]any{
		acctest.KnobAvailableAfter: availableAfter,
		acctest.KnobDeleteAfter:    deleteAfter,
	})
}

// controlGET returns the raw body of one of the emulator's control endpoints.
func controlGET(t *testing.T, emu *acctest.Emulator, path string) []byte {
	t.Helper()
	resp, err := http.Get(emu.URL + path) //nolint:noctx // loopback emulator
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d: %s", path, resp.StatusCode, body)
	}
	return body
}
