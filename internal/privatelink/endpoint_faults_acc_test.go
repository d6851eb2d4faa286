package privatelink_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// Tests of the provider against a busy account and a flaky network: the
// provider reaches EC2 through the fault proxy (acctest.FaultProxy), which
// throttles, fails and resets calls and loses answers. Every apply must
// still end with exactly the endpoints the configuration asks for.

// faultyConfig is basicSetup's configuration with the provider's EC2 calls
// going through a fault proxy with rules.
func faultyConfig(t *testing.T, rules ...acctest.FaultRule) (*acctest.AWS, *acctest.VPC, endpointConfig, *acctest.FaultProxy) {
	t.Helper()
	acctest.RequireEmulator(t, "the fault proxy stands in front of the emulator")
	a, _, vpc, cfg := basicSetup(t, acctest.ServiceOptions{})
	p := acctest.NewFaultProxy(t, rules...)
	cfg.EC2Endpoint = p.URL
	return a, vpc, cfg, p
}

// faultsSince checks that the step just done saw faults, among them every
// kind and action in want (keys as acctest.CountFaults makes them), and
// logs them.
func faultsSince(t *testing.T, p *acctest.FaultProxy, seen *int, step string, want ...string) statecheck.StateCheck {
	return acctest.StateCheckFunc(func(context.Context, *tfjson.State) error {
		return checkFaults(t, p, seen, step, want)
	})
}

func checkFaults(t *testing.T, p *acctest.FaultProxy, seen *int, step string, want []string) error {
	all := p.Injected()
	counts := acctest.CountFaults(all[*seen:])
	*seen = len(all)
	t.Logf("%s: faults injected: %v", step, counts)
	if len(counts) == 0 {
		return fmt.Errorf("%s saw no fault; the test proves nothing without one", step)
	}
	for _, key := range want {
		if counts[key] == 0 {
			return fmt.Errorf("%s saw no %q fault; the test proves nothing without it (faults: %v)", step, key, counts)
		}
	}
	return nil
}

// With 30% of all EC2 calls throttled, ten endpoints are created, each
// once: the SDK's retries outlast RequestLimitExceeded.
func TestAccEndpoint_throttled(t *testing.T) {
	a, vpc, cfg, p := faultyConfig(t,
		// Creates are few: make sure some are throttled.
		acctest.FaultRule{Fault: acctest.FaultThrottle, Actions: []string{"CreateVpcEndpoint"}, Count: 3},
		acctest.FaultRule{Fault: acctest.FaultThrottle, Rate: 0.3})
	cfg.Count = 10
	cfg.PrivateDNS = boolPtr(false) // ten endpoints to one service in one VPC
	seen := 0
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{{
			Config: cfg.String(),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.ExactlyStateEndpoints(a, vpc.ID),
				statecheck.ExpectKnownValue(instance(9), tfjsonpath.New("state"), knownvalue.StringExact("available")),
				faultsSince(t, p, &seen, "apply", "throttle CreateVpcEndpoint", "throttle DescribeVpcEndpoints"),
			},
		}},
	})
}

