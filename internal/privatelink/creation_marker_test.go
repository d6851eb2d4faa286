package privatelink

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

const anotherRun = "another0run00000"

// markedEndpoint is an endpoint created at the given time, marked with
// value unless it is "".
func markedEndpoint(id, value string, created time.Time) types.VpcEndpoint {
	ep := endpoint(id, "pending")
	ep.VpcId, ep.ServiceName, ep.CreationTimestamp = aws.String("vpc-1"), aws.String(testService), aws.Time(created)
	ep.Tags = []types.Tag{{Key: aws.String("team"), Value: aws.String("build")}}
	if value != "" {
		ep.Tags = append(ep.Tags, types.Tag{Key: aws.String(creationMarkerKey), Value: aws.String(value)})
	}
	return ep
}

func ids(eps []types.VpcEndpoint) []string {
	var out []string
	for _, ep := range eps {
		out = append(out, aws.ToString(ep.VpcEndpointId))
	}
	return out
}

func TestUnfinishedElsewhere(t *testing.T) {
	now := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	deleting := markedEndpoint("vpce-deleting", anotherRun, now)
	deleting.State = "deleting"
	noTime := markedEndpoint("vpce-notime", anotherRun, now)
	noTime.CreationTimestamp = nil
	existing := []types.VpcEndpoint{
		markedEndpoint("vpce-settled", "", now.Add(-time.Minute)),                      // in some state, or made by hand
		markedEndpoint("vpce-here", processID, now.Add(-time.Minute)),                  // another resource of this apply
		markedEndpoint("vpce-samerun", "samerun0marker00", now),                        // created by the run that made the state's own
		markedEndpoint("vpce-self", anotherRun, now),                                   // the state's own endpoint
		markedEndpoint("vpce-young", anotherRun, now.Add(-staleMarkerAge+time.Minute)), // in flight, or killed
		markedEndpoint("vpce-stale", anotherRun, now.Add(-staleMarkerAge)),             // a leftover, long ago
		deleting, noTime,
	}
	young, stale := unfinishedElsewhere(existing, "vpce-self", "samerun0marker00", now)
	if got := strings.Join(ids(young), " "); got != "vpce-young vpce-notime" {
		t.Errorf("young = %s, want vpce-young vpce-notime", got)
	}
	if got := strings.Join(ids(stale), " "); got != "vpce-stale" {
		t.Errorf("stale = %s, want vpce-stale", got)
	}
	// Without a state of its own, the same run's marker is a stranger's.
	if young, _ := unfinishedElsewhere(existing, "", "", now); len(young) != 4 {
		t.Errorf("with no endpoint of its own, %v are young; want the same-run, self, young and time-less ones", ids(young))
	}
}

// The error names each endpoint, its age and the three ways to settle it,
// with the Region in the import ID.
func TestUnfinishedDiagnostic(t *testing.T) {
	now := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	d := unfinishedDiagnostic("eu-west-1", []types.VpcEndpoint{markedEndpoint("vpce-0aaaaaaaaaaaaaaaa", anotherRun, now.Add(-135*time.Second))},
		now, "This run stops before creating anything.")
	for _, want := range []string{
		"vpce-0aaaaaaaaaaaaaaaa (state pending, created 2m15s ago)", "vpc-1", testService, creationMarkerKey,
		"This run stops before creating anything.", "rerun when that run finishes",
		"import {", `id = "vpce-0aaaaaaaaaaaaaaaa@eu-west-1"`, "terraform import <resource address> vpce-0aaaaaaaaaaaaaaaa@eu-west-1",
		"aws ec2 delete-vpc-endpoints --region eu-west-1 --vpc-endpoint-ids vpce-0aaaaaaaaaaaaaaaa",
	} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("the detail lacks %q:\n%s", want, d.Detail())
		}
	}
	if !strings.Contains(d.Summary(), "vpc-1") {
		t.Errorf("summary %q does not name the VPC", d.Summary())
	}
}

