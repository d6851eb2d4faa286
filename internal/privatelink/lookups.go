package privatelink

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// lookupTimeout bounds one shared look-up. It runs on a context of its own,
// detached from the caller that started it, so that a caller giving up
// (its plan cancelled, its timeout reached) does not fail the others
// waiting on the same answer; each caller still waits on its own context.
const lookupTimeout = 2 * time.Minute

// lookups shares read-only EC2 look-ups between the resources and data
// sources of one provider process: concurrent callers of one key share the
// call in flight, and facts that never change (an endpoint service's
// details, a subnet's zone and VPC) are remembered after the first answer.
type lookups struct {
	inflight singleflight.Group
	facts    sync.Map // key -> value of a look-up whose answer never changes
}

// shared runs fetch once for all concurrent callers of key. Nothing is
// remembered: the next caller asks EC2 again, for things a person can
// change (security group rules, VPC attributes, endpoint state).
func shared[T any](ctx context.Context, l *lookups, key string, fetch func(context.Context) (T, error)) (T, error) {
	ch := l.inflight.DoChan(key, func() (any, error) {
		detached, cancel := context.WithTimeout(context.WithoutCancel(ctx), lookupTimeout)
		defer cancel()
		return fetch(detached)
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			var zero T
			return zero, r.Err
		}
		return r.Val.(T), nil
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// fact is shared for answers that never change: the first success is
// remembered for the life of the process (failures are not). The answer is
// stored before the shared call ends, and a caller that missed it by a
// hair finds it there instead of asking again.
func fact[T any](ctx context.Context, l *lookups, key string, fetch func(context.Context) (T, error)) (T, error) {
	if v, ok := l.facts.Load(key); ok {
		return v.(T), nil
	}
	return shared(ctx, l, key, func(ctx context.Context) (T, error) {
		if v, ok := l.facts.Load(key); ok {
			return v.(T), nil
		}
		v, err := fetch(ctx)
		if err == nil {
			l.facts.Store(key, v)
		}
		return v, err
	})
}
