package acctest

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// cleanupTimeout bounds each fixture cleanup; real AWS needs minutes for
// network interfaces of deleted endpoints to go.
const cleanupTimeout = 15 * time.Minute

// TestAWS returns the fixture's AWS clients or fails the test.
func TestAWS(t *testing.T) *AWS {
	t.Helper()
	SkipUnlessAcceptance(t)
	a, err := NewAWS(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestCredentials are the credentials the tests run with, as the AWS SDK's
// default chain finds them, for a test that must hand them to the provider
// another way (a shared credentials file). Never log them.
func TestCredentials(t *testing.T) aws.Credentials {
	t.Helper()
	SkipUnlessAcceptance(t)
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Credentials == nil {
		t.Fatal("no AWS credentials found")
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatalf("reading the test's AWS credentials: %v", err)
	}
	return creds
}

// TestAccountID is the account the tests run in, as STS reports it.
func TestAccountID(t *testing.T) string {
	t.Helper()
	id, err := TestAWS(t).AccountID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// NewService gives the test an EngFlow-like endpoint service. On real AWS
// with ENGFLOW_ACC_SERVICE_NAME set, a test content with the defaults uses
// that service; otherwise the fixture creates one and deletes it after the
// test (on real AWS only with ENGFLOW_ACC_CREATE_SERVICE=1).
func NewService(t *testing.T, opts ServiceOptions) *Service {
	t.Helper()
	a := TestAWS(t)
	if opts.Region != "" {
		a = a.InRegion(opts.Region)
	}
	ctx := context.Background()
	given := os.Getenv(EnvServiceName)
	switch chooseService(Target(), given, os.Getenv(EnvCreateService) != "", os.Getenv(EnvOrdinaryOnly) != "", opts) {
	case useGivenService:
		s, err := a.ExistingService(ctx, given)
		if err != nil {
			t.Fatal(err)
		}
		return s
	case skipOrdinaryOnly:
		t.Skipf("needs an endpoint service of its own (%s); this pass (%s) runs only the tests content with an ordinary one",
			describeOptions(opts), EnvOrdinaryOnly)
	case skipWithoutService:
		t.Skipf("needs an endpoint service of its own (%s), which %s does not give: set %s=1 to let the tests create one",
			describeOptions(opts), EnvServiceName, EnvCreateService)
	}
	s, err := a.CreateService(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		if err := s.Delete(ctx); err != nil {
			t.Errorf("cleaning up endpoint service %s: %v", s.Name, err)
		}
	})
	return s
}

type serviceChoice int

const (
	createService serviceChoice = iota
	useGivenService
	skipWithoutService
	skipOrdinaryOnly
)

// chooseService decides where a test's service comes from. On real AWS a
// test content with the defaults uses the given service; one that asks for
// more creates its own only when allowed. With both variables set (as make
// testacc-aws-emulated does) each test takes the first that applies, so the
// given service is the one the ordinary tests meet. ordinaryOnly leaves out
// the tests that ask for more.
func chooseService(target, given string, mayCreate, ordinaryOnly bool, opts ServiceOptions) serviceChoice {
	switch {
	case target != TargetAWS:
		return createService
	case ordinaryOnly && !reflect.ValueOf(opts).IsZero():
		return skipOrdinaryOnly
	case given != "" && reflect.ValueOf(opts).IsZero():
		return useGivenService
	case mayCreate:
		return createService
	default:
		return skipWithoutService
	}
}

// describeOptions says in words what a test asks of its service.
func describeOptions(o ServiceOptions) string {
	var parts []string
	if o.AcceptanceRequired {
		parts = append(parts, "one that requires acceptance")
	}
	if o.Zones != 0 {
		parts = append(parts, fmt.Sprintf("offered in %d zones", o.Zones))
	}
	if o.Cluster != "" {
		parts = append(parts, "for cluster "+o.Cluster)
	}
	if o.PrivateDNSVerificationState != "" {
		parts = append(parts, "private DNS name "+o.PrivateDNSVerificationState)
	}
	if o.NoPrivateDNSName {
		parts = append(parts, "without a private DNS name")
	}
	if len(o.SupportedRegions) > 0 {
		parts = append(parts, "reachable from "+strings.Join(o.SupportedRegions, ", "))
	}
	if o.Region != "" {
		parts = append(parts, "in "+o.Region)
	}
	return strings.Join(parts, ", ")
}

// NewVPC builds a consumer VPC for the test (in opts.Region, by default the
// tests' own) and deletes it afterwards.
func NewVPC(t *testing.T, opts VPCOptions) *VPC {
	t.Helper()
	if opts.Name == "" {
		opts.Name = RandomName("bazel-clients")
	}
	v, err := TestAWS(t).CreateVPC(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		if err := v.Delete(ctx); err != nil {
			t.Errorf("cleaning up VPC %s: %v", v.ID, err)
		}
	})
	return v
}

// NewSubnet adds a subnet to a VPC for one test and deletes it afterwards.
func NewSubnet(t *testing.T, vpcID, zone, cidr string) string {
	t.Helper()
	a := TestAWS(t)
	out, err := a.EC2.CreateSubnet(context.Background(), &ec2.CreateSubnetInput{
		VpcId: aws.String(vpcID), AvailabilityZone: aws.String(zone), CidrBlock: aws.String(cidr),
	})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.Subnet.SubnetId)
	t.Cleanup(func() {
		if _, err := a.EC2.DeleteSubnet(context.Background(), &ec2.DeleteSubnetInput{SubnetId: aws.String(id)}); err != nil {
			t.Errorf("cleaning up subnet %s: %v", id, err)
		}
	})
	return id
}

