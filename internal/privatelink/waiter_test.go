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

// scriptedStates answers DescribeVpcEndpoints for one endpoint with the
// given states in turn (the last one repeats); "" means not found, which
// a call by filter answers with no endpoint.
func scriptedStates(id string, states ...types.State) func([]string) ([]types.VpcEndpoint, error) {
	i := 0
	return func([]string) ([]types.VpcEndpoint, error) {
		s := states[min(i, len(states)-1)]
		i++
		if s == "" {
			return nil, nil
		}
		return []types.VpcEndpoint{endpoint(id, s)}, nil
	}
}

func testPoller() (poller, *fakeClock) {
	c := &fakeClock{now: time.Unix(0, 0)}
	p := defaultPoller
	p.clock = c
	return p, c
}

// The gap between looks must let the waiter notice a change within 10% of
// the time it took plus 1 s, for any duration, while long waits stay cheap.
func TestPoller_noticesWithinTenPercentPlusOneSecond(t *testing.T) {
	p, _ := testPoller()
	for _, took := range []time.Duration{0, 300 * time.Millisecond, 2 * time.Second, 30 * time.Second, 90 * time.Second, 10 * time.Minute, time.Hour} {
		elapsed, looks := time.Duration(0), 0
		for elapsed < took || looks == 0 {
			elapsed += p.interval(elapsed)
			looks++
		}
		if late := elapsed - took; late > took/10+time.Second {
			t.Errorf("change after %s noticed %s late (allowed %s)", took, late, took/10+time.Second)
		}
		if took == 90*time.Second && looks > 40 {
			t.Errorf("a 90 s wait took %d looks; want at most 40", looks)
		}
	}
}

// noticedAt is when a wait begun at start, looking as p.sleep paces it,
// first sees a change that happened took after start.
func noticedAt(p poller, start time.Time, took time.Duration) time.Duration {
	now := start
	for {
		now = now.Add(p.sleep(now, start))
		if now.Sub(start) >= took {
			return now.Sub(start)
		}
	}
}

// A wait for a new endpoint makes no look before createSettle, when EC2
// cannot list the endpoint yet, and still notices anything that takes
// 0.9 s or more within 10% plus 1 s, grid alignment included.
func TestPoller_createWaitLooksFirstAfterSettle(t *testing.T) {
	p, _ := testPoller()
	p = p.notBefore(createSettle)
	start := time.Unix(1000, 123e6) // off the grid
	if first := p.sleep(start, start); first < createSettle || first >= createSettle+p.align {
		t.Errorf("first look after %v; want from %v to under %v", first, createSettle, createSettle+p.align)
	}
	for _, took := range []time.Duration{900 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second, 12 * time.Second, 90 * time.Second} {
		if late := noticedAt(p, start, took) - took; late > took/10+time.Second {
			t.Errorf("available after %s noticed %s late (allowed %s)", took, late, took/10+time.Second)
		}
	}
	// Later looks are paced as in any wait.
	at := start.Add(5 * time.Second)
	if got, want := p.sleep(at, start), defaultPoller.sleep(at, start); got != want {
		t.Errorf("a look 5 s into the wait sleeps %v; want %v as without settle", got, want)
	}
}

func TestWaitForEndpointSettled_pendingThenAvailable(t *testing.T) {
	f := &fakeEC2{describeEndpoints: scriptedStates("vpce-1", "pending", "pending", "available")}
	p, _ := testPoller()
	ep, err := waitForEndpointSettled(context.Background(), newTestClient(f), p, "vpce-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !stateIs(ep.State, "available") || f.callCount("DescribeVpcEndpoints") != 3 {
		t.Errorf("state %s after %d calls; want available after 3", ep.State, f.callCount("DescribeVpcEndpoints"))
	}
}

func TestWaitForEndpointSettled_toleratesNotFoundRightAfterCreate(t *testing.T) {
	f := &fakeEC2{describeEndpoints: scriptedStates("vpce-1", "", "", "available")}
	p, _ := testPoller()
	if _, err := waitForEndpointSettled(context.Background(), newTestClient(f), p, "vpce-1", nil); err != nil {
		t.Fatal(err)
	}
}

// EC2 may hide a new endpoint for a while, and hide it again after showing
// it once: not-found answers are tolerated by time, on either side of the
// first sighting.
func TestWaitForEndpointSettled_toleratesNotFoundByTimeBeforeAndAfterFirstSighting(t *testing.T) {
	states := []types.State{"pending"}
	for range 20 {
		states = append(states, "")
	}
	states = append(states, "pending", "", "", "available")
	f := &fakeEC2{describeEndpoints: scriptedStates("vpce-1", append([]types.State{"", "", "", "", "", "", ""}, states...)...)}
	p, _ := testPoller()
	ep, err := waitForEndpointSettled(context.Background(), newTestClient(f), p, "vpce-1", nil)
	if err != nil || !stateIs(ep.State, "available") {
		t.Fatalf("got %v, %v; want available", ep, err)
	}
}

