package bench

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// notice is how soon the provider saw its new endpoint available.
type notice struct {
	// polls are the provider's DescribeVpcEndpoints calls after its
	// CreateVpcEndpoint, as offsets from it; the wait ends with the last.
	polls []time.Duration
	// overshoot is from the endpoint turning available to the last poll.
	overshoot time.Duration
}

// noticeAvailable reads, from the provider's EC2 calls during an apply that
// created one endpoint, how long after the endpoint turned available
// (availableAfter after its CreateVpcEndpoint) the provider's wait ended.
// With one endpoint nothing describes it after the wait, so the last
// DescribeVpcEndpoints is the one that saw it available.
func noticeAvailable(cs acctest.Calls, availableAfter time.Duration) (notice, error) {
	creates := slices.DeleteFunc(slices.Clone(cs), func(c acctest.APIRequest) bool { return c.Action != "CreateVpcEndpoint" })
	if len(creates) != 1 {
		return notice{}, fmt.Errorf("expected one CreateVpcEndpoint among the provider's calls, got %d", len(creates))
	}
	var n notice
	for _, c := range cs {
		if c.Action == "DescribeVpcEndpoints" && c.Time > creates[0].Time {
			n.polls = append(n.polls, seconds(c.Time-creates[0].Time).Round(time.Millisecond))
		}
	}
	slices.Sort(n.polls)
	// The log has when the emulator began a call, not when it answered:
	// a call that queued for the emulator's lock while the endpoint turned
	// available began up to lockWait before it, and saw it available.
	const lockWait = time.Second
	if len(n.polls) == 0 || n.polls[len(n.polls)-1] < availableAfter-lockWait {
		return n, fmt.Errorf("the provider stopped polling (%v) before the endpoint turned available at %v", n.polls, availableAfter)
	}
	n.overshoot = max(0, n.polls[len(n.polls)-1]-availableAfter)
	return n, nil
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// report adds up per-iteration figures and reports them per iteration:
// means, except peaks which are maxima.
type report struct {
	sums, peaks map[string]float64
}

func newReport() *report { return &report{sums: map[string]float64{}, peaks: map[string]float64{}} }

func (r *report) add(unit string, v float64)  { r.sums[unit] += v }
func (r *report) peak(unit string, v float64) { r.peaks[unit] = max(r.peaks[unit], v) }

func (r *report) emit(b *testing.B) {
	for unit, v := range r.sums {
		b.ReportMetric(v/float64(b.N), unit)
	}
	for unit, v := range r.peaks {
		b.ReportMetric(v, unit)
	}
}