// NewSecurityGroup adds an empty security group to a VPC for one test.
func NewSecurityGroup(t *testing.T, vpcID string) string {
	t.Helper()
	a := TestAWS(t)
	out, err := a.EC2.CreateSecurityGroup(context.Background(), &ec2.CreateSecurityGroupInput{
		VpcId: aws.String(vpcID), GroupName: aws.String(RandomName("bazel-extra")), Description: aws.String("test group"),
	})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.GroupId)
	t.Cleanup(func() {
		if _, err := a.EC2.DeleteSecurityGroup(context.Background(), &ec2.DeleteSecurityGroupInput{GroupId: aws.String(id)}); err != nil {
			t.Errorf("cleaning up security group %s: %v", id, err)
		}
	})
	return id
}

// UnofferedZone is a zone of the Region the service is not offered in; the
// test is skipped when there is none.
func UnofferedZone(t *testing.T, svc *Service) Zone {
	t.Helper()
	zones, err := TestAWS(t).Zones(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, z := range zones {
		if !slices.Contains(svc.Zones, z) {
			return z
		}
	}
	t.Skipf("service %s is offered in every zone of the Region", svc.Name)
	return Zone{}
}

// NewEndpoint creates an endpoint through a, in a's Region, outside
// Terraform, as someone in the console would (an Interface endpoint unless
// in says otherwise), fails the test when EC2 refuses, and deletes the
// endpoint after the test (unless Terraform already did). It returns the
// endpoint's ID.
func NewEndpoint(t *testing.T, a *AWS, in *ec2.CreateVpcEndpointInput) string {
	t.Helper()
	if in.VpcEndpointType == "" {
		in.VpcEndpointType = ec2types.VpcEndpointTypeInterface
	}
	ep, err := CreateEndpoint(t, a.EC2, in)
	if err != nil {
		t.Fatalf("creating an endpoint to %s in %s: %v", aws.ToString(in.ServiceName), a.Region, err)
	}
	return aws.ToString(ep.VpcEndpointId)
}

// CreateEndpoint sends CreateVpcEndpoint as in says through c, any EC2
// client of the tests' account (the fixture's of some Region, or one
// through a fault proxy), and returns EC2's answer: the endpoint, or its
// refusal, for a test that expects one. Whatever EC2 created is deleted
// after the test, through the fixture in c's Region, which waits until it
// is gone so that the VPC's cleanup can delete its subnets.
func CreateEndpoint(t *testing.T, c *ec2.Client, in *ec2.CreateVpcEndpointInput) (*ec2types.VpcEndpoint, error) {
	t.Helper()
	out, err := c.CreateVpcEndpoint(context.Background(), in)
	if err != nil {
		return nil, err
	}
	id := aws.ToString(out.VpcEndpoint.VpcEndpointId)
	fixture := TestAWS(t).InRegion(c.Options().Region)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), deletingTimeout())
		defer cancel()
		if err := fixture.DeleteEndpoint(ctx, id); err != nil {
			t.Errorf("cleaning up endpoint %s: %v", id, err)
		}
	})
	return out.VpcEndpoint, nil
}

// WaitForEndpointState waits until EC2, in a's Region, reports the
// endpoint in state (as on the wire, e.g. "available") and returns its
// description. NotFound answers are tolerated for a while (eventual
// consistency).
func WaitForEndpointState(t *testing.T, a *AWS, id, state string) *ec2types.VpcEndpoint {
	t.Helper()
	return WaitForEndpoint(t, a, id, "in state "+state, func(ep *ec2types.VpcEndpoint) bool {
		return strings.EqualFold(string(ep.State), state)
	})
}

// WaitForEndpoint waits until done accepts EC2's description of the
// endpoint, in a's Region, e.g. until a modification shows: after
// ModifyVpcEndpoint a describe may still report the old view for a while.
func WaitForEndpoint(t *testing.T, a *AWS, id, what string, done func(*ec2types.VpcEndpoint) bool) *ec2types.VpcEndpoint {
	t.Helper()
	ep, err := a.WaitForEndpoint(context.Background(), id, what, dependencyTimeout, done)
	if err != nil {
		t.Fatal(err)
	}
	return ep
}

// WaitForEndpointsListed waits until EC2, in a's Region, lists each
// endpoint of ids among the endpoints of vpcID, in every answer, for a
// while in a row: endpoints as someone made them a while ago, which a
// look-up by VPC and service (the provider's plan-time checks, the data
// source) finds every time. A new endpoint may be left out of such answers
// at first, and now and then for a while after it first shows (eventual
// consistency).
func WaitForEndpointsListed(t *testing.T, a *AWS, vpcID string, ids ...string) {
	t.Helper()
	if err := a.WaitForEndpointsListed(context.Background(), vpcID, ids, dependencyTimeout); err != nil {
		t.Fatal(err)
	}
}

// RemoteAccessZones splits the zones of region into those where an endpoint
// to svc, a service of another Region, may go and those EC2 refuses (see
// AWS.RemoteAccessZones).
func RemoteAccessZones(t *testing.T, region string, svc *Service) (supported, refused []Zone) {
	t.Helper()
	supported, refused, err := TestAWS(t).InRegion(region).RemoteAccessZones(context.Background(), svc)
	if err != nil {
		t.Fatal(err)
	}
	return supported, refused
}
