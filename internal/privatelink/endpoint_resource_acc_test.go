package privatelink_test

import (
	"context"
	"slices"
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
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

func TestAccEndpoint_basic(t *testing.T) {
	a, svc, _, cfg := basicSetup(t, acctest.ServiceOptions{})
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{
			{
				Config: cfg.String(),
				ConfigStateChecks: append([]statecheck.StateCheck{
					acctest.EndpointMatchesAPI(a, endpointAddr),
					statecheck.ExpectKnownValue(endpointAddr, tfjsonpath.New("state"), knownvalue.StringExact("available")),
					statecheck.ExpectKnownValue(endpointAddr, tfjsonpath.New("private_ips"), knownvalue.ListSizeExact(len(cfg.SubnetIDs))),
				}, namesOf(endpointAddr, svc, len(cfg.SubnetIDs))...),
			},
			{
				ResourceName:            endpointAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				// import {} block: the plan must adopt the endpoint and change nothing.
				ResourceName:    endpointAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
}

func TestAccEndpoint_importRefusesOtherEndpointTypes(t *testing.T) {
	a, _, vpc, cfg := basicSetup(t, acctest.ServiceOptions{})
	gateway := acctest.NewEndpoint(t, a, &ec2.CreateVpcEndpointInput{
		VpcEndpointType: ec2types.VpcEndpointTypeGateway, VpcId: aws.String(vpc.ID), ServiceName: aws.String("com.amazonaws." + a.Region + ".s3"),
	})
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{
			{Config: cfg.String()},
			{ResourceName: endpointAddr, ImportState: true, ImportStateId: gateway,
				ExpectError: acctest.ErrorText("Gateway endpoint", "Interface endpoints only")},
			{ResourceName: endpointAddr, ImportState: true, ImportStateId: "vpc-123",
				ExpectError: acctest.ErrorText("is not a VPC endpoint ID", "terraform import")},
		},
	})
}

// An ID EC2 does not know fails the import within importNotFoundGrace, a
// few looks, saying that a new endpoint may need a retry: a typo costs
// seconds, not the half minute a look-up by ID allows for EC2's lag.
func TestAccEndpoint_importOfAnUnknownIDFailsFast(t *testing.T) {
	emu := acctest.RequireEmulator(t, "counts the import's calls in the emulator's request log")
	a, _, _, cfg := basicSetup(t, acctest.ServiceOptions{})
	const unknown = "vpce-0123456789abcdef0"
	mark, err := emu.Mark(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{
			{Config: cfg.String()},
			{ResourceName: endpointAddr, ImportState: true, ImportStateId: unknown,
				ExpectError: acctest.ErrorText("Cannot import VPC endpoint "+unknown, "try again in a minute")},
		},
	})
	reqs, _, err := emu.Requests(context.Background(), mark)
	if err != nil {
		t.Fatal(err)
	}
	looks := acctest.FindCalls(reqs, "DescribeVpcEndpoints", map[string]string{"Filter.1.Value.1": unknown})
	if len(looks) == 0 || len(looks) > 12 {
		t.Errorf("the import looked for %s %d times, want a few (within %s, not the half minute of a look-up)", unknown, len(looks), "5s")
	}
}

func TestAccEndpoint_disappears(t *testing.T) {
	a, _, _, cfg := basicSetup(t, acctest.ServiceOptions{})
	var id string
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{{
			Config: cfg.String(),
			Check: resource.ComposeTestCheckFunc(captureID(&id), func(*terraform.State) error {
				return a.DeleteEndpoint(context.Background(), id)
			}),
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(endpointAddr, plancheck.ResourceActionCreate)},
			},
		}},
	})
}

