package shareddns_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
	"github.com/engflow/terraform-provider-engflow/internal/iamguide"
)

const dnsAddr = "engflow_privatelink_shared_dns.test"

// hubAndSpokes is a hub VPC with the EngFlow endpoint (private DNS off,
// made by Terraform in the same configuration) and spoke VPCs.
type hubAndSpokes struct {
	a      *acctest.AWS // in the hub's Region
	svc    *acctest.Service
	hub    *acctest.VPC
	spokes []*acctest.VPC
	domain string
	region string // the resources' region argument; "" leaves it out
}

func newHubAndSpokes(t *testing.T, spokes ...acctest.VPCOptions) *hubAndSpokes {
	acctest.PreCheck(t)
	h := &hubAndSpokes{a: acctest.TestAWS(t), svc: acctest.NewService(t, acctest.ServiceOptions{})}
	h.hub = acctest.NewVPC(t, acctest.VPCOptions{Zones: h.svc.Zones})
	for _, o := range spokes {
		h.spokes = append(h.spokes, acctest.NewVPC(t, o))
	}
	h.domain = acctest.RandomName("acme") + ".cluster.engflow.com"
	return h
}

// newHubAndSpokesIn is newHubAndSpokes with the service, the hub and the
// spokes in region, not the provider's.
func newHubAndSpokesIn(t *testing.T, region string, spokes int) *hubAndSpokes {
	acctest.PreCheck(t)
	h := &hubAndSpokes{a: acctest.TestAWS(t).InRegion(region), region: region,
		svc: acctest.NewService(t, acctest.ServiceOptions{Region: region})}
	h.hub = acctest.NewVPC(t, acctest.VPCOptions{Region: region, Zones: h.svc.Zones})
	for range spokes {
		h.spokes = append(h.spokes, acctest.NewVPC(t, acctest.VPCOptions{Region: region}))
	}
	h.domain = acctest.RandomName("acme") + ".cluster.engflow.com"
	return h
}

func (h *hubAndSpokes) config(spokeIDs ...string) string {
	region := ""
	if h.region != "" {
		region = fmt.Sprintf("  region              = %q\n", h.region)
	}
	return fmt.Sprintf(`
resource "engflow_privatelink_endpoint" "hub" {
%[7]s  service_name        = %[1]q
  vpc_id              = %[2]q
  subnet_ids          = %[3]s
  security_group_ids  = [%[4]q]
  private_dns_enabled = false
}

resource "engflow_privatelink_shared_dns" "test" {
%[7]s  endpoint_id         = engflow_privatelink_endpoint.hub.id
  domain_name         = %[5]q
  hub_vpc_id          = %[2]q
  spoke_vpc_ids       = %[6]s
}
`, h.svc.Name, h.hub.ID, acctest.HCLList(h.hub.SubnetIDs()), h.hub.SecurityGroupID, h.domain, acctest.HCLList(spokeIDs), region)
}

func (h *hubAndSpokes) spokeIDs(n int) []string {
	var ids []string
	for _, s := range h.spokes[:n] {
		ids = append(ids, s.ID)
	}
	return ids
}

// checkZone asks Route 53 and EC2: a private zone for the domain with
// exactly the hub and wantSpokes, and an A alias to the endpoint's
// regional DNS name in the zone EC2 gives it.
func (h *hubAndSpokes) checkZone(wantSpokes ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ctx := context.Background()
		zoneID := s.RootModule().Resources[dnsAddr].Primary.Attributes["zone_id"]
		endpointID := s.RootModule().Resources["engflow_privatelink_endpoint.hub"].Primary.ID
		if err := h.a.CheckPrivateZone(ctx, zoneID, h.domain, append([]string{h.hub.ID}, wantSpokes...)); err != nil {
			return err
		}
		ep, err := h.a.EndpointEventually(ctx, endpointID)
		if err != nil {
			return fmt.Errorf("describing the hub endpoint %s: %w", endpointID, err)
		}
		regional := map[string]string{} // DNS name -> zone, of the regional name only
		for _, e := range ep.DnsEntries {
			if label, _, _ := strings.Cut(aws.ToString(e.DnsName), "."); strings.Count(label, "-") == 2 {
				regional[aws.ToString(e.DnsName)] = aws.ToString(e.HostedZoneId)
			}
		}
		alias, err := h.a.AliasA(ctx, zoneID, h.domain)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(aws.ToString(alias.DNSName), ".")
		if zone, ok := regional[name]; !ok || zone != aws.ToString(alias.HostedZoneId) || alias.EvaluateTargetHealth {
			return fmt.Errorf("alias targets %s in %s, want the endpoint's regional name of %v", name, aws.ToString(alias.HostedZoneId), regional)
		}
		return nil
	}
}

