package privatelink

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// siblingSpec is the request of the creates in these tests.
var siblingSpec = endpointSpec{VpcID: "vpc-1", ServiceName: testService, SubnetIDs: []string{"subnet-a", "subnet-b"},
	SecurityGroupIDs: []string{"sg-1"}, PrivateDNSEnabled: true}

// sibling is an endpoint of siblingSpec's request, marked with lease.
func sibling(id, lease string) types.VpcEndpoint {
	ep := types.VpcEndpoint{VpcEndpointId: aws.String(id), VpcId: aws.String("vpc-1"), ServiceName: aws.String(testService),
		State: "available", PrivateDnsEnabled: aws.Bool(true), SubnetIds: []string{"subnet-b", "subnet-a"},
		Groups: []types.SecurityGroupIdentifier{{GroupId: aws.String("sg-1")}}}
	if lease != "" {
		ep.Tags = []types.Tag{{Key: aws.String(creationMarkerKey), Value: aws.String(lease)}}
	}
	return ep
}

const otherRun = "another0run00000"

// watchSetup gives a watch of siblingSpec's request on virtual time.
func watchSetup(f *tagFake) (*siblingWatch, poller, *fakeClock) {
	c := newTestClient(f)
	p, clock := testPoller()
	c.leases.clock = clock
	return newSiblingWatch(c, p, siblingSpec, false), p, clock
}

// everyListing runs f before each DescribeVpcEndpoints answer, with the
// number of the call.
func everyListing(fake *tagFake, f func(call int)) {
	answer := fake.describeEndpoints
	fake.describeEndpoints = func(ids []string) ([]types.VpcEndpoint, error) {
		f(fake.callCount("DescribeVpcEndpoints"))
		return answer(ids)
	}
}

// Another run's create of the same request whose lease is renewed is that
// run's: the create leaves it alone and makes its own, claiming nothing.
func TestAdoptOrphan_leavesALiveRunsCreateAlone(t *testing.T) {
	f := newTagFake()
	w, p, clock := watchSetup(f)
	start := clock.Now()
	f.eps["vpce-other"] = sibling("vpce-other", leaseValue(otherRun, start.Add(leaseTerm)))
	everyListing(f, func(call int) {
		if call == 4 { // that run's keeper renews
			f.setTag("vpce-other", creationMarkerKey, leaseValue(otherRun, clock.Now().Add(leaseTerm)))
		}
	})
	got, err := w.adoptOrphan(context.Background(), p, nil, false)
	if err != nil || got != nil {
		t.Fatalf("adoptOrphan = %v, %v; want nothing", got, err)
	}
	if n := f.callCount("CreateTags"); n != 0 {
		t.Errorf("%d CreateTags calls: a live run's endpoint was claimed", n)
	}
	if n := f.callCount("DescribeVpcEndpoints"); n != 4 {
		t.Errorf("%d listings, want 4 (decided at the renewal)", n)
	}
}

// A lease that runs out unrenewed shows its run gone: the create claims
// the orphan, no sooner than leaseSkew after the lease's end, and adopts it.
func TestAdoptOrphan_claimsAnOrphanOnceItsLeaseRunsOut(t *testing.T) {
	f := newTagFake()
	w, p, clock := watchSetup(f)
	until := clock.Now().Add(5 * time.Second)
	f.eps["vpce-orphan"] = sibling("vpce-orphan", leaseValue(otherRun, until))
	var claimedAt time.Time
	f.createTags = func([]string, []types.Tag) error { claimedAt = clock.Now(); return nil }
	got, err := w.adoptOrphan(context.Background(), p, nil, false)
	if err != nil || got == nil || aws.ToString(got.VpcEndpointId) != "vpce-orphan" {
		t.Fatalf("adoptOrphan = %v, %v; want vpce-orphan", got, err)
	}
	if claimedAt.Before(until.Add(leaseSkew)) {
		t.Errorf("claimed at %s, before the lease ran out at %s", claimedAt, until.Add(leaseSkew))
	}
	if own, _ := w.c.ownerOf(f.endpoint("vpce-orphan"), clock.Now()); own != ownerThisProcess {
		t.Errorf("after the claim the orphan's owner is %d, want this process", own)
	}
	if !w.c.leases.drop("vpce-orphan") {
		t.Error("the claimed orphan's lease is not held")
	}
}

