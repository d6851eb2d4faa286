package privatelink

import (
	"context"
	"sync"
	"time"
)

// batchReader merges concurrent look-ups by ID into one API call: Terraform
// refreshes and waits on many endpoints at once, and EC2 describes up to
// hundreds of IDs per call. Callers that arrive within window of each other
// share a call. An ID missing from the answer is reported as not found.
type batchReader[T any] struct {
	kind   string
	window time.Duration
	// fetch describes many IDs at once; IDs it cannot find are simply
	// absent from the result, never an error.
	fetch func(ctx context.Context, ids []string) (map[string]T, error)

	mu      sync.Mutex
	waiting map[string][]chan batchResult[T]
}

type batchResult[T any] struct {
	value T
	err   error
}

// batchCallTimeout bounds one shared call, which no single caller's context
// governs (it outlives callers that give up).
const batchCallTimeout = 2 * time.Minute

func newBatchReader[T any](kind string, window time.Duration, fetch func(context.Context, []string) (map[string]T, error)) *batchReader[T] {
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

// getAll returns the items found among ids, in one shared call; IDs that
// do not exist are absent from the map.
func (b *batchReader[T]) getAll(ctx context.Context, ids []string) (map[string]T, error) {
	chans := make(map[string]chan batchResult[T], len(ids))
	b.mu.Lock()
	if b.waiting == nil {
		b.waiting = map[string][]chan batchResult[T]{}
		time.AfterFunc(b.window, b.flush)
	}
	for _, id := range ids {
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

func (b *batchReader[T]) flush() {
	b.mu.Lock()
	waiting := b.waiting
	b.waiting = nil
	b.mu.Unlock()

	ids := make([]string, 0, len(waiting))
	for id := range waiting {
		ids = append(ids, id)
	}
	ctx, cancel := context.WithTimeout(context.Background(), batchCallTimeout)
	defer cancel()
	found, err := b.fetch(ctx, ids)
	for id, chans := range waiting {
		r := batchResult[T]{err: err}
		if err == nil {
			v, ok := found[id]
			r.value = v
			if !ok {
				r.err = &NotFoundError{Kind: b.kind, ID: id}
			}
		}
		for _, ch := range chans {
			ch <- r
		}
	}
}
