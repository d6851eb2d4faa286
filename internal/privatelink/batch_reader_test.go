package privatelink

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// knownEndpoints answers DescribeVpcEndpoints the way EC2 does: the whole
// call fails when any one ID is unknown.
func knownEndpoints(known ...string) func([]string) ([]types.VpcEndpoint, error) {
	return func(ids []string) ([]types.VpcEndpoint, error) {
		var out []types.VpcEndpoint
		for _, id := range ids {
			if !slices.Contains(known, id) {
				return nil, apiError("InvalidVpcEndpointId.NotFound", "The VpcEndpoint Id '"+id+"' does not exist")
			}
			out = append(out, endpoint(id, "available"))
		}
		return out, nil
	}
}

func TestBatchReader_concurrentReadsShareOneCall(t *testing.T) {
	var ids []string
	for i := range 100 {
		ids = append(ids, fmt.Sprintf("vpce-%03d", i))
	}
	f := &fakeEC2{describeEndpoints: knownEndpoints(ids...)}
	d := newTestClient(f)
	var wg sync.WaitGroup
	errs := make([]error, len(ids))
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = findEndpointByID(context.Background(), d, id)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("%s: %v", ids[i], err)
		}
	}
	// 100 IDs fit in one call; goroutines that start late may need a second.
	if n := f.callCount("DescribeVpcEndpoints"); n > 2 {
		t.Errorf("100 concurrent reads made %d calls, want at most 2", n)
	}
}

func TestBatchReader_oneMissingIDDoesNotFailTheOthers(t *testing.T) {
	f := &fakeEC2{describeEndpoints: knownEndpoints("vpce-a", "vpce-b", "vpce-d")}
	d := newTestClient(f)
	found, err := d.endpoints.getAll(context.Background(), []string{"vpce-a", "vpce-b", "vpce-c", "vpce-d"})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"vpce-a", "vpce-b", "vpce-d"} {
		if _, ok := found[id]; !ok {
			t.Errorf("%s missing from %v", id, found)
		}
	}
	if _, ok := found["vpce-c"]; ok {
		t.Error("vpce-c reported found")
	}
	if _, err := d.endpoints.get(context.Background(), "vpce-c"); !isNotFound(err) {
		t.Errorf("get(vpce-c) error = %v, want not found", err)
	}
}

func TestBatchReader_otherErrorsReachEveryCaller(t *testing.T) {
	f := &fakeEC2{describeEndpoints: func([]string) ([]types.VpcEndpoint, error) {
		return nil, apiError("UnauthorizedOperation", "You are not authorized to perform this operation.")
	}}
	_, err := findEndpointByID(context.Background(), newTestClient(f), "vpce-a")
	if err == nil || isNotFound(err) || errorCode(err) != "UnauthorizedOperation" {
		t.Fatalf("error = %v, want UnauthorizedOperation", err)
	}
}

// EC2 fails a whole call for one malformed ID: only the caller that asked
// for that ID may see the error, never the others batched with it.
func TestBatchReader_malformedIDFailsOnlyItsCaller(t *testing.T) {
	f := &fakeEC2{describeEndpoints: func(ids []string) ([]types.VpcEndpoint, error) {
		var out []types.VpcEndpoint
		for _, id := range ids {
			if id == "vpce-0A1B" {
				return nil, apiError(codeEndpointMalformed, `Invalid id: "vpce-0A1B"`)
			}
			out = append(out, endpoint(id, "available"))
		}
		return out, nil
	}}
	d := newTestClient(f)
	var wg sync.WaitGroup
	errs := map[string]error{}
	var mu sync.Mutex
	for _, id := range []string{"vpce-good1", "vpce-0A1B", "vpce-good2"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := findEndpointByID(context.Background(), d, id)
			mu.Lock()
			errs[id] = err
			mu.Unlock()
		}()
	}
	wg.Wait()
	if errs["vpce-good1"] != nil || errs["vpce-good2"] != nil {
		t.Errorf("well-formed IDs failed with the malformed one: %v", errs)
	}
	var bad *MalformedIDError
	if !errors.As(errs["vpce-0A1B"], &bad) || bad.ID != "vpce-0A1B" {
		t.Errorf("malformed ID error = %v, want a MalformedIDError naming it", errs["vpce-0A1B"])
	}
}

// An ID on a later page is not missing.
func TestBatchReader_followsNextToken(t *testing.T) {
	var ids []string
	for i := range 7 {
		ids = append(ids, fmt.Sprintf("vpce-%03d", i))
	}
	f := &fakeEC2{describeEndpoints: knownEndpoints(ids...), endpointPageSize: 2}
	found, err := newTestClient(f).endpoints.getAll(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != len(ids) {
		t.Errorf("found %d of %d endpoints answered in pages of 2", len(found), len(ids))
	}
	if n := f.callCount("DescribeVpcEndpoints"); n != 4 {
		t.Errorf("%d calls, want 4 pages", n)
	}
}

// The shared call must not run on the context of the caller that opened the
// batch: when that caller gives up, the others still get their answer.
func TestBatchReader_firstCallerCancellingDoesNotFailOthers(t *testing.T) {
	release := make(chan struct{})
	f := &fakeEC2{describeEndpoints: func(ids []string) ([]types.VpcEndpoint, error) {
		<-release
		var out []types.VpcEndpoint
		for _, id := range ids {
			out = append(out, endpoint(id, "available"))
		}
		return out, nil
	}}
	d := newTestClient(f)
	first, cancel := context.WithCancel(context.Background())
	firstDone := make(chan error, 1)
	go func() { _, err := findEndpointByID(first, d, "vpce-1"); firstDone <- err }()
	secondDone := make(chan error, 1)
	go func() { _, err := findEndpointByID(context.Background(), d, "vpce-1"); secondDone <- err }()
	time.Sleep(20 * time.Millisecond) // both wait on the one call
	cancel()
	if err := <-firstDone; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller got %v", err)
	}
	close(release)
	if err := <-secondDone; err != nil {
		t.Errorf("the other caller failed with the first one's cancellation: %v", err)
	}
}
