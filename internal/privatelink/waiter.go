package privatelink

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// clock lets unit tests run the waiter on virtual time.
type clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// poller paces a wait. Hand-written because the framework has no waiter and
// SDKv2's is off limits. The gap between two looks is a fixed first delay
// plus a fraction of the time already waited, capped: a change that took T
// is noticed within first + growth*T, i.e. within 10% of T plus under a
// second, while a long wait costs few calls. (The aws provider sleeps 5 s
// before its first look and then polls every 5 s or more.)
//
// Each look is then put off to the next tick of a grid of align, shared by
// every wait of the process: the looks of endpoints waited on together
// fall on the same ticks and share their describe calls (see batcher).
// That costs at most align more per look, which the budget above allows.
type poller struct {
	clock  clock
	first  time.Duration
	growth float64
	max    time.Duration
	align  time.Duration
	// settle: no look before this long after the wait began (notBefore).
	settle time.Duration
}

var defaultPoller = poller{clock: realClock{}, first: 500 * time.Millisecond, growth: 0.08, max: 30 * time.Second, align: 500 * time.Millisecond}

// createSettle is how long a wait for a new endpoint lets pass before its
// first look. Right after CreateVpcEndpoint EC2 may not list the endpoint
// yet (eventual consistency), and an interface endpoint is not available
// within a second, so an earlier look is all but sure to be spent for
// nothing (in make bench it was, every time). From 1.5 s on, anything that
// takes 0.9 s or more is still noticed within 10% of its time plus a
// second. (The aws provider waits 5 s.)
const createSettle = 1500 * time.Millisecond

// notBefore is p making no look before d has passed since the wait began.
func (p poller) notBefore(d time.Duration) poller {
	p.settle = d
	return p
}

func (p poller) interval(elapsed time.Duration) time.Duration {
	return min(p.first+time.Duration(p.growth*float64(elapsed)), p.max)
}

// sleep is how long to wait, at now, for the next look of a wait that
// started at start: the interval, stretched to the next tick of the grid.
func (p poller) sleep(now, start time.Time) time.Duration {
	wake := now.Add(p.interval(now.Sub(start)))
	if settled := start.Add(p.settle); wake.Before(settled) {
		wake = settled
	}
	if p.align > 0 {
		if over := wake.Sub(wake.Truncate(p.align)); over > 0 {
			wake = wake.Add(p.align - over)
		}
	}
	return wake.Sub(now)
}

// errWaitTimeout marks a wait that ran out of time; errWaitInterrupted one
// that was cancelled (Terraform was interrupted) rather than failed.
var (
	errWaitTimeout     = errors.New("timed out")
	errWaitInterrupted = errors.New("interrupted")
)

// waitEnded says why ctx ended a wait.
func waitEnded(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return errWaitInterrupted
	}
	return errWaitTimeout
}

// poll waits one interval, then calls check, until check reports done or an
// error, or ctx ends.
func (p poller) poll(ctx context.Context, check func(context.Context) (bool, error)) error {
	return p.run(ctx, false, check)
}

// retry is poll with the first call made at once.
func (p poller) retry(ctx context.Context, check func(context.Context) (bool, error)) error {
	return p.run(ctx, true, check)
}

func (p poller) run(ctx context.Context, immediate bool, check func(context.Context) (bool, error)) error {
	start := p.clock.Now()
	for first := true; ; first = false {
		if !first || !immediate {
			select {
			case <-ctx.Done():
				return waitEnded(ctx)
			case <-p.clock.After(p.sleep(p.clock.Now(), start)):
			}
		}
		done, err := check(ctx)
		if err != nil && ctx.Err() != nil {
			return waitEnded(ctx) // the call was cut short by the deadline
		}
		if err != nil || done {
			return err
		}
	}
}

