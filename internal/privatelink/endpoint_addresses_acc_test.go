package privatelink_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// withAddresses is cfg with subnet_configuration fixing the IPv4 address
// of each subnet named.
func withAddresses(cfg endpointConfig, bySubnet map[string]string) endpointConfig {
	var b strings.Builder
	b.WriteString("  subnet_configuration = [\n")
	for _, id := range slices.Sorted(maps.Keys(bySubnet)) {
		fmt.Fprintf(&b, "    { subnet_id = %q, ipv4 = %q },\n", id, bySubnet[id])
	}
	b.WriteString("  ]\n")
	cfg.Extra += b.String()
	return cfg
}

// interfacesHold checks, from EC2's DescribeNetworkInterfaces, that the
// endpoint in the state has in each subnet of want an interface holding
// that address, and that private_ips lists what the interfaces hold.
func interfacesHold(a *acctest.AWS, want map[string]string) statecheck.StateCheck {
	return acctest.AttributesCheck(endpointAddr, func(attrs map[string]any) error {
		held, err := a.AddressesBySubnet(context.Background(), attrs["id"].(string))
		if err != nil {
			return err
		}
		ips := slices.Sorted(maps.Values(held))
		var problems []string
		for subnet, ip := range want {
			if held[subnet] != ip {
				problems = append(problems, fmt.Sprintf("EC2 reports %q on the interface in %s, subnet_configuration asks for %s", held[subnet], subnet, ip))
			}
		}
		var state []string
		for _, ip := range attrs["private_ips"].([]any) {
			state = append(state, ip.(string))
		}
		if !slices.Equal(slices.Sorted(slices.Values(state)), ips) {
			problems = append(problems, fmt.Sprintf("private_ips is %q, the interfaces hold %q", state, ips))
		}
		if len(problems) > 0 {
			return fmt.Errorf("%s", strings.Join(problems, "; "))
		}
		return nil
	})
}

// Fixed addresses are sent with the create, show on the network interfaces
// and in private_ips; a changed address is planned as an in-place update
// that replaces that subnet's interface (new ID and IP known only after
// apply), and after the apply the interface holds the new address.
func TestAccEndpoint_fixedIPs(t *testing.T) {
	a, _, vpc, cfg := basicSetup(t, acctest.ServiceOptions{})
	first := map[string]string{}
	for i, sn := range vpc.Subnets {
		first[sn.ID] = sn.Host(10 + i)
	}
	second := maps.Clone(first)
	moved := vpc.Subnets[0]
	second[moved.ID] = moved.Host(40)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{
			{
				Config: withAddresses(cfg, first).String(),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.EndpointMatchesAPI(a, endpointAddr),
					interfacesHold(a, first),
					sameID.AddStateValue(endpointAddr, tfjsonpath.New("id")),
				},
			},
			{
				Config: withAddresses(cfg, second).String(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(endpointAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(endpointAddr, tfjsonpath.New("network_interface_ids")),
					plancheck.ExpectUnknownValue(endpointAddr, tfjsonpath.New("private_ips")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.EndpointMatchesAPI(a, endpointAddr),
					interfacesHold(a, second),
					sameID.AddStateValue(endpointAddr, tfjsonpath.New("id")),
				},
			},
			{
				// An imported endpoint has no subnet_configuration in its state.
				ResourceName:            endpointAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts", "subnet_configuration"},
			},
		},
	})
}

// Addresses the subnet cannot give fail at plan time, saying which are
// usable; nothing is created.
func TestAccEndpointPlan_fixedIPRefusals(t *testing.T) {
	_, _, vpc, cfg := basicSetup(t, acctest.ServiceOptions{})
	sn, other := vpc.Subnets[0], vpc.Subnets[1]
	cfg.SubnetIDs = []string{sn.ID}
	usable := fmt.Sprintf("Usable addresses are %s to %s", sn.Host(4), sn.Host(254))
	for _, tc := range []struct {
		name string
		ip   string
		want []string
	}{
		{"network address", sn.Host(0), []string{"cannot be used in subnet " + sn.ID, "one of the addresses AWS keeps in " + sn.CIDR, usable}},
		{"VPC router", sn.Host(1), []string{"cannot be used in subnet " + sn.ID, usable}},
		{"future use", sn.Host(3), []string{"cannot be used in subnet " + sn.ID, usable}},
		{"broadcast", sn.Host(255), []string{"cannot be used in subnet " + sn.ID, usable}},
		{"outside the subnet", other.Host(10), []string{"outside the subnet's CIDR block", usable}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expectPlanError(t, withAddresses(cfg, map[string]string{sn.ID: tc.ip}), tc.want...)
		})
	}
	t.Run("subnet not in subnet_ids", func(t *testing.T) {
		expectPlanError(t, withAddresses(cfg, map[string]string{other.ID: other.Host(10)}),
			fmt.Sprintf("Subnet %s in subnet_configuration is not in subnet_ids", other.ID), "Add "+other.ID+" to subnet_ids")
	})
	t.Run("IPv6 on an IPv4 endpoint", func(t *testing.T) {
		c := cfg
		c.Extra = fmt.Sprintf("  subnet_configuration = [{ subnet_id = %q, ipv4 = %q, ipv6 = \"2600:1f18::10\" }]\n", sn.ID, sn.Host(10))
		expectPlanError(t, c, "has an IPv6 address the endpoint will not carry", `ip_address_type = "ipv4"`)
	})
}

// An address another network interface holds is only known to EC2: the
// create fails with its refusal and says what to do, creating nothing.
func TestAccEndpoint_fixedIPInUse(t *testing.T) {
	a, svc, vpc, cfg := basicSetup(t, acctest.ServiceOptions{})
	sn := vpc.Subnets[0]
	cfg.SubnetIDs = []string{sn.ID}
	holder := acctest.NewEndpoint(t, a, &ec2.CreateVpcEndpointInput{
		VpcId: aws.String(vpc.ID), ServiceName: aws.String(svc.Name), SubnetIds: []string{sn.ID}, PrivateDnsEnabled: aws.Bool(false),
		SubnetConfigurations: []ec2types.SubnetConfiguration{{SubnetId: aws.String(sn.ID), Ipv4: aws.String(sn.Host(10))}},
	})
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{{
			Config: withAddresses(cfg, map[string]string{sn.ID: sn.Host(10)}).String(),
			// The advice rests on the address EC2 names, not on its error code.
			ExpectError: acctest.ErrorText("No endpoint was created", "fixed address "+sn.Host(10), "Pick a free address"),
		}},
	})
	// What EC2 holds, not what the provider said: only the endpoint that holds the address.
	if err := a.CheckExactlyEndpoints(context.Background(), []string{vpc.ID}, []string{holder}); err != nil {
		t.Fatal(err)
	}
}
