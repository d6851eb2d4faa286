package shareddns_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

const hubDataAddr = "data.engflow_privatelink_endpoint.hub"

// The checks of a hub endpoint given its shared zone, in the data
// source's order.
var hubCheckNames = []string{"endpoint_available", "shared_dns_zone", "shared_dns_alias", "shared_dns_spokes",
	"vpc_dns_support", "vpc_dns_hostnames", "security_group_allows_443", "network_acls_allow_443"}

// healthConfig is h.config plus the endpoint data source reading the hub
// through the shared zone, expecting spokeIDs.
func (h *hubAndSpokes) healthConfig(spokeIDs ...string) string {
	return h.config(spokeIDs...) + fmt.Sprintf(`
data "engflow_privatelink_endpoint" "hub" {
  id                 = engflow_privatelink_endpoint.hub.id
  shared_dns_zone_id = engflow_privatelink_shared_dns.test.zone_id
  spoke_vpc_ids      = %s
}
`, acctest.HCLList(spokeIDs))
}

// hubHealth asserts the data source's checks: hubCheckNames in order,
// exactly those in failing failed (healthy agrees), and each check's
// detail holding the phrases given for it.
func hubHealth(failing []string, phrases map[string][]string) statecheck.StateCheck {
	return acctest.AttributesCheck(hubDataAddr, func(attrs map[string]any) error {
		var names, failed, problems []string
		checks, _ := attrs["checks"].([]any)
		for _, c := range checks {
			m, _ := c.(map[string]any)
			name, _ := m["name"].(string)
			detail, _ := m["detail"].(string)
			names = append(names, name)
			if ok, _ := m["ok"].(bool); !ok {
				failed = append(failed, name)
			}
			for _, p := range phrases[name] {
				if !strings.Contains(detail, p) {
					problems = append(problems, fmt.Sprintf("%s's detail lacks %q:\n%s", name, p, detail))
				}
			}
		}
		if !slices.Equal(names, hubCheckNames) {
			problems = append(problems, fmt.Sprintf("checks %v, want %v", names, hubCheckNames))
		}
		if !slices.Equal(failed, failing) {
			problems = append(problems, fmt.Sprintf("failed checks %v, want %v", failed, failing))
		}
		if healthy, _ := attrs["healthy"].(bool); healthy != (len(failing) == 0) {
			problems = append(problems, fmt.Sprintf("healthy = %v with failed checks %v", healthy, failed))
		}
		if len(problems) > 0 {
			return errors.New(strings.Join(problems, "\n"))
		}
		return nil
	})
}

// dnsHostnames asks EC2 whether the VPC has enableDnsHostnames on.
func dnsHostnames(ctx context.Context, a *acctest.AWS, id string) (bool, error) {
	out, err := a.EC2.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String(id), Attribute: ec2types.VpcAttributeNameEnableDnsHostnames})
	if err != nil {
		return false, err
	}
	return out.EnableDnsHostnames != nil && aws.ToBool(out.EnableDnsHostnames.Value), nil
}

// onlyReads checks the emulator's request log since mark: the provider
// made only read calls (refresh, plan and the data source change nothing),
// among them the hub's checks' own. Real AWS keeps no such log.
func onlyReads(emu *acctest.Emulator, mark *int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if emu == nil {
			return nil
		}
		cs, err := acctest.CallsSince(context.Background(), emu, *mark)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, c := range cs {
			if !c.FromProvider() {
				continue
			}
			call := c.Service + ":" + c.Action
			seen[call] = true
			if !strings.HasPrefix(c.Action, "Describe") && !strings.HasPrefix(c.Action, "Get") && !strings.HasPrefix(c.Action, "List") {
				return fmt.Errorf("a step that changes nothing called %s", call)
			}
		}
		for _, must := range []string{"route53:GetHostedZone", "route53:ListResourceRecordSets", "ec2:DescribeVpcAttribute"} {
			if !seen[must] {
				return fmt.Errorf("the hub's checks never called %s (calls seen: %v)", must, seen)
			}
		}
		return nil
	}
}

