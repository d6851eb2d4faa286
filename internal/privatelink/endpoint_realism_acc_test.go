package privatelink_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
	"github.com/engflow/terraform-provider-engflow/internal/privatelink"
)

// Tests of the provider against EC2 as it really behaves: eventual
// consistency, stale reads, paging, ClientToken replay. Each failed on the
// provider before these were handled; the emulator's knobs make the
// behaviour strong enough to be seen every time.

// Two resources with identical arguments are two endpoints: EC2 answers a
// repeated ClientToken with the first endpoint.
func TestAccEndpoint_identicalResourcesGetTheirOwnEndpoints(t *testing.T) {
	a, _, _, cfg := basicSetup(t, acctest.ServiceOptions{})
	cfg.PrivateDNS = boolPtr(false)
	cfg.Count = 2
	differ := statecheck.CompareValue(compare.ValuesDiffer())
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{{
			Config: cfg.String(),
			ConfigStateChecks: []statecheck.StateCheck{
				differ.AddStateValue(instance(0), tfjsonpath.New("id")),
				differ.AddStateValue(instance(1), tfjsonpath.New("id")),
				acctest.EndpointMatchesAPI(a, instance(0)),
				acctest.EndpointMatchesAPI(a, instance(1)),
			},
		}},
	})
}

// -replace (here: taint) and destroy-then-apply send the same arguments
// again; each must get a new, live endpoint, not the dead one EC2 remembers
// for a repeated token.
func TestAccEndpoint_recreateGetsANewEndpoint(t *testing.T) {
	a, _, _, cfg := basicSetup(t, acctest.ServiceOptions{})
	differ := statecheck.CompareValue(compare.ValuesDiffer())
	// Each step adds its own ID to compare: a CompareValue takes one value
	// per AddStateValue.
	live := func() []statecheck.StateCheck {
		return []statecheck.StateCheck{
			acctest.EndpointMatchesAPI(a, endpointAddr),
			statecheck.ExpectKnownValue(endpointAddr, tfjsonpath.New("state"), knownvalue.StringExact("available")),
			differ.AddStateValue(endpointAddr, tfjsonpath.New("id")),
		}
	}
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{
			{Config: cfg.String(), ConfigStateChecks: live()},
			{Config: cfg.String(), Taint: []string{endpointAddr}, ConfigStateChecks: live()},
			{Config: cfg.String(), Destroy: true},
			{Config: cfg.String(), ConfigStateChecks: live()},
		},
	})
}

// A new endpoint EC2 does not show for several seconds, and then only now
// and then, is still created, not tainted.
func TestAccEndpoint_slowToAppear(t *testing.T) {
	emu := acctest.RequireEmulator(t, "sets how long EC2 hides a new endpoint")
	emu.ConfigureForTest(t, map[string]any{"visibility_delay": 8.0, "flicker_window": 10.0, "flicker_rate": 0.5})
	a, _, _, cfg := basicSetup(t, acctest.ServiceOptions{})
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{{
			Config: cfg.String(),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(endpointAddr, tfjsonpath.New("state"), knownvalue.StringExact("available")),
				acctest.EndpointMatchesAPI(a, endpointAddr),
			},
		}},
	})
}

// Right after CreateVpcEndpoint EC2 does not list the new endpoint yet
// (the emulator's visibility_delay), so the create's wait makes its first
// look once EC2 can list it, not a look that can only find nothing; and not
// much later either, or it would notice an endpoint that is quickly
// available late. The window comes from what the emulator says EC2 does,
// not from the provider's own constant.
func TestAccEndpoint_firstLookAfterCreateWaitsForEC2(t *testing.T) {
	emu := acctest.RequireEmulator(t, "reads when the provider's calls came from the emulator's request log")
	cfg, err := emu.Config(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	unlisted := time.Duration(cfg[acctest.KnobVisibilityDelay].(float64) * float64(time.Second))
	a, _, _, config := basicSetup(t, acctest.ServiceOptions{})
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{{
			Config: config.String(),
			Check: acctest.CheckCallsFromHere(t, emu, func(cs acctest.Calls) error {
				// The log has when the emulator began each call: allow it a little jitter.
				return firstLookAfterCreate(cs.FromProvider("ec2"), unlisted-50*time.Millisecond, unlisted+time.Second)
			}),
		}},
	})
}

