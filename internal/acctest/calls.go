package acctest

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Calls is a stretch of the emulator's request log, for tests that count
// what the provider asked of AWS.
type Calls []APIRequest

// CallsSince reads the request log after mark (see Emulator.Mark).
func CallsSince(ctx context.Context, e *Emulator, mark int) (Calls, error) {
	reqs, _, err := e.Requests(ctx, mark)
	return reqs, err
}

// FromProvider keeps the provider's calls to one AWS service ("ec2",
// "sts"), leaving out the test fixture's.
func (cs Calls) FromProvider(service string) Calls {
	var out Calls
	for _, c := range cs {
		if c.FromProvider() && c.Service == service {
			out = append(out, c)
		}
	}
	return out
}

// Count is the number of calls of one action, such as "CreateVpcEndpoint".
func (cs Calls) Count(action string) int {
	n := 0
	for _, c := range cs {
		if c.Action == action {
			n++
		}
	}
	return n
}

// Retries counts the calls whose answer failed: any with an error code
// (throttling, 5xx, but also a NotFound or InvalidParameter), with no
// status logged (0: the emulator recorded no answer), with a 5xx status,
// or with 429. Those are every answer the SDK's retryer retries plus the
// failures it gives up on at once, so this is an upper bound on the calls
// that were retries of an earlier one.
func (cs Calls) Retries() int {
	n := 0
	for _, c := range cs {
		if c.ErrorCode != "" || c.Status == 0 || c.Status >= 500 || c.Status == 429 {
			n++
		}
	}
	return n
}

// Table lists the calls per service and action (and error code, if any),
// most frequent first, one line each.
func (cs Calls) Table() string {
	counts := map[string]int{}
	for _, c := range cs {
		key := c.Service + " " + c.Action
		if c.ErrorCode != "" {
			key += " -> " + c.ErrorCode
		}
		counts[key]++
	}
	keys := slices.SortedFunc(maps.Keys(counts), func(a, b string) int {
		return cmp.Or(counts[b]-counts[a], strings.Compare(a, b))
	})
	var s strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&s, "    %6d  %s\n", counts[k], k)
	}
	return s.String()
}