// Two runs claim one orphan: the one whose lease EC2 shows after the
// settle time has it; the other creates its own.
func TestAdoptOrphan_aRivalClaimWins(t *testing.T) {
	f := newTagFake()
	w, p, clock := watchSetup(f)
	f.eps["vpce-orphan"] = sibling("vpce-orphan", leaseValue(otherRun, clock.Now().Add(-time.Hour)))
	everyListing(f, func(int) {
		if f.callCount("CreateTags") == 1 { // the rival writes after this process did
			f.setTag("vpce-orphan", creationMarkerKey, leaseValue("rival0run0000000", clock.Now().Add(leaseTerm)))
		}
	})
	got, err := w.adoptOrphan(context.Background(), p, nil, false)
	if err != nil || got != nil {
		t.Fatalf("adoptOrphan = %v, %v; want nothing: the rival claimed it", got, err)
	}
	if w.c.leases.drop("vpce-orphan") {
		t.Error("this process holds a lease on the rival's endpoint")
	}
}

// An orphan made with other arguments is not this create's to take.
func TestAdoptOrphan_leavesOrphansOfOtherArguments(t *testing.T) {
	f := newTagFake()
	w, p, clock := watchSetup(f)
	ep := sibling("vpce-orphan", leaseValue(otherRun, clock.Now().Add(-time.Hour)))
	ep.SubnetIds = []string{"subnet-a"}
	f.eps["vpce-orphan"] = ep
	got, err := w.adoptOrphan(context.Background(), p, nil, false)
	if err != nil || got != nil {
		t.Fatalf("adoptOrphan = %v, %v; want nothing", got, err)
	}
	if f.callCount("CreateTags") != 0 || f.callCount("DescribeVpcEndpoints") != 1 {
		t.Errorf("calls %v, want one listing", f.calls)
	}
}

var refusedName = apiError("InvalidParameter", "private-dns-enabled cannot be set because there is already a conflicting DNS domain for demo.cluster.engflow.com in the VPC vpc-1")

// EC2 refused the private DNS name because of an orphan it does not list
// yet: the create adopts it once listed and proven an orphan.
func TestResolveConflict_adoptsTheOrphanThatHoldsTheName(t *testing.T) {
	f := newTagFake()
	w, p, clock := watchSetup(f)
	f.eps["vpce-orphan"] = sibling("vpce-orphan", leaseValue(otherRun, clock.Now().Add(leaseTerm)))
	f.hide = func(_ string, call int) bool { return call <= 3 }
	got, err := w.resolveConflict(context.Background(), p, refusedName)
	if err != nil || got == nil || aws.ToString(got.VpcEndpointId) != "vpce-orphan" {
		t.Fatalf("resolveConflict = %v, %v; want vpce-orphan adopted", got, err)
	}
}

// Another run, alive, holds the name: the error names its endpoint and
// says that this run owns nothing.
func TestResolveConflict_namesALiveRunsEndpoint(t *testing.T) {
	f := newTagFake()
	w, p, clock := watchSetup(f)
	f.eps["vpce-winner"] = sibling("vpce-winner", leaseValue(otherRun, clock.Now().Add(leaseTerm)))
	everyListing(f, func(call int) {
		if call == 3 { // the winner finishes and removes its marker
			f.setTag("vpce-winner", creationMarkerKey, "")
			f.eps["vpce-winner"] = sibling("vpce-winner", "")
		}
	})
	got, err := w.resolveConflict(context.Background(), p, refusedName)
	var held *nameHeldError
	if got != nil || !errors.As(err, &held) || aws.ToString(held.holder.VpcEndpointId) != "vpce-winner" {
		t.Fatalf("resolveConflict = %v, %v; want a nameHeldError naming vpce-winner", got, err)
	}
	if f.callCount("CreateTags") != 0 {
		t.Error("the live run's endpoint was claimed")
	}
}

