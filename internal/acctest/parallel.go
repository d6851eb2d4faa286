package acctest

import (
	"errors"
	"sync"
)

// Parallel runs fn(0), ..., fn(n-1) on at most workers goroutines and
// joins their errors. Fixtures of many VPCs use it: one at a time takes
// minutes, all at once floods the emulator (or AWS's rate limits).
func Parallel(n, workers int, fn func(i int) error) error {
	errs := make([]error, n)
	sem := make(chan struct{}, max(workers, 1))
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = fn(i)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