// firstLookAfterCreate checks that the first DescribeVpcEndpoints after the
// one CreateVpcEndpoint began from earliest to latest after it.
func firstLookAfterCreate(cs acctest.Calls, earliest, latest time.Duration) error {
	var created float64
	for _, c := range cs {
		switch {
		case c.Action == "CreateVpcEndpoint":
			created = c.Time
		case c.Action == "DescribeVpcEndpoints" && created > 0:
			if after := time.Duration((c.Time - created) * float64(time.Second)); after < earliest || after > latest {
				return fmt.Errorf("the first look came %v after CreateVpcEndpoint; want from %v to %v, when EC2 lists it", after, earliest, latest)
			}
			return nil
		}
	}
	return fmt.Errorf("no CreateVpcEndpoint followed by DescribeVpcEndpoints among the provider's %d calls", len(cs))
}

// After ModifyVpcEndpoint EC2 describes the endpoint as it was, available,
// for a while: the update must wait for the change, or Terraform reports an
// inconsistent result.
func TestAccEndpoint_updateOutlastsStaleReads(t *testing.T) {
	emu := acctest.RequireEmulator(t, "sets how long EC2 shows the view from before a modify")
	emu.ConfigureForTest(t, map[string]any{"stale_after_modify": 4.0})
	a, _, vpc, cfg := basicSetup(t, acctest.ServiceOptions{})
	changed := cfg
	changed.SubnetIDs = vpc.SubnetIDs()[:1]
	changed.SecurityGroupIDs = []string{acctest.NewSecurityGroup(t, vpc.ID)}
	changed.PrivateDNS = boolPtr(false)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{
			{Config: cfg.String(), ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(endpointAddr, tfjsonpath.New("id"))}},
			{
				Config: changed.String(),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(endpointAddr, tfjsonpath.New("id")),
					acctest.EndpointMatchesAPI(a, endpointAddr),
					statecheck.ExpectKnownValue(endpointAddr, tfjsonpath.New("subnet_ids"), knownvalue.SetSizeExact(1)),
					statecheck.ExpectKnownValue(endpointAddr, tfjsonpath.New("private_dns_enabled"), knownvalue.Bool(false)),
				},
			},
		},
	})
}

// A refresh of endpoints that EC2 answers one per page, sometimes after an
// empty first page, keeps every one of them: none is "deleted outside
// Terraform" and planned again.
func TestAccEndpoint_refreshFollowsPages(t *testing.T) {
	emu := acctest.RequireEmulator(t, "sets the page size")
	emu.ConfigureForTest(t, map[string]any{"page_size": 1, "empty_first_page_rate": 0.5})
	a, _, _, cfg := basicSetup(t, acctest.ServiceOptions{})
	cfg.PrivateDNS = boolPtr(false)
	cfg.Count = 3
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{
			{Config: cfg.String()},
			{
				Config:           cfg.String(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// A malformed ID is refused before any call, with the expected form, and
// does not fail the refresh of the endpoints beside it.
func TestAccEndpointDataSource_malformedID(t *testing.T) {
	_, _, _, cfg := basicSetup(t, acctest.ServiceOptions{})
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: cfg.String() + "\ndata \"engflow_privatelink_endpoint\" \"typo\" {\n  id = \"vpce-0A1B\"\n}\n",
			ExpectError: acctest.ErrorText("must be a VPC endpoint ID", "vpce- followed by 8 or 17 lower-case hex digits",
				"vpce-0123456789abcdef0"),
		}},
	})
}

// Volatile computed values are not carried into an update's plan: a saved
// plan applied after AWS changed them on its own would fail.
func TestAccEndpoint_planLeavesVolatileValuesUnknown(t *testing.T) {
	a, _, _, cfg := basicSetup(t, acctest.ServiceOptions{})
	retagged := cfg
	retagged.Tags = map[string]string{"team": "build"}
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{
			{Config: cfg.String()},
			{
				Config: retagged.String(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(endpointAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(endpointAddr, tfjsonpath.New("state")),
					plancheck.ExpectUnknownValue(endpointAddr, tfjsonpath.New("dns_entries")),
					// what only a change of subnets changes stays known
					plancheck.ExpectKnownValue(endpointAddr, tfjsonpath.New("network_interface_ids"), knownvalue.ListSizeExact(len(cfg.SubnetIDs))),
				}},
				ConfigStateChecks: []statecheck.StateCheck{acctest.EndpointMatchesAPI(a, endpointAddr)},
			},
		},
	})
}

