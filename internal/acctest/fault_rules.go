package acctest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// FaultKind is what the fault proxy does to one EC2 or Route 53 call
// instead of, or besides, passing it on.
type FaultKind string

// The faults EC2, Route 53 and the network between them and a pipeline
// produce. The EC2 error codes and statuses are EC2's (EC2 API reference,
// "Error codes for the Amazon EC2 API"): RequestLimitExceeded comes with
// HTTP 503, and InternalError with 500. Route 53's are in fault_route53.go.
const (
	// FaultThrottle answers without passing the call on: EC2's 503
	// RequestLimitExceeded, or Route 53's 400 Throttling "Rate exceeded".
	FaultThrottle FaultKind = "throttle"
	// FaultPriorRequestNotComplete answers Route 53's 400
	// PriorRequestNotComplete without passing the call on: Route 53 still
	// processing an earlier request for the same hosted zone. Only for the
	// Route 53 actions that document the error (route53PriorRequestActions).
	FaultPriorRequestNotComplete FaultKind = "prior-request-not-complete"
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

// The services the fault proxy harms, as the SigV4 credential scope names
// them. Calls of any other service (STS) pass unharmed.
const (
	ServiceEC2     = "ec2"
	ServiceRoute53 = "route53"
)

// OncePerCall, as a rule's OncePer, makes it fire at most once per
// distinct call: the same method, path, query and body, which is what the
// SDK sends again when it retries a call. Route 53's calls carry their
// parameters in an XML body, so this is how a rule fires once per change.
const OncePerCall = "(call)"

// FaultRule says which calls get a fault. The first rule that fires for a
// call decides its fault; calls no rule fires for pass unharmed.
type FaultRule struct {
	Fault FaultKind
	// Service is ServiceEC2 (also when empty) or ServiceRoute53: a rule
	// harms the calls of one service only.
	Service string
	// Actions are the service's actions the rule applies to; empty means
	// all. Route 53's are named as the emulator's request log names them
	// (route53Actions).
	Actions []string
	// Rate is the chance that a matching call gets the fault; 0 means every one.
	Rate float64
	// Count stops the rule after that many faults; 0 means no limit.
	Count int
	// OncePer names a request parameter (ClientToken, VpcEndpointId; for
	// Route 53 a query parameter or the path's Id) or OncePerCall: the rule
	// fires at most once per distinct value of it, so that a retry of the
	// same call goes through.
	OncePer string
	// Latency is the delay of FaultLatency.
	Latency time.Duration
}

// service is the rule's service, EC2 when not set.
func (r FaultRule) service() string {
	if r.Service == "" {
		return ServiceEC2
	}
	return r.Service
}

func (r FaultRule) validate() error {
	switch r.Fault {
	case FaultThrottle, FaultInternalError, FaultReset, FaultLoseAnswer, FaultDeny, FaultPriorRequestNotComplete:
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
	switch r.service() {
	case ServiceEC2:
		if r.Fault == FaultPriorRequestNotComplete {
			return fmt.Errorf("a %s rule is for Service %q; EC2 has no such error", r.Fault, ServiceRoute53)
		}
	case ServiceRoute53:
		return validateRoute53Rule(r)
	default:
		return fmt.Errorf("service %q of a %s rule: the fault proxy harms only %q and %q calls", r.Service, r.Fault, ServiceEC2, ServiceRoute53)
	}
	return nil
}

// InjectedFault is one fault the proxy injected.
type InjectedFault struct {
	Fault   FaultKind
	Service string // ServiceEC2 or ServiceRoute53
	Action  string
	Time    time.Time
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

// decide returns the rule that fires for an EC2 call of action with params.
func (p *faultPlan) decide(action string, params map[string][]string) (FaultRule, bool) {
	return p.decideFor(ServiceEC2, action, params)
}

// decideFor returns the rule that fires for a call of service's action
// with params.
func (p *faultPlan) decideFor(service, action string, params map[string][]string) (FaultRule, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, r := range p.rules {
		if r.service() != service || len(r.Actions) > 0 && !slices.Contains(r.Actions, action) {
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
		p.injected = append(p.injected, InjectedFault{Fault: r.Fault, Service: service, Action: action, Time: time.Now()})
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
