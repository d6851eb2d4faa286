package privatelink_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// expectPlanError runs a plan of cfg that must fail with want, and proves
// from the emulator's request log that nothing was created, changed or
// deleted on the way.
func expectPlanError(t *testing.T, cfg endpointConfig, want ...string) {
	t.Helper()
	ctx := context.Background()
	emu, mark := logMark(t)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      cfg.String(),
			ExpectError: acctest.ErrorText(want...),
		}},
	})
	if emu == nil {
		return
	}
	calls, err := emu.MutatingCalls(ctx, mark)
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) > 0 {
		t.Errorf("a failed plan made mutating EC2 calls: %+v", calls)
	}
}

// expectPlanSucceeds runs a plan of cfg that must go through (and would
// create what cfg declares); nothing is applied.
func expectPlanSucceeds(t *testing.T, cfg endpointConfig) {
	t.Helper()
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:             cfg.String(),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		}},
	})
}

// logMark returns the emulator and the end of its request log, or nil on
// real AWS (where there is no log to read).
func logMark(t *testing.T) (*acctest.Emulator, int) {
	t.Helper()
	if acctest.Target() != acctest.TargetEmulator {
		return nil, 0
	}
	emu := acctest.RequireEmulator(t, "request log")
	mark, err := emu.Mark(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return emu, mark
}

func TestAccEndpointPlan_malformedServiceName(t *testing.T) {
	_, _, _, cfg := basicSetup(t, acctest.ServiceOptions{})
	cfg.ServiceName = "engflow-cluster"
	expectPlanError(t, cfg, "must be an endpoint service name", "com.amazonaws.vpce.<region>.vpce-svc-<hex")
}

func TestAccEndpointPlan_serviceNotFoundNamesAccount(t *testing.T) {
	_, _, _, cfg := basicSetup(t, acctest.ServiceOptions{})
	cfg.ServiceName = "com.amazonaws.vpce." + acctest.TestAWS(t).Region + ".vpce-svc-00000000000000000"
	expectPlanError(t, cfg, "not found or not allowlisted", "send AWS account "+acctest.TestAccountID(t), "to your EngFlow support engineer")
}

func TestAccEndpointPlan_subnetInZoneNotOffered(t *testing.T) {
	acctest.PreCheck(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: append(svc.Zones[:1:1], acctest.UnofferedZone(t, svc))})
	cfg := endpointConfig{ServiceName: svc.Name, VPCID: vpc.ID, SubnetIDs: vpc.SubnetIDs(), SecurityGroupIDs: []string{vpc.SecurityGroupID}}
	bad := vpc.Subnets[1]
	expectPlanError(t, cfg, "does not offer", fmt.Sprintf("%s in %s (%s)", bad.ID, bad.Zone.Name, bad.Zone.ID))
}

func TestAccEndpointPlan_twoSubnetsInOneZone(t *testing.T) {
	_, _, vpc, cfg := basicSetup(t, acctest.ServiceOptions{})
	extra := acctest.NewSubnet(t, vpc.ID, vpc.Subnets[0].Zone.Name, "10.0.100.0/24")
	cfg.SubnetIDs = []string{vpc.Subnets[0].ID, extra}
	expectPlanError(t, cfg, "Two subnets in one Availability Zone", "one subnet per zone")
}

func TestAccEndpointPlan_subnetsAndGroupsOfOtherVPCs(t *testing.T) {
	_, svc, _, cfg := basicSetup(t, acctest.ServiceOptions{})
	other := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	t.Run("subnet in another VPC", func(t *testing.T) {
		c := cfg
		c.SubnetIDs = []string{other.Subnets[0].ID}
		expectPlanError(t, c, fmt.Sprintf("Subnet %s is in another VPC", other.Subnets[0].ID), "belongs to "+other.ID)
	})
	t.Run("missing subnet", func(t *testing.T) {
		c := cfg
		c.SubnetIDs = []string{"subnet-0123456789abcdef0"}
		expectPlanError(t, c, "Subnet subnet-0123456789abcdef0 does not exist")
	})
	t.Run("group in another VPC", func(t *testing.T) {
		c := cfg
		c.SecurityGroupIDs = []string{other.SecurityGroupID}
		expectPlanError(t, c, fmt.Sprintf("Security group %s is in another VPC", other.SecurityGroupID), "belongs to "+other.ID)
	})
	t.Run("missing group", func(t *testing.T) {
		c := cfg
		c.SecurityGroupIDs = []string{"sg-0123456789abcdef0"}
		expectPlanError(t, c, "Security group sg-0123456789abcdef0 does not exist")
	})
}

