package privatelink

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// answered wraps an EC2 error answer as the SDK returns it, with its HTTP status.
func answered(status int, code, msg string) error {
	return &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
		Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}},
		Err:      apiError(code, msg),
	}}
}

// A failed create says what is known of AWS's side: a refusal created
// nothing; a lost answer, a timeout or a server error may have; a failure
// before the create was sent cannot have.
func TestCreateFailure_saysWhatIsKnown(t *testing.T) {
	spec := endpointSpec{VpcID: "vpc-0123456789abcdef0", ServiceName: testService}
	svc := &types.ServiceDetail{AvailabilityZones: []string{"us-east-1a"}, AvailabilityZoneIds: []string{"use1-az1"}}
	for _, tc := range []struct {
		name     string
		err      error
		mayExist bool
		want     []string
	}{
		{"refused", answered(400, codeDuplicateSubnets, "Found another subnet in the same zone"), false,
			[]string{"No endpoint was created.", "one subnet per zone"}},
		{"refused for DNS attributes", answered(400, "InvalidParameter",
			"Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for vpc-0123456789abcdef0"), false,
			[]string{"No endpoint was created.", "enable_dns_support and enable_dns_hostnames"}},
		{"private DNS conflict", answered(400, "InvalidParameter",
			"private-dns-enabled cannot be set because there is already a conflicting DNS domain for demo.cluster.engflow.com in the VPC"), false,
			[]string{"No endpoint was created.", "already serves this private DNS name"}},
		{"server error", answered(503, "Unavailable", "Service Unavailable"), true,
			[]string{"may have created the endpoint", creationMarkerKey}},
		{"timed out", fmt.Errorf("operation error EC2: CreateVpcEndpoint: %w", context.DeadlineExceeded), true,
			[]string{"may have created the endpoint"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := createFailure(context.Background(), newTestClient(&fakeEC2{}), spec, svc, tc.err)
			for _, w := range tc.want {
				if !strings.Contains(d.Detail(), w) {
					t.Errorf("detail lacks %q:\n%s", w, d.Detail())
				}
			}
			if got := strings.Contains(d.Detail(), "may have created"); got != tc.mayExist {
				t.Errorf("says the endpoint may exist: %v, want %v:\n%s", got, tc.mayExist, d.Detail())
			}
			if strings.Contains(d.Detail(), "No endpoint was created") == tc.mayExist {
				t.Errorf("says no endpoint was created: %v, want %v:\n%s", !tc.mayExist, !tc.mayExist, d.Detail())
			}
		})
	}
}

// EC2 refused the private DNS name: the error names the endpoint that
// holds it, and when that is another run's unfinished create, says so and
// how to settle it.
func TestCreateFailure_nameHeld(t *testing.T) {
	spec := endpointSpec{VpcID: "vpc-1", ServiceName: testService, PrivateDNSEnabled: true}
	refused := answered(400, "InvalidParameter",
		"private-dns-enabled cannot be set because there is already a conflicting DNS domain for demo.cluster.engflow.com in the VPC")
	for _, tc := range []struct {
		name   string
		holder types.VpcEndpoint
		want   []string
	}{
		{"by an endpoint in some state", markedEndpoint("vpce-0aaaaaaaaaaaaaaaa", "", time.Now()),
			[]string{"No endpoint was created.", "held by vpce-0aaaaaaaaaaaaaaaa", "terraform import", "private_dns_enabled = false"}},
		{"by another run's unfinished create", markedEndpoint("vpce-0aaaaaaaaaaaaaaaa", anotherRun, time.Now()),
			[]string{"nothing was created", "vpce-0aaaaaaaaaaaaaaaa (state pending", "import {", "aws ec2 delete-vpc-endpoints"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := createFailure(context.Background(), newTestClient(&fakeEC2{}), spec, &types.ServiceDetail{}, &nameHeldError{refused: refused, holder: tc.holder})
			for _, w := range tc.want {
				if !strings.Contains(d.Detail(), w) {
					t.Errorf("detail lacks %q:\n%s", w, d.Detail())
				}
			}
		})
	}
}

// The advice on a refused fixed address rests on the address EC2 names,
// so that another error code than the one expected still gets it.
func TestRefusedAddress(t *testing.T) {
	s := endpointSpec{SubnetAddresses: map[string]subnetAddress{"subnet-b": {IPv4: "10.0.1.10"}, "subnet-a": {IPv4: "10.0.0.10"}}}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"in use, named", answered(400, codeAddressInUse, "Address 10.0.1.10 is in use."), "10.0.1.10"},
		{"another code, named", answered(400, "InvalidParameterValue", "The address 10.0.0.10 is not available"), "10.0.0.10"},
		{"in use, unnamed", answered(400, codeAddressInUse, "An address is in use."), "10.0.0.10"},
		{"unrelated", answered(400, codeDuplicateSubnets, "Found another VPC endpoint subnet"), ""},
		{"none", nil, ""},
	} {
		if got := refusedAddress(tc.err, s); got != tc.want {
			t.Errorf("%s: refusedAddress = %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := refusedAddress(answered(400, codeAddressInUse, "in use"), endpointSpec{}); got != "" {
		t.Errorf("without fixed addresses: %q, want none", got)
	}
	d := createFailure(context.Background(), newTestClient(&fakeEC2{}), endpointSpec{VpcID: "vpc-1", SubnetAddresses: s.SubnetAddresses},
		&types.ServiceDetail{}, answered(400, "InvalidParameterValue", "The address 10.0.0.10 is not available"))
	if !strings.Contains(d.Detail(), "fixed address 10.0.0.10") || !strings.Contains(d.Detail(), "Values=10.0.0.10") {
		t.Errorf("no advice naming the address:\n%s", d.Detail())
	}
}