// A hub endpoint (private DNS off) serving two spokes through the shared
// zone is healthy by the endpoint data source given the zone: the checks of
// the zone, its alias and its spokes take the place of the endpoint's
// private DNS checks, and the security group is checked against the
// spokes' CIDR blocks too. Then one spoke's DNS hostnames are turned off
// through EC2, as a person would: the data source reports the hub
// unhealthy, naming that spoke and the command that turns them back on.
func TestAccSharedDNS_hubHealth(t *testing.T) {
	h := newHubAndSpokes(t, acctest.VPCOptions{CIDR: "10.1.0.0/16"}, acctest.VPCOptions{CIDR: "10.2.0.0/16"})
	if h.svc.PrivateDNSName != "" {
		h.domain = h.svc.PrivateDNSName // the name Bazel connects to
	}
	ctx := context.Background()
	spokes := h.spokeIDs(2)
	// As the fixture made them, not read back: EC2 lists a new VPC late.
	cidrs := []string{h.spokes[0].CIDR, h.spokes[1].CIDR}
	if err := h.hub.AllowHTTPSFrom(ctx, cidrs...); err != nil { // the rule the guide asks for
		t.Fatal(err)
	}
	broken := spokes[1]
	var zoneID string
	emu, mark := acctest.RunningEmulator(), 0
	if emu != nil { // every Route 53 call, the data source's too, is one the IAM guide lists
		start, err := emu.Mark(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer checkRoute53CallsDocumented(t, emu, start)
	}
	acctest.Test(t, resource.TestCase{
		CheckDestroy: func(s *terraform.State) error {
			if zoneID == "" { // never made
				return acctest.CheckEndpointsDestroyed(h.a)(s)
			}
			_, err := h.a.Route53.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(zoneID)})
			if err == nil {
				return fmt.Errorf("after destroy Route 53 still has zone %q", zoneID)
			}
			if nsz := (*r53types.NoSuchHostedZone)(nil); !errors.As(err, &nsz) {
				return fmt.Errorf("after destroy Route 53 answers %w for zone %q, want NoSuchHostedZone", err, zoneID)
			}
			return acctest.CheckEndpointsDestroyed(h.a)(s)
		},
		Steps: []resource.TestStep{
			{
				Config: h.healthConfig(spokes...),
				Check: resource.ComposeTestCheckFunc(h.checkZone(spokes...), func(s *terraform.State) error {
					zoneID = s.RootModule().Resources[dnsAddr].Primary.Attributes["zone_id"]
					return nil
				}),
				ConfigStateChecks: []statecheck.StateCheck{hubHealth(nil, map[string][]string{
					"shared_dns_zone":           {"private hosted zone for " + h.domain, h.hub.ID},
					"shared_dns_spokes":         {spokes[0] + " is associated", spokes[1] + " is associated"},
					"security_group_allows_443": {"from " + cidrs[0], "from " + cidrs[1]},
				})},
			},
			{
				PreConfig: func() {
					if _, err := h.a.EC2.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: aws.String(broken),
						EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(false)}}); err != nil {
						t.Fatalf("turning off DNS hostnames of %s: %v", broken, err)
					}
					if emu != nil {
						var err error
						if mark, err = emu.Mark(ctx); err != nil {
							t.Fatal(err)
						}
					}
				},
				Config: h.healthConfig(spokes...),
				Check: resource.ComposeTestCheckFunc(func(*terraform.State) error {
					for id, want := range map[string]bool{spokes[0]: true, broken: false} {
						on, err := dnsHostnames(ctx, h.a, id)
						if err != nil {
							return fmt.Errorf("enableDnsHostnames of %s: %w", id, err)
						}
						if on != want {
							return fmt.Errorf("EC2 says enableDnsHostnames of %s is %v, want %v", id, on, want)
						}
					}
					return nil
				}, onlyReads(emu, &mark)),
				ConfigStateChecks: []statecheck.StateCheck{hubHealth([]string{"shared_dns_spokes"}, map[string][]string{
					"shared_dns_spokes": {
						broken + " has enableDnsHostnames off",
						`aws ec2 modify-vpc-attribute --vpc-id ` + broken + ` --enable-dns-hostnames '{"Value":true}'`,
						spokes[0] + " is associated and has enableDnsSupport and enableDnsHostnames on",
					},
				})},
			},
		},
	})
}