// checkGone asks Route 53 that no zone for the domain is left.
func (h *hubAndSpokes) checkGone(s *terraform.State) error {
	zones, err := h.a.ZonesNamed(context.Background(), h.domain)
	if err != nil {
		return err
	}
	if len(zones) > 0 {
		return fmt.Errorf("%d hosted zones for %s are left after destroy, first %s", len(zones), h.domain, aws.ToString(zones[0].Id))
	}
	return acctest.CheckEndpointsDestroyed(h.a)(s)
}

// A hub endpoint serves two spokes: the zone exists, the record aliases
// the endpoint's regional name, both spokes are associated; removing one
// disassociates it in place; import by zone ID reads it all back; destroy
// leaves no zone. On the emulator, every Route 53 call the provider made
// is one the IAM guide lists.
func TestAccSharedDNS_hubAndTwoSpokes(t *testing.T) {
	h := newHubAndSpokes(t, acctest.VPCOptions{}, acctest.VPCOptions{})
	if emu := acctest.RunningEmulator(); emu != nil {
		mark, err := emu.Mark(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer checkRoute53CallsDocumented(t, emu, mark)
	}
	sameZone := statecheck.CompareValue(compare.ValuesSame())
	acctest.Test(t, resource.TestCase{
		CheckDestroy: h.checkGone,
		Steps: []resource.TestStep{
			{
				Config: h.config(h.spokeIDs(2)...),
				Check:  h.checkZone(h.spokeIDs(2)...),
				ConfigStateChecks: []statecheck.StateCheck{
					sameZone.AddStateValue(dnsAddr, tfjsonpath.New("zone_id")),
				},
			},
			{
				Config: h.config(h.spokeIDs(1)...),
				Check:  h.checkZone(h.spokeIDs(1)...),
				ConfigStateChecks: []statecheck.StateCheck{
					sameZone.AddStateValue(dnsAddr, tfjsonpath.New("zone_id")),
				},
			},
			{
				ResourceName: dnsAddr, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIdentifierAttribute: "zone_id",
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return s.RootModule().Resources[dnsAddr].Primary.Attributes["zone_id"], nil
				},
			},
		},
	})
}

// A spoke without DNS hostnames fails the plan, naming the VPC and the
// command, and nothing is created in Route 53.
func TestAccSharedDNS_spokeWithoutDNSHostnames(t *testing.T) {
	h := newHubAndSpokes(t, acctest.VPCOptions{DisableDNSHostnames: true})
	acctest.Test(t, resource.TestCase{
		CheckDestroy: h.checkGone,
		Steps: []resource.TestStep{{
			Config:      h.config(h.spokeIDs(1)...),
			ExpectError: acctest.ErrorText(h.spokes[0].ID, "enableDnsHostnames", "aws ec2 modify-vpc-attribute --vpc-id "+h.spokes[0].ID+" --enable-dns-hostnames"),
		}},
	})
}

// A spoke already using another private zone for the name fails the
// plan, naming that zone.
func TestAccSharedDNS_spokeAlreadyResolvesTheName(t *testing.T) {
	h := newHubAndSpokes(t, acctest.VPCOptions{})
	other := strings.TrimPrefix(acctest.NewPrivateZone(t, h.domain, h.spokes[0].ID), "/hostedzone/")
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      h.config(h.spokeIDs(1)...),
			ExpectError: acctest.ErrorText(h.spokes[0].ID, "already resolves", other),
		}},
	})
}

// A zone deleted outside Terraform is noticed on refresh and planned anew.
func TestAccSharedDNS_disappears(t *testing.T) {
	h := newHubAndSpokes(t, acctest.VPCOptions{})
	acctest.Test(t, resource.TestCase{
		CheckDestroy: h.checkGone,
		Steps: []resource.TestStep{{
			Config: h.config(h.spokeIDs(1)...),
			Check: func(s *terraform.State) error {
				return h.a.DeleteZone(context.Background(), s.RootModule().Resources[dnsAddr].Primary.Attributes["zone_id"])
			},
			ExpectNonEmptyPlan: true,
		}},
	})
}

