package privatelink

import (
	"context"
	"maps"
	"sync"
	"time"
)

// batcher merges concurrent calls about many IDs into one API call:
// Terraform plans, refreshes, creates and waits on many endpoints at once,
// and EC2 takes many IDs (or filter values) per call.
//
// It works like a group commit. The first caller opens a batch and waits
// window for others to join; then one call is made for all of them. Callers
// that arrive while that call is in flight form the next batch, which also
// waits window after the call returns, so that the callers the answer sets
// free can ask again in time to join it (Terraform starts the next resource
// as soon as one finishes). So at most one call per batcher is in flight,
// and the slower EC2 answers, the more callers share each call.
//
// The call runs on a context of its own (no single caller can cancel it) and
// each caller waits on its own context. An ID missing from the answer is
// reported as not found.
type batcher[T any] struct {
	kind   string
	window time.Duration
	fetch  batchFetch[T]

	mu      sync.Mutex
	waiting map[string][]chan batchResult[T]
	starter context.Context // of the caller that opened the waiting batch
	running bool            // a flush is scheduled or in flight
}

// batchFetch makes the call for many IDs at once. IDs that do not exist are
// absent from found; err fails them all.
type batchFetch[T any] func(ctx context.Context, ids []string) (found map[string]T, err error)

type batchResult[T any] struct {
	value T
	err   error
}

func newBatcher[T any](kind string, window time.Duration, fetch batchFetch[T]) *batcher[T] {
	return &batcher[T]{kind: kind, window: window, fetch: fetch}
}

// get returns the item with this ID, or a NotFoundError.
func (b *batcher[T]) get(ctx context.Context, id string) (T, error) {
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
func (b *batcher[T]) getAll(ctx context.Context, ids []string) (map[string]T, error) {
	chans := make(map[string]chan batchResult[T], len(ids))
	b.mu.Lock()
	if b.waiting == nil {
		b.waiting, b.starter = map[string][]chan batchResult[T]{}, ctx
	}
	for _, id := range ids {
		if _, dup := chans[id]; dup {
			continue
		}
		ch := make(chan batchResult[T], 1)
		chans[id] = ch
		b.waiting[id] = append(b.waiting[id], ch)
	}
	if !b.running && len(chans) > 0 {
		b.running = true
		time.AfterFunc(b.window, b.flush)
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

// flush makes one call for every waiting caller, then schedules the next
// batch if callers arrived meanwhile.
func (b *batcher[T]) flush() {
	b.mu.Lock()
	waiting, starter := b.waiting, b.starter
	b.waiting, b.starter = nil, nil
	b.mu.Unlock()
	b.call(starter, waiting)

	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.waiting) == 0 {
		b.running = false
		return
	}
	time.AfterFunc(b.window, b.flush)
}

// call makes one call for the waiting callers and hands out the answers.
// Only the values of starter's context (the logger) are kept, not its
// deadline or cancellation.
func (b *batcher[T]) call(starter context.Context, waiting map[string][]chan batchResult[T]) {
	ids := make([]string, 0, len(waiting))
	for id := range waiting {
		ids = append(ids, id)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(starter), lookupTimeout)
	defer cancel()
	found, err := b.fetch(ctx, ids)
	for id, chans := range waiting {
		r := batchResult[T]{err: err}
		if err == nil {
			var ok bool
			if r.value, ok = found[id]; !ok {
				r.err = &NotFoundError{Kind: b.kind, ID: id}
			}
		}
		for _, ch := range chans {
			ch <- r
		}
	}
}

// maxIDsPerCall keeps each call well inside EC2's limits on the IDs, or
// the values of one filter, that a call may name.
const maxIDsPerCall = 100

// chunked makes a batch's calls maxIDsPerCall IDs at a time.
func chunked[T any](fetch batchFetch[T]) batchFetch[T] {
	return func(ctx context.Context, ids []string) (map[string]T, error) {
		found := make(map[string]T, len(ids))
		for start := 0; start < len(ids); start += maxIDsPerCall {
			got, err := fetch(ctx, ids[start:min(start+maxIDsPerCall, len(ids))])
			if err != nil {
				return nil, err
			}
			maps.Copy(found, got)
		}
		return found, nil
	}
}
