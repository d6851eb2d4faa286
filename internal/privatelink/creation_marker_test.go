package privatelink

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func markedEndpoint(value string) types.VpcEndpoint {
	ep := endpoint("vpce-1", "pending")
	ep.Tags = []types.Tag{{Key: aws.String("team"), Value: aws.String("build")}, {Key: aws.String(creationMarkerKey), Value: aws.String(value)}}
	return ep
}

func TestOwnerOf(t *testing.T) {
	c := newTestClient(&fakeEC2{})
	now := time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		ep    types.VpcEndpoint
		want  owner
		until time.Time
	}{
		{"no marker", endpoint("vpce-1", "available"), ownerSettled, time.Time{}},
		{"a finished create whose tag could not be removed", markedEndpoint(markerDone), ownerSettled, time.Time{}},
		{"a marker of an earlier version: no lease", markedEndpoint("0123456789abcdef 0123456789abcdef0123456789abcdef"), ownerSettled, time.Time{}},
		{"this process's create", markedEndpoint(leaseValue(c.processID, now.Add(-time.Hour))), ownerThisProcess, now.Add(-time.Hour)},
		{"another run's, lease running", markedEndpoint(leaseValue("another0run00000", now.Add(time.Second))), ownerLiveRun, now.Add(time.Second)},
		// Clocks differ and EC2 may show a tag from before its renewal: not proof yet.
		{"another run's, lease just over", markedEndpoint(leaseValue("another0run00000", now.Add(-leaseSkew))), ownerLiveRun, now.Add(-leaseSkew)},
		{"another run's, lease run out", markedEndpoint(leaseValue("another0run00000", now.Add(-leaseSkew-time.Second))), ownerNone, now.Add(-leaseSkew - time.Second)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, m := c.ownerOf(tc.ep, now)
			if got != tc.want {
				t.Errorf("owner = %d, want %d", got, tc.want)
			}
			if !m.until.Equal(tc.until) {
				t.Errorf("lease until %s, want %s", m.until, tc.until)
			}
		})
	}
}

func TestSameRequest(t *testing.T) {
	spec := endpointSpec{VpcID: "vpc-1", ServiceName: testService, SubnetIDs: []string{"subnet-a", "subnet-b"},
		SecurityGroupIDs: []string{"sg-1"}, PrivateDNSEnabled: true, Tags: map[string]string{"team": "build"}}
	made := func(change func(*types.VpcEndpoint)) types.VpcEndpoint {
		ep := markedEndpoint(leaseValue("another0run00000", time.Now()))
		ep.VpcId, ep.ServiceName, ep.PrivateDnsEnabled = aws.String("vpc-1"), aws.String(testService), aws.Bool(true)
		ep.SubnetIds, ep.Groups = []string{"subnet-b", "subnet-a"}, []types.SecurityGroupIdentifier{{GroupId: aws.String("sg-1")}}
		change(&ep)
		return ep
	}
	for _, tc := range []struct {
		name       string
		ep         types.VpcEndpoint
		acceptance bool
		want       bool
	}{
		{"same, in another order", made(func(*types.VpcEndpoint) {}), false, true},
		{"other subnets", made(func(ep *types.VpcEndpoint) { ep.SubnetIds = []string{"subnet-a"} }), false, false},
		{"other tags", made(func(ep *types.VpcEndpoint) { ep.Tags = ep.Tags[1:] }), false, false},
		{"another VPC", made(func(ep *types.VpcEndpoint) { ep.VpcId = aws.String("vpc-2") }), false, false},
		{"private DNS off", made(func(ep *types.VpcEndpoint) { ep.PrivateDnsEnabled = aws.Bool(false) }), false, false},
		// Private DNS waits for EngFlow's acceptance: the run may not have got to it.
		{"private DNS off, acceptance required", made(func(ep *types.VpcEndpoint) { ep.PrivateDnsEnabled = aws.Bool(false) }), true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := sameRequest(tc.ep, spec, tc.acceptance); got != tc.want {
				t.Errorf("sameRequest = %v, want %v", got, tc.want)
			}
		})
	}
}

// Without ec2:DeleteTags, the create's lease is replaced by "done", so that
// no other run ever takes the finished endpoint for an orphan, and the
// warning says which permission to grant.
func TestReleaseMarker_withoutDeleteTagsMarksDone(t *testing.T) {
	f := newTagFake()
	f.eps["vpce-1"] = markedEndpoint(leaseValue(processID, time.Now().Add(leaseTerm)))
	f.deleteTags = func([]string) error {
		return apiError(codeUnauthorized, "You are not authorized to perform this operation.")
	}
	c := newTestClient(f)
	p, _ := testPoller()
	err := c.releaseMarker(context.Background(), p, "vpce-1")
	var kept *markerKeptError
	if !errors.As(err, &kept) {
		t.Fatalf("releaseMarker = %v, want a markerKeptError", err)
	}
	if v, _ := markerTag(f.endpoint("vpce-1").Tags); v != markerDone {
		t.Errorf("the marker is %q, want %q", v, markerDone)
	}
	if own, _ := c.ownerOf(f.endpoint("vpce-1"), time.Now().Add(time.Hour)); own != ownerSettled {
		t.Errorf("an hour later the endpoint looks like owner %d, want settled", own)
	}
	if _, detail := markerWarning("vpce-1", err); !strings.Contains(detail, "ec2:DeleteTags") || !strings.Contains(detail, "IAM") {
		t.Errorf("the warning does not say which permission to grant: %s", detail)
	}
}

// EC2 may not know a new endpoint yet: the removal is tried again.
func TestReleaseMarker_retriesWhileTheEndpointIsUnknown(t *testing.T) {
	f := newTagFake()
	f.eps["vpce-1"] = markedEndpoint(leaseValue(processID, time.Now().Add(leaseTerm)))
	f.deleteTags = func([]string) error {
		if f.callCount("DeleteTags") <= 2 {
			return apiError(codeEndpointNotFound, "The VpcEndpoint Id 'vpce-1' does not exist")
		}
		return nil
	}
	p, _ := testPoller()
	if err := newTestClient(f).releaseMarker(context.Background(), p, "vpce-1"); err != nil {
		t.Fatal(err)
	}
	if n := f.callCount("DeleteTags"); n != 3 {
		t.Errorf("%d DeleteTags calls, want 3", n)
	}
	if _, marked := markerTag(f.endpoint("vpce-1").Tags); marked {
		t.Error("the marker is still there")
	}
}
