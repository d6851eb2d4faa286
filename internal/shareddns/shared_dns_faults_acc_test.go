package shareddns_test

import (
	"context"
	"fmt"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// Route 53 as a busy account sees it: the provider's Route 53 calls go
// through the fault proxy (the provider block's endpoints.route53), which
// throttles them (HTTP 400 Throttling, "Rate exceeded") and refuses each
// change once with PriorRequestNotComplete, as Route 53 does while it is
// still processing an earlier request for the zone. EC2 calls go to the
// emulator directly.

// r53Faults are the rules: every change refused once (the actions that
// can answer PriorRequestNotComplete), the first look at each
// change's status throttled, and 30% of all Route 53 calls throttled.
func r53Faults() []acctest.FaultRule {
	r53 := acctest.ServiceRoute53
	return []acctest.FaultRule{
		{Service: r53, Fault: acctest.FaultPriorRequestNotComplete, OncePer: acctest.OncePerCall,
			Actions: []string{"AssociateVPCWithHostedZone", "ChangeResourceRecordSets", "DeleteHostedZone"}},
		{Service: r53, Fault: acctest.FaultThrottle, Actions: []string{"GetChange"}, OncePer: "Id"},
		{Service: r53, Fault: acctest.FaultThrottle, Rate: 0.3},
	}
}

// configVia is h.config with the provider's Route 53 calls sent to url.
func (h *hubAndSpokes) configVia(url string, spokeIDs ...string) string {
	return fmt.Sprintf("provider \"engflow\" {\n  endpoints {\n    route53 = %q\n  }\n}\n", url) + h.config(spokeIDs...)
}

// faultsSince checks that the phase just done met every fault in want
// (keys as acctest.CountFaults makes them) and logs what it met.
func faultsSince(t *testing.T, p *acctest.FaultProxy, seen *int, phase string, want ...string) error {
	all := p.Injected()
	counts := acctest.CountFaults(all[*seen:])
	*seen = len(all)
	t.Logf("%s: Route 53 faults injected: %v", phase, counts)
	for _, key := range want {
		if counts[key] == 0 {
			return fmt.Errorf("%s saw no %q fault; the test proves nothing without it (faults: %v)", phase, key, counts)
		}
	}
	return nil
}

func faultCheck(t *testing.T, p *acctest.FaultProxy, seen *int, phase string, want ...string) statecheck.StateCheck {
	return acctest.StateCheckFunc(func(context.Context, *tfjson.State) error { return faultsSince(t, p, seen, phase, want...) })
}

// A hub and two spokes are created, one spoke is removed and the zone is
// destroyed while Route 53 throttles and refuses changes: Route 53 (the
// emulator, asked directly) holds the zone, its VPCs and the alias as
// configured after each apply, the plans after them are empty, destroy
// leaves no zone, and both kinds of fault were met in every phase.
func TestAccSharedDNS_route53Faults(t *testing.T) {
	acctest.RequireEmulator(t, "the fault proxy stands in front of the emulator")
	h := newHubAndSpokes(t, acctest.VPCOptions{}, acctest.VPCOptions{})
	p := acctest.NewFaultProxy(t, r53Faults()...)
	sameZone := statecheck.CompareValue(compare.ValuesSame())
	seen := 0
	acctest.Test(t, resource.TestCase{
		CheckDestroy: func(s *terraform.State) error {
			if err := faultsSince(t, p, &seen, "destroy", "prior-request-not-complete ChangeResourceRecordSets",
				"prior-request-not-complete DeleteHostedZone", "throttle GetChange"); err != nil {
				return err
			}
			return h.checkGone(s)
		},
		Steps: []resource.TestStep{
			{
				Config: h.configVia(p.URL, h.spokeIDs(2)...),
				Check:  h.checkZone(h.spokeIDs(2)...),
				ConfigStateChecks: []statecheck.StateCheck{
					sameZone.AddStateValue(dnsAddr, tfjsonpath.New("zone_id")),
					faultCheck(t, p, &seen, "create", "prior-request-not-complete ChangeResourceRecordSets",
						"prior-request-not-complete AssociateVPCWithHostedZone", "throttle GetChange"),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: h.configVia(p.URL, h.spokeIDs(1)...),
				Check:  h.checkZone(h.spokeIDs(1)...),
				ConfigStateChecks: []statecheck.StateCheck{
					sameZone.AddStateValue(dnsAddr, tfjsonpath.New("zone_id")),
					faultCheck(t, p, &seen, "update", "throttle GetChange"),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
	kinds := map[acctest.FaultKind]int{}
	for _, f := range p.Injected() {
		if f.Service != acctest.ServiceRoute53 {
			t.Errorf("fault %+v outside Route 53", f)
		}
		kinds[f.Fault]++
	}
	t.Logf("Route 53 faults by kind: %v", kinds)
	if kinds[acctest.FaultThrottle] == 0 || kinds[acctest.FaultPriorRequestNotComplete] == 0 {
		t.Errorf("faults by kind %v: want both throttles and PriorRequestNotComplete", kinds)
	}
}