func TestWaitForEndpointSettled_givesUpAfterPropagationTimeoutUnseen(t *testing.T) {
	f := &fakeEC2{describeEndpoints: scriptedStates("vpce-1", "")}
	p, c := testPoller()
	start := c.Now()
	_, err := waitForEndpointSettled(context.Background(), newTestClient(f), p, "vpce-1", nil)
	if !isNotFound(err) {
		t.Fatalf("error = %v, want not found", err)
	}
	if waited := c.Now().Sub(start); waited < propagationTimeout || waited > propagationTimeout+time.Minute {
		t.Errorf("gave up after %s unseen, want about %s", waited, propagationTimeout)
	}
}

// Right after ModifyVpcEndpoint EC2 may still describe the endpoint as it
// was, state available included: the wait ends only once the change shows.
func TestWaitForEndpointSettled_waitsUntilTheChangeShows(t *testing.T) {
	looks := 0
	f := &fakeEC2{describeEndpoints: func([]string) ([]types.VpcEndpoint, error) {
		looks++
		ep := endpoint("vpce-1", "available")
		ep.SubnetIds = []string{"subnet-a"}
		switch {
		case looks == 3:
			ep.State, ep.SubnetIds = "pending", []string{"subnet-a", "subnet-b"}
		case looks > 3:
			ep.SubnetIds = []string{"subnet-a", "subnet-b"}
		}
		return []types.VpcEndpoint{ep}, nil
	}}
	p, _ := testPoller()
	want := endpointSpec{SubnetIDs: []string{"subnet-b", "subnet-a"}}
	ep, err := waitForEndpointSettled(context.Background(), newTestClient(f), p, "vpce-1", &want)
	if err != nil {
		t.Fatal(err)
	}
	if looks != 4 || len(ep.SubnetIds) != 2 || !stateIs(ep.State, "available") {
		t.Errorf("returned %s with subnets %v after %d looks; want available with both subnets after 4", ep.State, ep.SubnetIds, looks)
	}
}

// Waits in progress together look at the ticks of one grid, so that their
// describe calls can be shared: however many endpoints are waited on, the
// looks fall on at most one moment per grid step. Each look is at most one
// step later than its interval asks.
func TestPoller_looksOfConcurrentWaitsFallOnSharedTicks(t *testing.T) {
	p, _ := testPoller()
	const waits, span = 10, 20 * time.Second
	base := time.Unix(1000, 0)
	moments, looks := map[time.Time]bool{}, 0
	for i := range waits {
		start := base.Add(time.Duration(i) * 137 * time.Millisecond) // started one after the other
		for now := start; now.Sub(base) < span; {
			d := p.sleep(now, start)
			if want := p.interval(now.Sub(start)); d < want || d >= want+p.align {
				t.Fatalf("at %v: sleeps %v, want from %v to under %v", now.Sub(start), d, want, want+p.align)
			}
			now = now.Add(d)
			moments[now] = true
			looks++
		}
	}
	if max := int(span/p.align) + 1; len(moments) > max {
		t.Errorf("%d waits looked at %d distinct moments in %v; want at most %d (one per %v)", waits, len(moments), span, max, p.align)
	}
	if len(moments)*2 > looks {
		t.Errorf("%d looks at %d distinct moments: want at least two looks per moment on average", looks, len(moments))
	}
}

// A timeout that runs out while EngFlow has yet to accept is not a failure
// (the create would otherwise taint an endpoint that is only waiting).
func TestWaitForEndpointSettled_timeoutWhileAwaitingAcceptanceIsNoError(t *testing.T) {
	f := &fakeEC2{describeEndpoints: scriptedStates("vpce-1", "pendingAcceptance")}
	p, _ := testPoller()
	p.clock = realClock{}
	p.first, p.align = time.Millisecond, 0
	ctx, cancel := context.WithTimeout(context.Background(), 80*time.Millisecond)
	defer cancel()
	ep, err := waitForEndpointSettled(ctx, newTestClient(f), p, "vpce-1", nil)
	if err != nil || ep == nil || !stateIs(ep.State, "pendingAcceptance") {
		t.Fatalf("got %v, %v; want the pendingAcceptance endpoint and no error", ep, err)
	}
}

func TestWaitForEndpointSettled_failsFastWithLastError(t *testing.T) {
	for _, state := range []types.State{"failed", "rejected", "expired", "partial"} {
		t.Run(string(state), func(t *testing.T) {
			f := &fakeEC2{describeEndpoints: func([]string) ([]types.VpcEndpoint, error) {
				ep := endpoint("vpce-1", state)
				ep.LastError = &types.LastError{Code: aws.String("Client.InternalError"), Message: aws.String("subnet has no free IPs")}
				return []types.VpcEndpoint{ep}, nil
			}}
			p, _ := testPoller()
			_, err := waitForEndpointSettled(context.Background(), newTestClient(f), p, "vpce-1", nil)
			if err == nil || !strings.Contains(err.Error(), "subnet has no free IPs") || !strings.Contains(err.Error(), string(state)) {
				t.Fatalf("error = %v, want the state and LastError", err)
			}
			if f.callCount("DescribeVpcEndpoints") != 1 {
				t.Errorf("%d calls, want 1", f.callCount("DescribeVpcEndpoints"))
			}
		})
	}
}

