package privatelink

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// knownEndpoints answers DescribeVpcEndpoints by filter the way EC2 does:
// unknown IDs are left out of the answer.
func knownEndpoints(known ...string) func([]string) ([]types.VpcEndpoint, error) {
	return func(ids []string) ([]types.VpcEndpoint, error) {
		var out []types.VpcEndpoint
		for _, id := range ids {
			if slices.Contains(known, id) {
				out = append(out, endpoint(id, "available"))
			}
		}
		return out, nil
	}
}

func TestBatcher_concurrentReadsShareOneCall(t *testing.T) {
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

// An endpoint EC2 does not know (yet) costs no extra call and fails no
// other caller.
func TestBatcher_unknownIDsCostNoExtraCall(t *testing.T) {
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
	if n := f.callCount("DescribeVpcEndpoints"); n != 1 {
		t.Errorf("%d calls for four IDs, one unknown; want 1", n)
	}
	if _, err := d.endpoints.get(context.Background(), "vpce-c"); !isNotFound(err) {
		t.Errorf("get(vpce-c) error = %v, want not found", err)
	}
	if got := filterValues(f.endpointFilters[0], "vpc-endpoint-id"); len(got) != 4 {
		t.Errorf("asked with vpc-endpoint-id = %v, want the four IDs", got)
	}
}

func TestBatcher_otherErrorsReachEveryCaller(t *testing.T) {
	f := &fakeEC2{describeEndpoints: func([]string) ([]types.VpcEndpoint, error) {
		return nil, apiError("UnauthorizedOperation", "You are not authorized to perform this operation.")
	}}
	_, err := findEndpointByID(context.Background(), newTestClient(f), "vpce-a")
	if err == nil || isNotFound(err) || errorCode(err) != "UnauthorizedOperation" {
		t.Fatalf("error = %v, want UnauthorizedOperation", err)
	}
}

// An ID on a later page is not missing.
func TestBatcher_followsNextToken(t *testing.T) {
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
func TestBatcher_firstCallerCancellingDoesNotFailOthers(t *testing.T) {
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

// Callers that arrive while a call is in flight share the next call: the
// slower EC2 answers, the bigger the batches.
func TestBatcher_callersDuringACallShareTheNext(t *testing.T) {
	inFirst, release := make(chan struct{}), make(chan struct{})
	var sizes []int
	f := &fakeEC2{}
	f.describeEndpoints = func(ids []string) ([]types.VpcEndpoint, error) {
		sizes = append(sizes, len(ids)) // calls never overlap: no lock needed
		if len(sizes) == 1 {
			close(inFirst)
			<-release
		}
		return knownEndpoints(ids...)(ids)
	}
	d := newTestClient(f)
	first := make(chan error, 1)
	go func() { _, err := findEndpointByID(context.Background(), d, "vpce-first"); first <- err }()
	<-inFirst
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := findEndpointByID(context.Background(), d, fmt.Sprintf("vpce-%02d", i)); err != nil {
				t.Error(err)
			}
		}()
	}
	time.Sleep(50 * time.Millisecond) // all 20 are waiting behind the first call
	close(release)
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sizes, []int{1, 20}) {
		t.Errorf("calls asked for %v IDs, want [1 20]: one call for the first caller, one for all that came during it", sizes)
	}
}

// Existing-endpoint look-ups of many resources are one listing, with every
// VPC and service as filter values; each caller gets only its own pair's
// live endpoints.
func TestFindEndpointsOfService_batchesPairs(t *testing.T) {
	inPair := func(id, vpc, svc string, state types.State) types.VpcEndpoint {
		ep := endpoint(id, state)
		ep.VpcId, ep.ServiceName = aws.String(vpc), aws.String(svc)
		return ep
	}
	f := &fakeEC2{describeEndpoints: func([]string) ([]types.VpcEndpoint, error) {
		return []types.VpcEndpoint{ // what a lax EC2 may answer: the filters' cross product and more
			inPair("vpce-1a", "vpc-1", "svc-a", "available"),
			inPair("vpce-1b", "vpc-1", "svc-b", "available"),
			inPair("vpce-2a", "vpc-2", "svc-a", "pending"),
			inPair("vpce-2a-old", "vpc-2", "svc-a", "deleted"),
			inPair("vpce-2b", "vpc-2", "svc-b", "available"), // a pair nobody asked for
		}, nil
	}}
	d := newTestClient(f)
	pairs := [][2]string{{"vpc-1", "svc-a"}, {"vpc-1", "svc-b"}, {"vpc-2", "svc-a"}, {"vpc-3", "svc-a"}}
	want := [][]string{{"vpce-1a"}, {"vpce-1b"}, {"vpce-2a"}, nil}
	got := make([][]string, len(pairs))
	var wg sync.WaitGroup
	for i, p := range pairs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			eps, err := findEndpointsOfService(context.Background(), d, p[0], p[1])
			if err != nil {
				t.Error(err)
			}
			for _, ep := range eps {
				got[i] = append(got[i], aws.ToString(ep.VpcEndpointId))
			}
		}()
	}
	wg.Wait()
	for i := range pairs {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("%v: got %v, want %v", pairs[i], got[i], want[i])
		}
	}
	if n := f.callCount("DescribeVpcEndpoints"); n != 1 {
		t.Fatalf("%d calls for four concurrent look-ups, want 1", n)
	}
	vpcs, services := filterValues(f.endpointFilters[0], "vpc-id"), filterValues(f.endpointFilters[0], "service-name")
	slices.Sort(vpcs)
	slices.Sort(services)
	if !slices.Equal(vpcs, []string{"vpc-1", "vpc-2", "vpc-3"}) || !slices.Equal(services, []string{"svc-a", "svc-b"}) {
		t.Errorf("filters vpc-id = %v, service-name = %v; want each VPC and service once", vpcs, services)
	}
}

// Markers of many endpoints go in one DeleteTags call. When EC2 does not
// know one of them yet and refuses the call, each is tried alone, and only
// the unknown one is reported not found (to be tried again).
func TestClearCreationMarkers_batchesAndIsolatesUnknown(t *testing.T) {
	var calls [][]string
	var mu sync.Mutex
	f := &fakeEC2{deleteTags: func(ids []string) error {
		mu.Lock()
		calls = append(calls, slices.Clone(ids))
		mu.Unlock()
		if slices.Contains(ids, "vpce-young") {
			return apiError(codeEndpointNotFound, "The vpcEndpoint ID 'vpce-young' does not exist")
		}
		return nil
	}}
	d := newTestClient(f)
	found, err := d.markers.getAll(context.Background(), []string{"vpce-1", "vpce-young", "vpce-2"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := found["vpce-young"]; ok || len(found) != 2 {
		t.Errorf("cleared %v; want vpce-1 and vpce-2, not vpce-young", found)
	}
	if len(calls) != 4 || len(calls[0]) != 3 {
		t.Errorf("DeleteTags calls %v; want one for all three, then one each", calls)
	}

	calls = nil
	if _, err := d.markers.getAll(context.Background(), []string{"vpce-3", "vpce-4"}); err != nil || len(calls) != 1 {
		t.Errorf("known endpoints: calls %v, error %v; want one call", calls, err)
	}
}
