package privatelink

import (
	"context"
	"sync"
	"time"
)

// batchReader merges concurrent look-ups by ID into one API call: Terraform
// refreshes, plans and waits on many endpoints at once, and EC2 describes
// many IDs per call. Callers that arrive within window of each other share
// a call. The call runs on a context of its own (no single caller can cancel
// it) and each caller waits on its own context. An ID missing from the
// answer is reported as not found; an ID EC2 refused (malformed) fails only
// the callers that asked for it.
type batchReader[T any] struct {
	kind   string
	window time.Duration
	fetch  batchFetch[T]

	mu      sync.Mutex
	waiting map[string][]chan batchResult[T]
}

// batchFetch describes many IDs at once. IDs that do not exist are absent
// from found; idErrs holds IDs EC2 refused on their own; err fails them all.
type batchFetch[T any] func(ctx context.Context, ids []string) (found map[string]T, idErrs map[string]error, err error)

type batchResult[T any] struct {
	value T
	err   error
}

func newBatchReader[T any](kind string, window time.Duration, fetch batchFetch[T]) *batchReader[T] {
	return &batchReader[T]{kind: kind, window: window, fetch: fetch}
}

// get returns the item with this ID, or a NotFoundError.
func (b *batchReader[T]) get(ctx context.Context, id string) (T, error) {
	found, err := b.getAll(ctx, []string{id})
	if err != nil {
		var zero T
		return zero, err
	}
	v, ok := found[id]
	if !ok {
		return v, &NotFoundError{Kind: b.kind, ID: id}
	}
	return v, nil
}

// getAll returns the items found among ids; IDs that do not exist are
// absent from the map.
func (b *batchReader[T]) getAll(ctx context.Context, ids []string) (map[string]T, error) {
	chans := make(map[string]chan batchResult[T], len(ids))
	b.mu.Lock()
	if b.waiting == nil {
		b.waiting = map[string][]chan batchResult[T]{}
		time.AfterFunc(b.window, func() { b.flush(ctx) })
	}
	for _, id := range ids {
		if _, dup := chans[id]; dup {
			continue
		}
		ch := make(chan batchResult[T], 1)
		chans[id] = ch
		b.waiting[id] = append(b.waiting[id], ch)
	}
	b.mu.Unlock()

	found := make(map[string]T, len(ids))
	for id, ch := range chans {
		select {
		case r := <-ch:
			if r.err != nil && !isNotFound(r.err) {
				return nil, r.err
			}
			if r.err == nil {
				found[id] = r.value
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return found, nil
}

// flush makes the shared call. starter is the context of the caller that
// opened the batch: only its values (the logger) are kept, not its deadline
// or cancellation.
func (b *batchReader[T]) flush(starter context.Context) {
	b.mu.Lock()
	waiting := b.waiting
	b.waiting = nil
	b.mu.Unlock()

	ids := make([]string, 0, len(waiting))
	for id := range waiting {
		ids = append(ids, id)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(starter), lookupTimeout)
	defer cancel()
	found, idErrs, err := b.fetch(ctx, ids)
	for id, chans := range waiting {
		r := batchResult[T]{err: err}
		if err == nil {
			r.value, r.err = b.result(id, found, idErrs)
		}
		for _, ch := range chans {
			ch <- r
		}
	}
}

func (b *batchReader[T]) result(id string, found map[string]T, idErrs map[string]error) (T, error) {
	if err, bad := idErrs[id]; bad {
		var zero T
		return zero, err
	}
	v, ok := found[id]
	if !ok {
		return v, &NotFoundError{Kind: b.kind, ID: id}
	}
	return v, nil
}