// A create gives way only to another process's unfinished create that EC2
// made before its own, as EC2 showed it last.
func TestCreateWatch_earlier(t *testing.T) {
	created := time.Now().Add(-time.Minute)
	self := markedEndpoint("vpce-5self", processID, created)
	listings := [][]types.VpcEndpoint{
		{
			self,
			markedEndpoint("vpce-older", anotherRun, created.Add(-time.Second)),
			markedEndpoint("vpce-newer", anotherRun, created.Add(time.Second)),
			markedEndpoint("vpce-1tie", anotherRun, created), // same time, lower ID: first
			markedEndpoint("vpce-9tie", anotherRun, created), // same time, higher ID: after
			markedEndpoint("vpce-here", processID, created.Add(-time.Second)),
			markedEndpoint("vpce-settled", "", created.Add(-time.Hour)),
			markedEndpoint("vpce-finished", anotherRun, created.Add(-time.Second)), // its run removes the marker below
		},
		{self, markedEndpoint("vpce-finished", "", created.Add(-time.Second))}, // the others missing: EC2 leaves some out
	}
	f := newTagFake()
	c := newTestClient(f)
	w := newCreateWatch(c, endpointSpec{VpcID: "vpc-1", ServiceName: testService}, self)
	for _, l := range listings {
		f.mu.Lock()
		f.eps = map[string]types.VpcEndpoint{}
		for _, ep := range l {
			f.eps[aws.ToString(ep.VpcEndpointId)] = ep
		}
		f.mu.Unlock()
		got, err := w.look(context.Background(), "vpce-5self")
		if err != nil || aws.ToString(got.VpcEndpointId) != "vpce-5self" {
			t.Fatalf("look = %v, %v; want vpce-5self", got, err)
		}
	}
	if got := strings.Join(sortedIDs(w.earlier(time.Now())), " "); got != "vpce-1tie vpce-older" {
		t.Errorf("earlier = %s, want vpce-1tie vpce-older", got)
	}
}

func sortedIDs(eps []types.VpcEndpoint) []string { return sorted(ids(eps)) }

// fakePrivate is private state held in a map.
type fakePrivate map[string][]byte

func (p fakePrivate) GetKey(_ context.Context, k string) ([]byte, diag.Diagnostics) { return p[k], nil }
func (p fakePrivate) SetKey(_ context.Context, k string, v []byte) diag.Diagnostics {
	p[k] = v
	return nil
}

func removeMarkerOf(f *tagFake, id string) (fakePrivate, diag.Diagnostics) {
	p, _ := testPoller()
	private, diags := fakePrivate{}, diag.Diagnostics{}
	endpointOps{client: newTestClient(f), poller: p}.removeMarker(context.Background(), private, id, &diags)
	return private, diags
}

// EC2 may not know a new endpoint yet: the removal is tried again, and
// private state records it, so that a stale read later is not taken for
// a marker still there.
func TestRemoveMarker_retriesWhileTheEndpointIsUnknown(t *testing.T) {
	f := newTagFake()
	f.eps["vpce-1"] = markedEndpoint("vpce-1", processID, time.Now())
	f.deleteTags = func([]string) error {
		if f.callCount("DeleteTags") <= 2 {
			return apiError(codeEndpointNotFound, "The VpcEndpoint Id 'vpce-1' does not exist")
		}
		return nil
	}
	private, diags := removeMarkerOf(f, "vpce-1")
	if len(diags) != 0 || !markerRemoved(context.Background(), private) {
		t.Fatalf("diagnostics %v, marker removed in private state: %v", diags, markerRemoved(context.Background(), private))
	}
	if n := f.callCount("DeleteTags"); n != 3 {
		t.Errorf("%d DeleteTags calls, want 3", n)
	}
	if _, marked := markerOf(f.endpoint("vpce-1")); marked {
		t.Error("the marker is still there")
	}
}

// Without ec2:DeleteTags the marker stays, and the warning says which
// permission to grant and that the next apply removes it.
func TestRemoveMarker_withoutDeleteTags(t *testing.T) {
	f := newTagFake()
	f.eps["vpce-1"] = markedEndpoint("vpce-1", processID, time.Now())
	f.deleteTags = func([]string) error {
		return apiError(codeUnauthorized, "You are not authorized to perform this operation.")
	}
	private, diags := removeMarkerOf(f, "vpce-1")
	if _, marked := markerOf(f.endpoint("vpce-1")); !marked || markerRemoved(context.Background(), private) {
		t.Error("the marker is gone, or private state says so")
	}
	if len(diags) != 1 || diags.HasError() || !strings.Contains(diags[0].Detail(), "ec2:DeleteTags") ||
		!strings.Contains(diags[0].Detail(), "next apply removes it") {
		t.Errorf("want one warning that says which permission to grant and what happens next: %v", diags)
	}
}