const (
	// propagationTimeout is how long EC2 may keep an endpoint out of its
	// describe answers (eventual consistency): a new endpoint can be unknown
	// for a while, and unknown again after it was seen once. Waits tolerate
	// not-found answers for this long in a row, within the operation's own
	// timeout, as the aws provider does (its ec2PropagationTimeout).
	propagationTimeout = 5 * time.Minute
	// acceptanceGrace is how long a create keeps watching an endpoint that
	// waits for the service owner to accept it, in case EngFlow accepts
	// automatically. After that the endpoint is saved with a warning and the
	// next apply finishes the job. It never takes more than half of what is
	// left of the operation's timeout.
	acceptanceGrace = 20 * time.Second
)

// failedStates end a wait at once: the endpoint will not become usable.
var failedStates = []string{"failed", "rejected", "expired", "partial", "deleting", "deleted"}

// waitForEndpoint polls the endpoint until check reports done. Not-found
// answers are tolerated by time, before and after the first sighting, until
// the endpoint has been out of sight for propagationTimeout in a row. It
// returns the last description EC2 gave.
func waitForEndpoint(ctx context.Context, look endpointLookup, p poller, id string, check func(*types.VpcEndpoint) (bool, error)) (*types.VpcEndpoint, error) {
	return waitForEndpointUnseenFor(ctx, look, p, id, propagationTimeout, check)
}

// waitForEndpointUnseenFor is waitForEndpoint giving up after the endpoint
// was out of sight for unseenLimit in a row.
func waitForEndpointUnseenFor(ctx context.Context, look endpointLookup, p poller, id string, unseenLimit time.Duration,
	check func(*types.VpcEndpoint) (bool, error)) (*types.VpcEndpoint, error) {
	var last *types.VpcEndpoint
	var unseenSince time.Time
	err := p.poll(ctx, func(ctx context.Context) (bool, error) {
		ep, err := look(ctx, id)
		if mayBeLagging(err) {
			if unseenSince.IsZero() {
				unseenSince = p.clock.Now()
			}
			if p.clock.Now().Sub(unseenSince) < unseenLimit {
				return false, nil
			}
		}
		if err != nil {
			return false, err
		}
		unseenSince, last = time.Time{}, ep
		return check(ep)
	})
	return last, err
}

// waitForEndpointSettled waits until the endpoint is available and shows
// want (nil: anything), or has waited in pendingAcceptance for the grace
// period. A timeout while EngFlow has yet to accept is not a failure: the
// endpoint is as settled as it can get without EngFlow.
func waitForEndpointSettled(ctx context.Context, c *Client, p poller, id string, want *endpointSpec) (*types.VpcEndpoint, error) {
	return awaitSettled(ctx, c.lookByID, p, id, want)
}

// awaitSettled is waitForEndpointSettled looking through look.
func awaitSettled(ctx context.Context, look endpointLookup, p poller, id string, want *endpointSpec) (*types.VpcEndpoint, error) {
	grace := acceptanceGrace
	if deadline, ok := ctx.Deadline(); ok {
		grace = min(grace, deadline.Sub(p.clock.Now())/2)
	}
	var awaitingSince time.Time
	last, err := waitForEndpoint(ctx, look, p, id, func(ep *types.VpcEndpoint) (bool, error) {
		switch {
		case stateIs(ep.State, failedStates...):
			return false, endpointFailedError(ep)
		case want != nil && !shows(ep, *want):
			return false, nil // EC2 may still show the view from before a modify
		case stateIs(ep.State, "available"):
			return true, nil
		case stateIs(ep.State, "pendingAcceptance"):
			if awaitingSince.IsZero() {
				awaitingSince = p.clock.Now()
			}
			return p.clock.Now().Sub(awaitingSince) >= grace, nil
		}
		return false, nil
	})
	switch {
	case errors.Is(err, errWaitTimeout) && last != nil && stateIs(last.State, "pendingAcceptance") && (want == nil || shows(last, *want)):
		return last, nil
	case errors.Is(err, errWaitTimeout) || errors.Is(err, errWaitInterrupted):
		return last, fmt.Errorf("%s %s is still %s: %w", kindEndpoint, id, lastState(last, want), err)
	}
	return last, err
}