// CreateVpcEndpoint's answer is lost once per endpoint, ModifyVpcEndpoint's
// once per update and DeleteVpcEndpoints' once per endpoint: EC2 carried the
// calls out, and the retries must not make a second endpoint, nor fail on
// the change or deletion already made.
func TestAccEndpoint_lostAnswers(t *testing.T) {
	a, vpc, cfg, p := faultyConfig(t,
		acctest.FaultRule{Fault: acctest.FaultLoseAnswer, Actions: []string{"CreateVpcEndpoint"}, OncePer: "ClientToken"},
		acctest.FaultRule{Fault: acctest.FaultLoseAnswer, Actions: []string{"ModifyVpcEndpoint"}, OncePer: "VpcEndpointId"},
		acctest.FaultRule{Fault: acctest.FaultLoseAnswer, Actions: []string{"DeleteVpcEndpoints"}, OncePer: "VpcEndpointId.1"},
	)
	cfg.Count = 2
	cfg.PrivateDNS = boolPtr(false)
	changed := cfg
	changed.SubnetIDs = vpc.SubnetIDs()[:1]
	same0, same1 := statecheck.CompareValue(compare.ValuesSame()), statecheck.CompareValue(compare.ValuesSame())
	ids := func() []statecheck.StateCheck {
		return []statecheck.StateCheck{
			same0.AddStateValue(instance(0), tfjsonpath.New("id")),
			same1.AddStateValue(instance(1), tfjsonpath.New("id")),
		}
	}
	seen := 0
	acctest.Test(t, resource.TestCase{
		CheckDestroy: func(s *terraform.State) error {
			if err := checkFaults(t, p, &seen, "destroy", []string{"lose-answer DeleteVpcEndpoints"}); err != nil {
				return err
			}
			if err := acctest.CheckEndpointsDestroyed(a)(s); err != nil {
				return err
			}
			return a.CheckExactlyEndpoints(context.Background(), []string{vpc.ID}, nil)
		},
		Steps: []resource.TestStep{
			{
				Config: cfg.String(),
				ConfigStateChecks: append(ids(),
					acctest.ExactlyStateEndpoints(a, vpc.ID),
					faultsSince(t, p, &seen, "create", "lose-answer CreateVpcEndpoint")),
			},
			{
				Config: changed.String(),
				ConfigStateChecks: append(ids(),
					acctest.ExactlyStateEndpoints(a, vpc.ID),
					acctest.EndpointMatchesAPI(a, instance(0)),
					acctest.EndpointMatchesAPI(a, instance(1)),
					statecheck.ExpectKnownValue(instance(1), tfjsonpath.New("subnet_ids"), knownvalue.SetSizeExact(1)),
					faultsSince(t, p, &seen, "update", "lose-answer ModifyVpcEndpoint")),
			},
		},
	})
	if n := acctest.CountFaults(p.Injected()); n["lose-answer CreateVpcEndpoint"] != 2 || n["lose-answer ModifyVpcEndpoint"] != 2 ||
		n["lose-answer DeleteVpcEndpoints"] != 2 {
		t.Errorf("faults %v, want 2 lost answers each of create, modify and delete (one per endpoint)", n)
	}
}

// 500s and reset connections on the describe calls of create, update and
// delete waits do not stop them.
func TestAccEndpoint_errorsWhileWaiting(t *testing.T) {
	waits := []string{"DescribeVpcEndpoints", "DescribeNetworkInterfaces"}
	a, vpc, cfg, p := faultyConfig(t,
		acctest.FaultRule{Fault: acctest.FaultInternalError, Actions: waits, Rate: 0.3},
		acctest.FaultRule{Fault: acctest.FaultReset, Actions: waits, Rate: 0.3},
	)
	// Waits long enough for several looks each, so that every phase meets faults.
	acctest.RunningEmulator().ConfigureForTest(t, map[string]any{acctest.KnobAvailableAfter: 4.0, acctest.KnobDeleteAfter: 4.0})
	changed := cfg
	changed.SubnetIDs = vpc.SubnetIDs()[:1]
	seen := 0
	acctest.Test(t, resource.TestCase{
		CheckDestroy: func(s *terraform.State) error {
			if err := checkFaults(t, p, &seen, "destroy", nil); err != nil {
				return err
			}
			return acctest.CheckEndpointsDestroyed(a)(s)
		},
		Steps: []resource.TestStep{
			{
				Config: cfg.String(),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.ExactlyStateEndpoints(a, vpc.ID),
					statecheck.ExpectKnownValue(endpointAddr, tfjsonpath.New("state"), knownvalue.StringExact("available")),
					faultsSince(t, p, &seen, "create"),
				},
			},
			{
				Config: changed.String(),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.EndpointMatchesAPI(a, endpointAddr),
					statecheck.ExpectKnownValue(endpointAddr, tfjsonpath.New("subnet_ids"), knownvalue.SetSizeExact(1)),
					faultsSince(t, p, &seen, "update"),
				},
			},
		},
	})
	kinds := map[acctest.FaultKind]int{}
	for _, f := range p.Injected() {
		kinds[f.Fault]++
	}
	if kinds[acctest.FaultInternalError] == 0 || kinds[acctest.FaultReset] == 0 {
		t.Errorf("faults by kind %v: want both 500s and resets", kinds)
	}
}
