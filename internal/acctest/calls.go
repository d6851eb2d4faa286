package acctest

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// Calls is a stretch of the emulator's request log, for tests that count
// what the provider asked of AWS.
type Calls []APIRequest

// CallsSince reads the request log after mark (see Emulator.Mark).
func CallsSince(ctx context.Context, e *Emulator, mark int) (Calls, error) {
	reqs, _, err := e.Requests(ctx, mark)
	return reqs, err
}

// CheckCallsFromHere marks the request log now and returns a test step
// check that hands check the calls logged since: what a step's apply asked
// of AWS.
func CheckCallsFromHere(t *testing.T, e *Emulator, check func(Calls) error) resource.TestCheckFunc {
	t.Helper()
	mark, err := e.Mark(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return func(*terraform.State) error {
		cs, err := CallsSince(context.Background(), e, mark)
		if err != nil {
			return err
		}
		return check(cs)
	}
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

// Retried counts the calls the AWS SDK had to send again: those whose
// answer never arrived (the emulator logged no status, or the fault proxy
// reset the connection or lost the answer), throttled ones and 5xx or 429
// answers. NotFound and other client errors are not retried by the SDK
// (the provider's waits poll again on purpose) and do not count.
func (cs Calls) Retried() int {
	n := 0
	for _, c := range cs {
		lost := c.Status == 0 || c.Fault == string(FaultReset) || c.Fault == string(FaultLoseAnswer)
		if lost || c.Status >= 500 || c.Status == 429 || isThrottle(c.ErrorCode) {
			n++
		}
	}
	return n
}

// isThrottle reports whether the SDK's retryer treats code as throttling,
// whatever the HTTP status.
func isThrottle(code string) bool {
	_, ok := retry.DefaultThrottleErrorCodes[code]
	return ok
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