func TestWaitForEndpointSettled_pendingAcceptanceEndsAfterGrace(t *testing.T) {
	f := &fakeEC2{describeEndpoints: scriptedStates("vpce-1", "pendingAcceptance")}
	p, c := testPoller()
	start := c.Now()
	ep, err := waitForEndpointSettled(context.Background(), newTestClient(f), p, "vpce-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	waited := c.Now().Sub(start)
	if !stateIs(ep.State, "pendingAcceptance") || waited < acceptanceGrace || waited > acceptanceGrace+5*time.Second {
		t.Errorf("returned %s after %s; want pendingAcceptance after about %s", ep.State, waited, acceptanceGrace)
	}
}

func TestWaitForEndpointSettled_acceptedDuringGrace(t *testing.T) {
	f := &fakeEC2{describeEndpoints: scriptedStates("vpce-1", "pendingAcceptance", "pendingAcceptance", "pending", "available")}
	p, _ := testPoller()
	ep, err := waitForEndpointSettled(context.Background(), newTestClient(f), p, "vpce-1", nil)
	if err != nil || !stateIs(ep.State, "available") {
		t.Fatalf("got %v, %v; want available", ep, err)
	}
}

func TestWaitForEndpointSettled_timeoutNamesLastState(t *testing.T) {
	f := &fakeEC2{describeEndpoints: scriptedStates("vpce-1", "pending")}
	p, _ := testPoller()
	p.clock = realClock{}
	p.first, p.align = time.Millisecond, 0
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond) // several looks, each after a 20 ms batch window, even on a loaded machine
	defer cancel()
	ep, err := waitForEndpointSettled(ctx, newTestClient(f), p, "vpce-1", nil)
	if !errors.Is(err, errWaitTimeout) || !strings.Contains(err.Error(), "still pending") {
		t.Fatalf("error = %v, want a timeout naming state pending", err)
	}
	if ep == nil || aws.ToString(ep.VpcEndpointId) != "vpce-1" {
		t.Errorf("want the last description back, got %v", ep)
	}
}

func TestWaitForEndpointGone_waitsForNetworkInterfaces(t *testing.T) {
	eniLooks := 0
	f := &fakeEC2{
		describeEndpoints: scriptedStates("vpce-1", "deleting", "deleted"),
		describeENIs: func(ids []string) ([]types.NetworkInterface, error) {
			eniLooks++
			if eniLooks < 3 {
				return []types.NetworkInterface{{NetworkInterfaceId: aws.String("eni-1")}}, nil
			}
			return nil, nil // asked by filter, EC2 leaves out what is gone
		},
	}
	p, _ := testPoller()
	if err := waitForEndpointGone(context.Background(), newTestClient(f), p, "vpce-1", []string{"eni-1"}); err != nil {
		t.Fatal(err)
	}
	if eniLooks != 3 {
		t.Errorf("looked at the interfaces %d times, want 3", eniLooks)
	}
}

// A look-up by a given ID (import, the data source's id) waits out EC2's
// lag after a create, but not an endpoint EC2 reports deleted.
func TestFindEndpointEventually(t *testing.T) {
	t.Run("unknown at first", func(t *testing.T) {
		f := &fakeEC2{describeEndpoints: scriptedStates("vpce-1", "", "", "available")}
		p, _ := testPoller()
		ep, err := findEndpointEventually(context.Background(), newTestClient(f), p, "vpce-1", lookupNotFoundGrace)
		if err != nil || ep == nil || ep.State != "available" {
			t.Fatalf("got %v, %v; want the endpoint once EC2 shows it", ep, err)
		}
	})
	t.Run("never known", func(t *testing.T) {
		f := &fakeEC2{describeEndpoints: scriptedStates("vpce-1", "")}
		p, _ := testPoller()
		_, err := findEndpointEventually(context.Background(), newTestClient(f), p, "vpce-1", lookupNotFoundGrace)
		if !isNotFound(err) {
			t.Fatalf("got %v, want not found", err)
		}
	})
	t.Run("deleted", func(t *testing.T) {
		calls := 0
		f := &fakeEC2{describeEndpoints: func(ids []string) ([]types.VpcEndpoint, error) {
			calls++
			return scriptedStates("vpce-1", "deleted")(ids)
		}}
		p, _ := testPoller()
		_, err := findEndpointEventually(context.Background(), newTestClient(f), p, "vpce-1", lookupNotFoundGrace)
		if !isNotFound(err) || calls != 1 {
			t.Fatalf("got %v after %d calls, want not found after 1", err, calls)
		}
	})
}
