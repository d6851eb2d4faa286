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
type poller struct {
	clock  clock
	first  time.Duration
	growth float64
	max    time.Duration
}

var defaultPoller = poller{clock: realClock{}, first: 500 * time.Millisecond, growth: 0.08, max: 30 * time.Second}

func (p poller) interval(elapsed time.Duration) time.Duration {
	return min(p.first+time.Duration(p.growth*float64(elapsed)), p.max)
}

// errWaitTimeout marks a wait that ran out of time rather than failed.
var errWaitTimeout = errors.New("timed out")

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
				return errWaitTimeout
			case <-p.clock.After(p.interval(p.clock.Now().Sub(start))):
			}
		}
		done, err := check(ctx)
		if err != nil && ctx.Err() != nil {
			return errWaitTimeout // the call was cut short by the deadline
		}
		if err != nil || done {
			return err
		}
	}
}

const (
	// notFoundTolerance covers EC2's eventual consistency: right after a
	// create, describe may not know the endpoint yet.
	notFoundTolerance = 5
	// acceptanceGrace is how long a create keeps watching an endpoint that
	// waits for the service owner to accept it, in case EngFlow accepts
	// automatically. After that the endpoint is saved with a warning and the
	// next apply finishes the job.
	acceptanceGrace = 20 * time.Second
)

// failedStates end a wait at once: the endpoint will not become usable.
var failedStates = []string{"failed", "rejected", "expired", "partial", "deleting", "deleted"}

// waitForEndpointSettled waits until the endpoint is available, or has
// waited grace in pendingAcceptance. It returns the last description EC2
// gave.
func waitForEndpointSettled(ctx context.Context, d *deps, p poller, id string, grace time.Duration) (*types.VpcEndpoint, error) {
	var last *types.VpcEndpoint
	var awaitingSince time.Time
	notFound := 0
	err := p.poll(ctx, func(ctx context.Context) (bool, error) {
		ep, err := findEndpointByID(ctx, d, id)
		if isNotFound(err) && notFound < notFoundTolerance && last == nil {
			notFound++
			return false, nil
		}
		if err != nil {
			return false, err
		}
		last = ep
		switch {
		case stateIs(ep.State, "available"):
			return true, nil
		case stateIs(ep.State, failedStates...):
			return false, endpointFailedError(ep)
		case stateIs(ep.State, "pendingAcceptance"):
			if awaitingSince.IsZero() {
				awaitingSince = p.clock.Now()
			}
			return p.clock.Now().Sub(awaitingSince) >= grace, nil
		}
		return false, nil
	})
	if errors.Is(err, errWaitTimeout) {
		return last, fmt.Errorf("%s %s is still %s: %w", kindEndpoint, id, lastState(last), err)
	}
	return last, err
}

// waitForEndpointGone waits until EC2 no longer reports the endpoint (or
// reports it deleted) and its network interfaces are gone, so that a subnet
// can be deleted in the same apply.
func waitForEndpointGone(ctx context.Context, d *deps, p poller, id string, eniIDs []string) error {
	remaining := eniIDs
	var last *types.VpcEndpoint
	endpointGone := false
	err := p.poll(ctx, func(ctx context.Context) (bool, error) {
		if !endpointGone {
			ep, err := findEndpointByID(ctx, d, id)
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
		found, err := d.enis.getAll(ctx, remaining)
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
	case !errors.Is(err, errWaitTimeout):
		return err
	case endpointGone:
		return fmt.Errorf("%s %s is deleted but its network interfaces %v still exist: %w", kindEndpoint, id, remaining, err)
	default:
		return fmt.Errorf("%s %s is still %s: %w", kindEndpoint, id, lastState(last), err)
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

func lastState(ep *types.VpcEndpoint) string {
	if ep == nil {
		return "not visible yet"
	}
	return string(ep.State)
}