// findEndpointEventually is findEndpointByID for an endpoint that may have
// been created a moment ago: a not-found answer is asked again for up to
// grace, since EC2 may not show a new endpoint everywhere yet. A sure
// answer (deleted) or a lasting not-found is a NotFoundError.
func findEndpointEventually(ctx context.Context, c *Client, p poller, id string, grace time.Duration) (*types.VpcEndpoint, error) {
	ep, err := findEndpointByID(ctx, c, id)
	if !mayBeLagging(err) || grace <= 0 {
		return ep, err
	}
	return waitForEndpointUnseenFor(ctx, c.lookByID, p, id, grace, func(*types.VpcEndpoint) (bool, error) { return true, nil })
}

// waitForEndpointAvailable waits until the endpoint is available, however
// long EngFlow takes to accept it (within ctx).
func waitForEndpointAvailable(ctx context.Context, c *Client, p poller, id string) (*types.VpcEndpoint, error) {
	last, err := waitForEndpoint(ctx, c.lookByID, p, id, func(ep *types.VpcEndpoint) (bool, error) {
		if stateIs(ep.State, failedStates...) {
			return false, endpointFailedError(ep)
		}
		return stateIs(ep.State, "available"), nil
	})
	if errors.Is(err, errWaitTimeout) || errors.Is(err, errWaitInterrupted) {
		return last, fmt.Errorf("%s %s is still %s: %w", kindEndpoint, id, lastState(last, nil), err)
	}
	return last, err
}

// waitForEndpointGone waits until EC2 no longer reports the endpoint (or
// reports it deleted) and its network interfaces are gone, so that a subnet
// can be deleted in the same apply. A not-found answer may be EC2 lagging,
// but the interfaces only go once the deletion is done.
func waitForEndpointGone(ctx context.Context, c *Client, p poller, id string, eniIDs []string) error {
	remaining := eniIDs
	var last *types.VpcEndpoint
	endpointGone := false
	err := p.poll(ctx, func(ctx context.Context) (bool, error) {
		if !endpointGone {
			ep, err := findEndpointByID(ctx, c, id)
			switch {
			case err == nil:
				last = ep
				if stateIs(ep.State, "failed") {
					return false, endpointFailedError(ep)
				}
				return false, nil
			case !isNotFound(err):
				return false, err
			}
			endpointGone = true
		}
		found, err := c.enis.getAll(ctx, remaining)
		if err != nil {
			return false, err
		}
		var still []string
		for _, eni := range remaining {
			if _, ok := found[eni]; ok {
				still = append(still, eni)
			}
		}
		remaining = still
		return len(remaining) == 0, nil
	})
	switch {
	case !errors.Is(err, errWaitTimeout) && !errors.Is(err, errWaitInterrupted):
		return err
	case endpointGone:
		return fmt.Errorf("%s %s is deleted but its network interfaces %v still exist: %w", kindEndpoint, id, remaining, err)
	default:
		return fmt.Errorf("%s %s is still %s: %w", kindEndpoint, id, lastState(last, nil), err)
	}
}

func endpointFailedError(ep *types.VpcEndpoint) error {
	msg := fmt.Sprintf("%s %s is %s", kindEndpoint, aws.ToString(ep.VpcEndpointId), ep.State)
	if ep.LastError != nil {
		msg += fmt.Sprintf(": %s: %s", aws.ToString(ep.LastError.Code), aws.ToString(ep.LastError.Message))
	}
	if ep.FailureReason != nil {
		msg += " (" + aws.ToString(ep.FailureReason) + ")"
	}
	return errors.New(msg)
}

func lastState(ep *types.VpcEndpoint, want *endpointSpec) string {
	switch {
	case ep == nil:
		return "not visible yet"
	case want != nil && !shows(ep, *want):
		return string(ep.State) + " and does not show the requested change yet"
	}
	return string(ep.State)
}