func TestAccEndpoint_updateInPlace(t *testing.T) {
	a, svc, vpc, cfg := basicSetup(t, acctest.ServiceOptions{})
	otherSG := acctest.NewSecurityGroup(t, vpc.ID)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	one := cfg
	one.SubnetIDs = vpc.SubnetIDs()[:1]
	two := cfg
	two.SecurityGroupIDs = []string{otherSG}
	two.PrivateDNS = boolPtr(false)
	three := two
	three.PrivateDNS = boolPtr(true)
	if svc.PrivateDNSName == "" {
		// Private DNS cannot be turned on: the third update takes the
		// other group off again instead.
		three.PrivateDNS = boolPtr(false)
		three.SecurityGroupIDs = cfg.SecurityGroupIDs
	}
	expectUpdate := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(endpointAddr, plancheck.ResourceActionUpdate)}}
	step := func(c endpointConfig, checks ...statecheck.StateCheck) resource.TestStep {
		return resource.TestStep{
			Config:           c.String(),
			ConfigPlanChecks: expectUpdate,
			ConfigStateChecks: append([]statecheck.StateCheck{
				acctest.EndpointMatchesAPI(a, endpointAddr),
				sameID.AddStateValue(endpointAddr, tfjsonpath.New("id")),
			}, checks...),
		}
	}
	first := step(one)
	first.ConfigPlanChecks = resource.ConfigPlanChecks{}
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{
			first,
			// more subnets, another security group, private DNS off: one in-place update
			step(two, statecheck.ExpectKnownValue(endpointAddr, tfjsonpath.New("private_dns_enabled"), knownvalue.Bool(false))),
			step(three, append(namesOf(endpointAddr, svc, len(three.SubnetIDs)),
				statecheck.ExpectKnownValue(endpointAddr, tfjsonpath.New("security_group_ids"), knownvalue.SetExact(stringChecks(three.SecurityGroupIDs))))...),
		},
	})
}

// A service that requires acceptance: the first apply records the endpoint
// pendingAcceptance with a warning (no taint); once EngFlow accepts, the
// next apply turns private DNS on in place. A service without a private DNS
// name has nothing to turn on: the endpoint is then up to date from the
// first apply, and becomes available once accepted.
func TestAccEndpoint_acceptanceRequired(t *testing.T) {
	a, svc, _, cfg := basicSetup(t, acctest.ServiceOptions{AcceptanceRequired: true})
	var id string
	sameID := statecheck.CompareValue(compare.ValuesSame())
	first := resource.TestStep{
		Config: cfg.String(),
		Check:  captureID(&id),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(endpointAddr, tfjsonpath.New("state"), knownvalue.StringExact("pendingAcceptance")),
			sameID.AddStateValue(endpointAddr, tfjsonpath.New("id")),
		},
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}
	accepted := resource.TestStep{
		PreConfig: func() {
			if err := svc.Accept(context.Background(), id); err != nil {
				t.Fatal(err)
			}
			if !cfg.privateDNSOn() {
				// No update to wait for it: the refresh must find it available.
				acctest.WaitForEndpointState(t, a, id, "available")
			}
		},
		Config: cfg.String(),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: append([]statecheck.StateCheck{
			acctest.EndpointMatchesAPI(a, endpointAddr),
			statecheck.ExpectKnownValue(endpointAddr, tfjsonpath.New("state"), knownvalue.StringExact("available")),
			sameID.AddStateValue(endpointAddr, tfjsonpath.New("id")),
		}, namesOf(endpointAddr, svc, len(cfg.SubnetIDs))...),
	}
	if cfg.privateDNSOn() {
		// The refresh after apply reads private DNS off: the next apply must turn it on.
		first.ExpectNonEmptyPlan = true
		first.ConfigPlanChecks.PostApplyPostRefresh = []plancheck.PlanCheck{plancheck.ExpectResourceAction(endpointAddr, plancheck.ResourceActionUpdate)}
		accepted.ConfigPlanChecks.PreApply = []plancheck.PlanCheck{plancheck.ExpectResourceAction(endpointAddr, plancheck.ResourceActionUpdate)}
	}
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps:        []resource.TestStep{first, accepted},
	})
}

