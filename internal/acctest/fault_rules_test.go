package acctest

import (
	"net/url"
	"slices"
	"testing"
	"time"
)

func decisions(p *faultPlan, action string, params url.Values, n int) []bool {
	out := make([]bool, n)
	for i := range out {
		_, out[i] = p.decide(action, params)
	}
	return out
}

func TestFaultPlan_countActionsAndOncePer(t *testing.T) {
	p := newFaultPlan(1)
	err := p.set([]FaultRule{
		{Fault: FaultLoseAnswer, Actions: []string{"CreateVpcEndpoint"}, OncePer: "ClientToken"},
		{Fault: FaultThrottle, Actions: []string{"DescribeVpcs"}, Count: 2},
	})
	if err != nil {
		t.Fatal(err)
	}
	tokenA, tokenB := url.Values{"ClientToken": {"a"}}, url.Values{"ClientToken": {"b"}}
	if got := decisions(p, "CreateVpcEndpoint", tokenA, 3); !slices.Equal(got, []bool{true, false, false}) {
		t.Errorf("creates with one token: faults %v, want only the first", got)
	}
	if got := decisions(p, "CreateVpcEndpoint", tokenB, 2); !slices.Equal(got, []bool{true, false}) {
		t.Errorf("creates with another token: faults %v, want only the first", got)
	}
	if got := decisions(p, "CreateVpcEndpoint", url.Values{}, 1); got[0] {
		t.Error("a create without the OncePer parameter got the fault")
	}
	if got := decisions(p, "DescribeVpcs", nil, 4); !slices.Equal(got, []bool{true, true, false, false}) {
		t.Errorf("DescribeVpcs faults %v, want the first 2 (Count)", got)
	}
	if got := decisions(p, "DescribeSubnets", nil, 3); slices.Contains(got, true) {
		t.Errorf("an action no rule names got faults %v", got)
	}
	if n := len(p.report()); n != 4 {
		t.Errorf("report lists %d faults, want 4", n)
	}
	// New rules start with fresh counts.
	if err := p.set([]FaultRule{{Fault: FaultThrottle, Count: 1}}); err != nil {
		t.Fatal(err)
	}
	if got := decisions(p, "DescribeVpcs", nil, 2); !slices.Equal(got, []bool{true, false}) {
		t.Errorf("after set: faults %v, want the first only", got)
	}
}

func TestFaultPlan_rateIsSeeded(t *testing.T) {
	rules := []FaultRule{{Fault: FaultThrottle, Rate: 0.3}}
	run := func(seed uint64) []bool {
		p := newFaultPlan(seed)
		if err := p.set(rules); err != nil {
			t.Fatal(err)
		}
		return decisions(p, "DescribeVpcEndpoints", nil, 1000)
	}
	first, again, other := run(42), run(42), run(43)
	if !slices.Equal(first, again) {
		t.Error("the same seed gave other decisions")
	}
	if slices.Equal(first, other) {
		t.Error("another seed gave the same 1000 decisions")
	}
	hits := 0
	for _, f := range first {
		if f {
			hits++
		}
	}
	if hits < 240 || hits > 360 {
		t.Errorf("%d of 1000 calls faulted at rate 0.3", hits)
	}
}

func TestFaultRule_validate(t *testing.T) {
	for _, r := range []FaultRule{
		{Fault: "explode"},
		{Fault: FaultLatency},
		{Fault: FaultThrottle, Rate: 1.5},
	} {
		if err := newFaultPlan(1).set([]FaultRule{r}); err == nil {
			t.Errorf("rule %+v accepted", r)
		}
	}
	if err := newFaultPlan(1).set([]FaultRule{{Fault: FaultLatency, Latency: time.Millisecond}}); err != nil {
		t.Error(err)
	}
}