// Private DNS needs the VPC's DNS attributes: turning it on in a VPC with
// DNS hostnames off fails at plan time, naming the fix. With private DNS
// off (the error's other way out, and all a service without a private DNS
// name allows) they do not matter and the plan goes through.
func TestAccEndpointPlan_vpcDNSAttributesOff(t *testing.T) {
	acctest.PreCheck(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones, DisableDNSHostnames: true})
	cfg := endpointConfig{ServiceName: svc.Name, VPCID: vpc.ID, SubnetIDs: vpc.SubnetIDs(), SecurityGroupIDs: []string{vpc.SecurityGroupID},
		PrivateDNS: privateDNSFor(svc)}
	if cfg.privateDNSOn() {
		expectPlanError(t, cfg, fmt.Sprintf("VPC %s has enableDnsHostnames turned off", vpc.ID), "enable_dns_hostnames = true")
	}
	cfg.PrivateDNS = boolPtr(false)
	expectPlanSucceeds(t, cfg)
}

// Another endpoint already has private DNS for the service in this VPC:
// the error names it and gives the import command. A second endpoint
// without private DNS (the error's other way out, and all a service
// without a private DNS name allows) is fine with AWS, and with the plan.
func TestAccEndpointPlan_conflictingPrivateDNS(t *testing.T) {
	a, svc, vpc, cfg := basicSetup(t, acctest.ServiceOptions{})
	existing := createEndpointOutOfBand(t, svc.Name, vpc.ID, vpc.Subnets[:1], cfg.privateDNSOn())
	if emu := acctest.RunningEmulator(); emu != nil {
		// EC2 hiding the existing endpoint for a moment is not what this checks.
		emu.ConfigureForTest(t, map[string]any{"flicker_rate": 0.0})
	}
	// Someone made it a while ago: every look-up finds it.
	acctest.WaitForEndpointsListed(t, a, vpc.ID, existing)
	if cfg.privateDNSOn() {
		expectPlanError(t, cfg, fmt.Sprintf("Endpoint %s already serves", existing), "terraform import", existing)
	}
	cfg.PrivateDNS = boolPtr(false)
	expectPlanSucceeds(t, cfg)
}

// A service without a private DNS name: private DNS (on by default) is
// refused at plan time, with the way out.
func TestAccEndpointPlan_serviceWithoutPrivateDNSName(t *testing.T) {
	acctest.PreCheck(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{NoPrivateDNSName: true})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	cfg := endpointConfig{ServiceName: svc.Name, VPCID: vpc.ID, SubnetIDs: vpc.SubnetIDs(), SecurityGroupIDs: []string{vpc.SecurityGroupID}}
	expectPlanError(t, cfg, "The service has no private DNS name", "Set private_dns_enabled = false", "regional_dns_name")
}

// createEndpointOutOfBand makes an endpoint outside Terraform for one test.
func createEndpointOutOfBand(t *testing.T, service, vpcID string, subnets []acctest.Subnet, privateDNS bool, groups ...string) string {
	t.Helper()
	ids := make([]string, len(subnets))
	for i, s := range subnets {
		ids[i] = s.ID
	}
	return acctest.NewEndpoint(t, acctest.TestAWS(t), &ec2.CreateVpcEndpointInput{
		VpcId: aws.String(vpcID), ServiceName: aws.String(service), SubnetIds: ids,
		PrivateDnsEnabled: aws.Bool(privateDNS), SecurityGroupIds: groups,
	})
}

func TestAccEndpointPlan_emptyLists(t *testing.T) {
	_, _, _, cfg := basicSetup(t, acctest.ServiceOptions{})
	t.Run("subnets", func(t *testing.T) {
		c := cfg
		c.SubnetIDs = []string{}
		expectPlanError(t, c, "subnet_ids set must contain at least 1")
	})
	t.Run("security groups", func(t *testing.T) {
		c := cfg
		c.SecurityGroupIDs = []string{}
		expectPlanError(t, c, "security_group_ids is empty", "TCP 443")
	})
}

func TestAccEndpointPlan_badArgumentValues(t *testing.T) {
	_, _, _, cfg := basicSetup(t, acctest.ServiceOptions{})
	for _, tc := range []struct {
		name, extra string
		want        []string
	}{
		{"timeout", "  timeouts {\n    create = \"ten minutes\"\n  }\n", []string{"Time Duration", `"ten minutes"`, `such as "300ms"`}},
		{"ip_address_type", "  ip_address_type = \"ipv5\"\n", []string{"ip_address_type", "value must be one of"}},
		{"dns_record_ip_type", "  dns_record_ip_type = \"ipv5\"\n", []string{"dns_record_ip_type", "value must be one of"}},
		{"IP type the service lacks", "  ip_address_type = \"ipv6\"\n", []string{"IP address type not supported by the service", "supports only ipv4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := cfg
			c.Extra = tc.extra
			expectPlanError(t, c, tc.want...)
		})
	}
}