func TestAccEndpoint_tags(t *testing.T) {
	a, _, _, cfg := basicSetup(t, acctest.ServiceOptions{})
	withDefaults := cfg
	withDefaults.Tags = map[string]string{"team": "build"}
	withDefaults.DefaultTags = map[string]string{"managed-by": "terraform", "team": "overridden"}
	changed := cfg
	changed.Tags = map[string]string{"team": "remote-exec", "cost-center": "42"}
	tagsAre := func(attr string, want map[string]string) statecheck.StateCheck {
		checks := map[string]knownvalue.Check{}
		for k, v := range want {
			checks[k] = knownvalue.StringExact(v)
		}
		return statecheck.ExpectKnownValue(endpointAddr, tfjsonpath.New(attr), knownvalue.MapExact(checks))
	}
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{
			{
				Config: withDefaults.String(),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.EndpointMatchesAPI(a, endpointAddr), // tags_all as EC2 reports them
					tagsAre("tags", map[string]string{"team": "build"}),
					tagsAre("tags_all", map[string]string{"team": "build", "managed-by": "terraform"}),
				},
			},
			{
				Config: changed.String(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(endpointAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.EndpointMatchesAPI(a, endpointAddr),
					tagsAre("tags_all", map[string]string{"team": "remote-exec", "cost-center": "42"}),
				},
			},
		},
	})
}

// Changes made outside Terraform show up as an in-place update in the next
// plan, and applying it puts the endpoint back as configured.
func TestAccEndpoint_driftShowsAsUpdate(t *testing.T) {
	a, _, vpc, cfg := basicSetup(t, acctest.ServiceOptions{})
	extraGroup := acctest.NewSecurityGroup(t, vpc.ID)
	removed := vpc.Subnets[1].ID
	var id string
	driftOutOfBand := func(*terraform.State) error {
		in := &ec2.ModifyVpcEndpointInput{
			VpcEndpointId: aws.String(id), AddSecurityGroupIds: []string{extraGroup}, RemoveSubnetIds: []string{removed},
		}
		if cfg.privateDNSOn() {
			in.PrivateDnsEnabled = aws.Bool(false)
		}
		if _, err := a.EC2.ModifyVpcEndpoint(context.Background(), in); err != nil {
			return err
		}
		// EC2 may show the endpoint as it was for a while after a modify:
		// the refresh must meet the drift, as it would a while later.
		_, err := a.WaitForEndpoint(context.Background(), id, "to show the change", 5*time.Minute, func(ep *ec2types.VpcEndpoint) bool {
			return !slices.Contains(ep.SubnetIds, removed) && slices.ContainsFunc(ep.Groups, func(g ec2types.SecurityGroupIdentifier) bool {
				return aws.ToString(g.GroupId) == extraGroup
			}) && (in.PrivateDnsEnabled == nil || !aws.ToBool(ep.PrivateDnsEnabled))
		})
		return err
	}
	expectUpdate := []plancheck.PlanCheck{plancheck.ExpectResourceAction(endpointAddr, plancheck.ResourceActionUpdate)}
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{
			{
				Config:             cfg.String(),
				Check:              resource.ComposeTestCheckFunc(captureID(&id), driftOutOfBand),
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks:   resource.ConfigPlanChecks{PostApplyPostRefresh: expectUpdate},
			},
			{
				Config:            cfg.String(),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: expectUpdate},
				ConfigStateChecks: []statecheck.StateCheck{acctest.EndpointMatchesAPI(a, endpointAddr)},
			},
		},
	})
}

// stringChecks expects exactly these strings.
func stringChecks(xs []string) []knownvalue.Check {
	checks := make([]knownvalue.Check, len(xs))
	for i, x := range xs {
		checks[i] = knownvalue.StringExact(x)
	}
	return checks
}
