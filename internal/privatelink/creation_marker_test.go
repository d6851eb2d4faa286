package privatelink

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// awaitOrphanFake lists nothing for the first hidden calls (EC2 lagging),
// then the given endpoints.
func awaitOrphanFake(hidden int, eps ...types.VpcEndpoint) *fakeEC2 {
	f := &fakeEC2{}
	f.describeEndpoints = func([]string) ([]types.VpcEndpoint, error) {
		if f.callCount("DescribeVpcEndpoints") <= hidden {
			return nil, nil
		}
		return eps, nil
	}
	return f
}

func TestAwaitOrphan(t *testing.T) {
	spec := endpointSpec{VpcID: "vpc-1", ServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-1", SubnetIDs: []string{"subnet-1"}, PrivateDNSEnabled: true}
	inVPC := func(id string, privateDNS bool, tags ...types.Tag) types.VpcEndpoint {
		ep := endpoint(id, "pending")
		ep.VpcId, ep.ServiceName, ep.PrivateDnsEnabled, ep.Tags = aws.String(spec.VpcID), aws.String(spec.ServiceName), aws.Bool(privateDNS), tags
		return ep
	}
	orphanTag := types.Tag{Key: aws.String(creationMarkerKey), Value: aws.String("deadbeefdeadbeef " + specFingerprint(spec))}

	for _, tc := range []struct {
		name      string
		fake      *fakeEC2
		want      string
		wantCalls int
	}{
		// A run killed moments ago left it; EC2 lists it after 3 looks.
		{"young orphan", awaitOrphanFake(3, inVPC("vpce-orphan", true, orphanTag)), "vpce-orphan", 4},
		// Someone else's endpoint holds the name: no orphan, stop looking.
		{"real conflict", awaitOrphanFake(2, inVPC("vpce-other", true)), "", 3},
		// Nothing ever shows: give up after orphanSearchTimeout.
		{"nothing shows", awaitOrphanFake(1 << 30), "", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(tc.fake)
			p, clock := testPoller()
			start := clock.Now()
			got, err := c.awaitOrphan(context.Background(), p, spec)
			if err != nil {
				t.Fatal(err)
			}
			if id := aws.ToString(func() *string {
				if got == nil {
					return nil
				}
				return got.VpcEndpointId
			}()); id != tc.want {
				t.Errorf("awaitOrphan = %q, want %q", id, tc.want)
			}
			calls := tc.fake.callCount("DescribeVpcEndpoints")
			switch {
			case tc.wantCalls >= 0 && calls != tc.wantCalls:
				t.Errorf("%d DescribeVpcEndpoints calls, want %d", calls, tc.wantCalls)
			case tc.wantCalls < 0 && clock.Now().Sub(start) < orphanSearchTimeout:
				t.Errorf("gave up after %s, before orphanSearchTimeout (%s)", clock.Now().Sub(start), orphanSearchTimeout)
			}
		})
	}
}
