package privatelink

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// A caller that gives up must not fail the others waiting on the same
// look-up, and each caller waits on its own context.
func TestShared_cancelledCallerDoesNotFailOthers(t *testing.T) {
	var l lookups
	release := make(chan struct{})
	var calls atomic.Int32
	fetch := func(ctx context.Context) (string, error) {
		calls.Add(1)
		select {
		case <-release:
			return "answer", nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	first, cancel := context.WithCancel(context.Background())
	firstDone := make(chan error, 1)
	go func() { _, err := shared(first, &l, "k", fetch); firstDone <- err }()
	time.Sleep(10 * time.Millisecond)
	secondDone := make(chan string, 1)
	go func() { v, _ := shared(context.Background(), &l, "k", fetch); secondDone <- v }()
	time.Sleep(10 * time.Millisecond)
	cancel()
	if err := <-firstDone; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller got %v, want context.Canceled", err)
	}
	close(release)
	if v := <-secondDone; v != "answer" {
		t.Errorf("second caller got %q, want the shared answer", v)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d fetches, want 1 shared", n)
	}
}

// Only facts are remembered; shared look-ups ask again each time.
func TestFactRemembersSharedDoesNot(t *testing.T) {
	var l lookups
	var calls atomic.Int32
	fetch := func(context.Context) (int32, error) { return calls.Add(1), nil }
	for range 3 {
		if _, err := fact(context.Background(), &l, "f", fetch); err != nil {
			t.Fatal(err)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("fact fetched %d times, want 1", n)
	}
	for range 2 {
		_, _ = shared(context.Background(), &l, "s", fetch)
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("shared look-ups were remembered: %d fetches, want 3", n)
	}
}
