package privatelink

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// One CreateTags call renews every lease the process holds; an endpoint EC2
// does not know yet keeps the lease it has, and the others are renewed.
func TestLeaseKeeper_renewsEveryHeldLeaseWithOneCall(t *testing.T) {
	f := newTagFake()
	c := newTestClient(f)
	_, clock := testPoller()
	c.leases.clock = clock
	first := clock.Now().Add(leaseTerm)
	for _, id := range []string{"vpce-a", "vpce-b", "vpce-c"} {
		f.eps[id] = sibling(id, leaseValue(processID, first))
		c.leases.until[id] = first
	}
	clock.After(leaseRenewal)
	c.leases.renew(context.Background(), []string{"vpce-a", "vpce-b", "vpce-c"})
	if n := f.callCount("CreateTags"); n != 1 {
		t.Errorf("%d CreateTags calls for three leases, want 1", n)
	}
	renewed := clock.Now().Add(leaseTerm)
	for _, id := range []string{"vpce-a", "vpce-b", "vpce-c"} {
		if m := markerOf(f.endpoint(id)); !m.until.Equal(renewed.Truncate(time.Second)) || m.run != processID {
			t.Errorf("%s: lease %+v, want this process's until %s", id, m, renewed)
		}
	}

	// vpce-new is too new for EC2: the call fails for all, then each is tried alone.
	c.leases.until["vpce-new"] = first
	clock.After(leaseRenewal)
	c.leases.renew(context.Background(), []string{"vpce-a", "vpce-new"})
	if n := f.callCount("CreateTags"); n != 4 {
		t.Errorf("%d CreateTags calls, want 1 + 3 (one for both, then one each)", n)
	}
	if !c.leases.until["vpce-new"].Equal(first) || !c.leases.until["vpce-a"].Equal(clock.Now().Add(leaseTerm)) {
		t.Errorf("leases %v: want vpce-new's unchanged and vpce-a's renewed", c.leases.until)
	}
}

// A lease that lapsed (renewals failed for leaseTerm) is reported when the
// create ends: another run may have claimed the endpoint.
func TestLeaseKeeper_dropTellsWhetherTheLeaseHeld(t *testing.T) {
	c := newTestClient(newTagFake())
	_, clock := testPoller()
	c.leases.clock = clock
	_, until := c.leases.value()
	c.leases.hold(context.Background(), "vpce-1", until)
	c.leases.hold(context.Background(), "vpce-2", until)
	if !c.leases.drop("vpce-1") {
		t.Error("a running lease was reported lapsed")
	}
	clock.After(leaseTerm)
	if c.leases.drop("vpce-2") {
		t.Error("a lapsed lease was reported held")
	}
	if c.leases.drop("vpce-3") {
		t.Error("a lease never held was reported held")
	}
}

// Only leases written leaseRenewal ago or more are due: a create that ends
// sooner costs no renewal, and a new endpoint EC2 may not know yet is left
// alone.
func TestLeaseKeeper_renewsOnlyLeasesDue(t *testing.T) {
	c := newTestClient(newTagFake())
	_, clock := testPoller()
	c.leases.clock = clock
	old := clock.Now().Add(leaseTerm)
	clock.After(leaseRenewal)
	c.leases.until["vpce-old"], c.leases.until["vpce-new"] = old, clock.Now().Add(leaseTerm)
	if due := c.leases.due(); len(due) != 1 || due[0] != "vpce-old" {
		t.Errorf("due = %v, want [vpce-old]", due)
	}
}

// A renewal in flight when the create ends must not put the lease back
// after the marker is removed: drop waits it out.
func TestLeaseKeeper_dropWaitsForARenewalInFlight(t *testing.T) {
	f := newTagFake()
	f.eps["vpce-1"] = sibling("vpce-1", leaseValue(processID, time.Now()))
	landed, release := make(chan struct{}), make(chan struct{})
	f.createTags = func([]string, []types.Tag) error {
		close(landed)
		<-release
		return nil
	}
	c := newTestClient(f)
	c.leases.until["vpce-1"] = time.Now().Add(leaseTerm)
	c.leases.renewing.Lock()
	go func() {
		defer c.leases.renewing.Unlock()
		c.leases.renew(context.Background(), []string{"vpce-1"})
	}()
	<-landed
	dropped := make(chan bool)
	go func() { dropped <- c.leases.drop("vpce-1") }()
	select {
	case <-dropped:
		t.Fatal("drop returned while a renewal was in flight")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if !<-dropped {
		t.Error("the lease was reported lapsed")
	}
}