// Nothing shows: EC2's own refusal, after conflictSearch.
func TestResolveConflict_nothingShows(t *testing.T) {
	f := newTagFake()
	w, p, clock := watchSetup(f)
	start := clock.Now()
	got, err := w.resolveConflict(context.Background(), p, refusedName)
	if got != nil || !errors.Is(err, refusedName) {
		t.Fatalf("resolveConflict = %v, %v; want EC2's refusal", got, err)
	}
	if waited := clock.Now().Sub(start); waited < conflictSearch {
		t.Errorf("gave up after %s, before conflictSearch", waited)
	}
}

// A wait that saw no other run's create costs no call after it.
func TestDeleteOrphans_noCallWhenTheWaitSawNone(t *testing.T) {
	f := newTagFake()
	w, p, _ := watchSetup(f)
	f.eps["vpce-self"] = sibling("vpce-self", leaseValue(processID, time.Now()))
	w.self = "vpce-self"
	if _, err := w.look(context.Background(), "vpce-self"); err != nil {
		t.Fatal(err)
	}
	deleted, err := w.deleteOrphans(context.Background(), p)
	if err != nil || len(deleted) != 0 {
		t.Fatalf("deleteOrphans = %v, %v", deleted, err)
	}
	if n := f.callCount("DescribeVpcEndpoints"); n != 1 {
		t.Errorf("%d listings, want only the wait's", n)
	}
}

// The wait saw another run's create of the same request, made moments
// before this one (EC2 did not list it when this create looked). Its lease
// runs out unrenewed: it is a duplicate nobody owns, and it is deleted.
func TestDeleteOrphans_deletesADuplicateWhoseRunIsGone(t *testing.T) {
	f := newTagFake()
	w, p, clock := watchSetup(f)
	f.eps["vpce-self"] = sibling("vpce-self", leaseValue(processID, clock.Now().Add(leaseTerm)))
	f.eps["vpce-orphan"] = sibling("vpce-orphan", leaseValue(otherRun, clock.Now().Add(leaseTerm)))
	w.self = "vpce-self"
	if _, err := w.look(context.Background(), "vpce-self"); err != nil {
		t.Fatal(err)
	}
	deleted, err := w.deleteOrphans(context.Background(), p)
	if err != nil || len(deleted) != 1 || deleted[0] != "vpce-orphan" {
		t.Fatalf("deleteOrphans = %v, %v; want [vpce-orphan]", deleted, err)
	}
	if f.endpoint("vpce-self").State != "available" || f.endpoint("vpce-orphan").State != "deleted" {
		t.Errorf("states %s and %s, want the orphan deleted and this create's kept", f.endpoint("vpce-self").State, f.endpoint("vpce-orphan").State)
	}
}

// The create that follows its plan in the same process takes the plan's
// listing instead of listing again, once.
func TestAdoptOrphan_takesItsPlansListingOnce(t *testing.T) {
	f := newTagFake()
	w, p, _ := watchSetup(f)
	w.c.rememberListing("vpc-1", testService, nil)
	planned, fresh := w.c.takeListing("vpc-1", testService)
	if !fresh {
		t.Fatal("a listing made a moment ago is not fresh")
	}
	if got, err := w.adoptOrphan(context.Background(), p, planned, fresh); got != nil || err != nil {
		t.Fatalf("adoptOrphan = %v, %v", got, err)
	}
	if n := f.callCount("DescribeVpcEndpoints"); n != 0 {
		t.Errorf("the create listed again (%d calls) right after its plan", n)
	}
	if _, again := w.c.takeListing("vpc-1", testService); again {
		t.Error("a plan's listing served a second create")
	}
}