// An alias record deleted outside Terraform (the zone kept) is planned
// back as an in-place update, and the apply restores it.
func TestAccSharedDNS_aliasDeletedOutsideTerraform(t *testing.T) {
	h := newHubAndSpokes(t, acctest.VPCOptions{})
	var zoneID string
	acctest.Test(t, resource.TestCase{
		CheckDestroy: h.checkGone,
		Steps: []resource.TestStep{
			{
				Config: h.config(h.spokeIDs(1)...),
				Check: func(s *terraform.State) error {
					zoneID = s.RootModule().Resources[dnsAddr].Primary.Attributes["zone_id"]
					return nil
				},
			},
			{
				PreConfig: func() {
					if err := h.a.DeleteRecords(context.Background(), zoneID); err != nil {
						t.Fatal(err)
					}
					if _, err := h.a.AliasA(context.Background(), zoneID, h.domain); err == nil {
						t.Fatal("the alias record is still there after deleting it")
					}
				},
				Config: h.config(h.spokeIDs(1)...),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(dnsAddr, plancheck.ResourceActionUpdate)},
				},
				Check: h.checkZone(h.spokeIDs(1)...),
			},
		},
	})
}

// One provider block (in the tests' Region) serves a hub in another
// Region: the zone is associated with the hub and the spoke as VPCs of that
// Region, the alias names the hub endpoint's regional name there, and an
// import by zone ID@region reads it all back.
func TestAccSharedDNS_hubInAnotherRegion(t *testing.T) {
	h := newHubAndSpokesIn(t, acctest.EmulatorSecondRegion, 1)
	acctest.Test(t, resource.TestCase{
		CheckDestroy: h.checkGone,
		Steps: []resource.TestStep{
			{
				Config: h.config(h.spokeIDs(1)...),
				Check: resource.ComposeAggregateTestCheckFunc(
					h.checkZone(h.spokeIDs(1)...),
					h.checkZoneRegions(acctest.EmulatorSecondRegion),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dnsAddr, tfjsonpath.New("region"), knownvalue.StringExact(acctest.EmulatorSecondRegion)),
				},
			},
			{
				ResourceName: dnsAddr, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIdentifierAttribute: "zone_id",
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return s.RootModule().Resources[dnsAddr].Primary.Attributes["zone_id"] + "@" + acctest.EmulatorSecondRegion, nil
				},
			},
			{
				ResourceName: dnsAddr, ImportState: true, ImportStateId: "Z0123456789ABCDEFGHIJ@west",
				ExpectError: acctest.ErrorText("Cannot import the shared DNS zone", `"west" after the @`, "Z0123456789ABCDEFGHIJ@us-west-2"),
			},
		},
	})
}

// checkZoneRegions asks Route 53 that every VPC of the zone is associated
// as a VPC of region.
func (h *hubAndSpokes) checkZoneRegions(region string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		zoneID := s.RootModule().Resources[dnsAddr].Primary.Attributes["zone_id"]
		hz, err := h.a.Route53.GetHostedZone(context.Background(), &route53.GetHostedZoneInput{Id: aws.String(zoneID)})
		if err != nil {
			return err
		}
		for _, v := range hz.VPCs {
			if string(v.VPCRegion) != region {
				return fmt.Errorf("zone %s has VPC %s associated in %s, want %s", zoneID, aws.ToString(v.VPCId), v.VPCRegion, region)
			}
		}
		return nil
	}
}

// checkRoute53CallsDocumented reads the emulator's request log since mark:
// the provider's Route 53 calls are all in the IAM guide, and the scenario
// reached the ones that create, change and delete.
func checkRoute53CallsDocumented(t *testing.T, emu *acctest.Emulator, mark int) {
	reqs, _, err := emu.Requests(context.Background(), mark)
	if err != nil {
		t.Fatal(err)
	}
	documented, err := iamguide.ServiceActions("route53")
	if err != nil {
		t.Fatal(err)
	}
	called := map[string]bool{}
	for _, r := range reqs {
		if r.FromProvider() && r.Service == "route53" {
			called[r.Action] = true
		}
	}
	for action := range called {
		if !slices.Contains(documented, action) {
			t.Errorf("the provider called route53:%q, which the IAM guide does not list", action)
		}
	}
	for _, must := range []string{"CreateHostedZone", "ChangeResourceRecordSets", "AssociateVPCWithHostedZone",
		"DisassociateVPCFromHostedZone", "DeleteHostedZone", "GetChange", "ListHostedZonesByVPC"} {
		if !called[must] {
			t.Errorf("the scenario never called route53:%s (calls seen: %v)", must, called)
		}
	}
}