// A create timeout no longer than the acceptance grace still records an
// endpoint that awaits EngFlow's acceptance, untainted, with a warning.
func TestAccEndpoint_acceptanceWithShortTimeoutIsNotTainted(t *testing.T) {
	a, _, _, cfg := basicSetup(t, acctest.ServiceOptions{AcceptanceRequired: true})
	cfg.Extra = "  timeouts {\n    create = \"20s\"\n  }\n"
	step := resource.TestStep{
		Config: cfg.String(),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(endpointAddr, tfjsonpath.New("state"), knownvalue.StringExact("pendingAcceptance")),
		},
		// Without private DNS to turn on once accepted: nothing to do, no replacement.
		ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
	}
	if cfg.privateDNSOn() {
		// An update (private DNS once accepted), never a replacement.
		step.ExpectNonEmptyPlan = true
		step.ConfigPlanChecks.PostApplyPostRefresh = []plancheck.PlanCheck{plancheck.ExpectResourceAction(endpointAddr, plancheck.ResourceActionUpdate)}
	}
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps:        []resource.TestStep{step},
	})
}

// An endpoint another run created and did not finish (it still carries that
// run's creation marker) stops a plan for the same VPC and service: the
// error names it with the import block, and nothing is created. Importing
// it, as the error says, brings it under this resource, and the apply
// removes the marker in place (the plan shows it leaving tags_all).
func TestAccEndpoint_unfinishedCreateOfAnotherRunStopsThePlan(t *testing.T) {
	a, _, vpc, cfg := basicSetup(t, acctest.ServiceOptions{})
	key, value := privatelink.CreationMarkerOfAnotherRun()
	cfg.Tags = map[string]string{"team": "build"}
	leftover := acctest.NewEndpoint(t, a, &ec2.CreateVpcEndpointInput{
		VpcId: aws.String(vpc.ID), ServiceName: aws.String(cfg.ServiceName),
		SubnetIds: cfg.SubnetIDs, SecurityGroupIds: cfg.SecurityGroupIDs, PrivateDnsEnabled: aws.Bool(cfg.privateDNSOn()),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpcEndpoint,
			Tags: []ec2types.Tag{{Key: aws.String(key), Value: aws.String(value)}, {Key: aws.String("team"), Value: aws.String("build")}}}},
	})
	// Left by a run that died: at least as old as that run, so EC2 lists it by now.
	acctest.WaitForEndpointsListed(t, a, vpc.ID, leftover)
	onlyLeftover := func() {
		if err := a.CheckExactlyEndpoints(context.Background(), []string{vpc.ID}, []string{leftover}); err != nil {
			t.Fatal(err)
		}
	}
	imported := cfg
	imported.After = fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", endpointAddr, leftover)
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{
			{
				Config:      cfg.String(),
				ExpectError: regexp.MustCompile(`Unfinished create[\s\S]*` + leftover + `[\s\S]*import \{`),
			},
			{
				PreConfig: onlyLeftover, // the failed plan created nothing
				Config:    imported.String(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(endpointAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(endpointAddr, tfjsonpath.New("tags_all"), knownvalue.MapExact(map[string]knownvalue.Check{
						"team": knownvalue.StringExact("build")})), // the marker leaves tags_all
					// An update: AWS may finish what is pending meanwhile.
					plancheck.ExpectUnknownValue(endpointAddr, tfjsonpath.New("state")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(endpointAddr, tfjsonpath.New("id"), knownvalue.StringExact(leftover)),
					acctest.EndpointMatchesAPI(a, endpointAddr), // tags_all as EC2 has them: the marker is gone
					statecheck.ExpectKnownValue(endpointAddr, tfjsonpath.New("tags_all"), knownvalue.MapExact(map[string]knownvalue.Check{
						"team": knownvalue.StringExact("build")})),
				},
			},
		},
	})
}
