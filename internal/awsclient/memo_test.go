package awsclient

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

func TestMemo_concurrentCallersShareOneFetch(t *testing.T) {
	var m Memo
	var calls atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	results := make([]any, 20)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _ = m.Do(context.Background(), "svc", func(context.Context) (any, error) {
				calls.Add(1)
				<-release
				return "details", nil
			})
		}()
	}
	close(release)
	wg.Wait()
	if calls.Load() != 1 {
		t.Errorf("fetch ran %d times, want 1", calls.Load())
	}
	for i, r := range results {
		if r != "details" {
			t.Errorf("caller %d got %v", i, r)
		}
	}
}

func TestMemo_failuresAreRetried(t *testing.T) {
	var m Memo
	calls := 0
	fetch := func(context.Context) (any, error) {
		calls++
		if calls == 1 {
			return nil, errors.New("throttled")
		}
		return calls, nil
	}
	if _, err := m.Do(context.Background(), "k", fetch); err == nil {
		t.Fatal("first call: want the fetch error")
	}
	v, err := m.Do(context.Background(), "k", fetch)
	if err != nil || v != 2 {
		t.Fatalf("second call = %v, %v; want 2, nil", v, err)
	}
	if v, _ := m.Do(context.Background(), "k", fetch); v != 2 || calls != 2 {
		t.Errorf("third call = %v after %d fetches; want the remembered 2 after 2", v, calls)
	}
}
