package privatelink

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

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
	d := newTestDeps(f)
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
	d := newTestDeps(f)
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
	_, err := findEndpointByID(context.Background(), newTestDeps(f), "vpce-a")
	if err == nil || isNotFound(err) || errorCode(err) != "UnauthorizedOperation" {
		t.Fatalf("error = %v, want UnauthorizedOperation", err)
	}
}
