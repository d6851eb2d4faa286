package acctest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// FaultKind is what the fault proxy does to one EC2 call instead of, or
// besides, passing it on.
type FaultKind string

// The faults EC2 and the network between it and a pipeline produce. The
// error codes and statuses are EC2's (EC2 API reference, "Error codes for
// the Amazon EC2 API"): RequestLimitExceeded comes with HTTP 503, and
// InternalError with 500.
const (
	// FaultThrottle answers 503 RequestLimitExceeded without passing the call on.
	FaultThrottle FaultKind = "throttle"
	// FaultInternalError answers 500 InternalError without passing the call on.
	FaultInternalError FaultKind = "internal-error"
	// FaultLatency waits FaultRule.Latency, then passes the call on.
	FaultLatency FaultKind = "latency"
	// FaultReset resets the connection without passing the call on.
	FaultReset FaultKind = "reset"
	// FaultLoseAnswer passes the call on, so EC2 carries it out, then
	// resets the connection instead of answering: the case that duplicates
	// a create whose retry is not idempotent.
	FaultLoseAnswer FaultKind = "lose-answer"
	// FaultDeny answers 403 UnauthorizedOperation without passing the call
	// on: an IAM policy that does not allow the action. EC2's wording, with
	// its opaque encoded message, as seen in the wild ("You are not
	// authorized to perform this operation. Encoded authorization failure
	// message: ...", Status Code: 403; aws-amplify/amplify-cli 10116).
	FaultDeny FaultKind = "deny"
)

// FaultRule says which EC2 calls get a fault. The first rule that fires
// for a call decides its fault; calls no rule fires for pass unharmed.
type FaultRule struct {
	Fault FaultKind
	// Actions are the EC2 actions the rule applies to; empty means all.
	Actions []string
	// Rate is the chance that a matching call gets the fault; 0 means every one.
	Rate float64
	// Count stops the rule after that many faults; 0 means no limit.
	Count int
	// OncePer names a request parameter (ClientToken, VpcEndpointId): the
	// rule fires at most once per distinct value of it, so that a retry of
	// the same call goes through.
	OncePer string
	// Latency is the delay of FaultLatency.
	Latency time.Duration
}

func (r FaultRule) validate() error {
	switch r.Fault {
	case FaultThrottle, FaultInternalError, FaultReset, FaultLoseAnswer, FaultDeny:
	case FaultLatency:
		if r.Latency <= 0 {
			return fmt.Errorf("a %s rule needs a positive Latency", r.Fault)
		}
	default:
		return fmt.Errorf("unknown fault %q", r.Fault)
	}
	if r.Rate < 0 || r.Rate > 1 {
		return fmt.Errorf("rate %v of a %s rule is not between 0 and 1", r.Rate, r.Fault)
	}
	return nil
}

// InjectedFault is one fault the proxy injected.
type InjectedFault struct {
	Fault  FaultKind
	Action string
	Time   time.Time
}

// faultPlan decides, rule by rule, which calls get which fault. It is
// seeded, so that a run's decisions can be repeated as far as the order of
// concurrent calls allows.
type faultPlan struct {
	mu       sync.Mutex
	rng      *rand.Rand
	rules    []FaultRule
	fired    []int             // faults per rule
	seen     []map[string]bool // OncePer values per rule that had their fault
	injected []InjectedFault
}

func newFaultPlan(seed uint64) *faultPlan {
	return &faultPlan{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} //nolint:gosec // test fault decisions, not secrets
}

// set replaces the rules and forgets what the old ones did.
func (p *faultPlan) set(rules []FaultRule) error {
	for _, r := range rules {
		if err := r.validate(); err != nil {
			return err
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = slices.Clone(rules)
	p.fired = make([]int, len(rules))
	p.seen = make([]map[string]bool, len(rules))
	for i := range p.seen {
		p.seen[i] = map[string]bool{}
	}
	return nil
}

// decide returns the rule that fires for a call of action with params.
func (p *faultPlan) decide(action string, params map[string][]string) (FaultRule, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, r := range p.rules {
		if len(r.Actions) > 0 && !slices.Contains(r.Actions, action) {
			continue
		}
		if r.Count > 0 && p.fired[i] >= r.Count {
			continue
		}
		key := ""
		if r.OncePer != "" {
			if key = firstValue(params, r.OncePer); key == "" || p.seen[i][key] {
				continue
			}
		}
		if r.Rate > 0 && p.rng.Float64() >= r.Rate {
			continue
		}
		p.fired[i]++
		if key != "" {
			p.seen[i][key] = true
		}
		p.injected = append(p.injected, InjectedFault{Fault: r.Fault, Action: action, Time: time.Now()})
		return r, true
	}
	return FaultRule{}, false
}

// report returns the faults injected so far.
func (p *faultPlan) report() []InjectedFault {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.injected)
}

func firstValue(params map[string][]string, key string) string {
	if v := params[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// CountFaults tallies injected faults by kind and action, e.g.
// "throttle DescribeVpcEndpoints" -> 12.
func CountFaults(faults []InjectedFault) map[string]int {
	out := map[string]int{}
	for _, f := range faults {
		out[string(f.Fault)+" "+f.Action]++
	}
	return out
}
