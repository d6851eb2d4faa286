package awsclient

import (
	"context"
	"sync"
)

// Memo remembers lookups whose answers do not change during one provider
// process (an endpoint service's details, a subnet's zone), so that many
// resources planned together share one API call. Concurrent callers of the
// same key wait for the one call in flight. Failures are not remembered:
// the next caller tries again.
type Memo struct {
	mu      sync.Mutex
	entries map[string]*memoEntry
}

type memoEntry struct {
	done  chan struct{}
	value any
	err   error
}

// Do returns the remembered value for key, or calls fetch once to get it.
func (m *Memo) Do(ctx context.Context, key string, fetch func(context.Context) (any, error)) (any, error) {
	m.mu.Lock()
	if m.entries == nil {
		m.entries = map[string]*memoEntry{}
	}
	if e, ok := m.entries[key]; ok {
		m.mu.Unlock()
		select {
		case <-e.done:
			return e.value, e.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	e := &memoEntry{done: make(chan struct{})}
	m.entries[key] = e
	m.mu.Unlock()

	e.value, e.err = fetch(ctx)
	if e.err != nil {
		m.mu.Lock()
		delete(m.entries, key)
		m.mu.Unlock()
	}
	close(e.done)
	return e.value, e.err
}
