package privatelink_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// One provider block (in the tests' Region) serves endpoints in two
// Regions: one next to the EngFlow service, and one in another Region that
// connects to it across Regions (cross-Region PrivateLink).

const (
	homeAddr   = "engflow_privatelink_endpoint.home"
	remoteAddr = "engflow_privatelink_endpoint.remote"
)

// twoRegions is a service of the tests' Region that accepts endpoints from
// acctest.EmulatorSecondRegion, a VPC in each Region, and the fixture
// clients of the second.
type twoRegions struct {
	home, remote *acctest.AWS
	svc          *acctest.Service
	homeVPC      *acctest.VPC
	remoteVPC    *acctest.VPC
	remoteZones  []acctest.Zone // zones of the second Region AWS takes cross-Region endpoints in
}

func newTwoRegions(t *testing.T, supported ...string) twoRegions {
	t.Helper()
	acctest.PreCheck(t)
	a := acctest.TestAWS(t)
	tr := twoRegions{home: a, remote: a.InRegion(acctest.EmulatorSecondRegion)}
	tr.svc = acctest.NewService(t, acctest.ServiceOptions{SupportedRegions: supported})
	tr.homeVPC = acctest.NewVPC(t, acctest.VPCOptions{Zones: tr.svc.Zones})
	zones, err := tr.remote.Zones(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tr.remoteZones = zones[:2]
	if len(supported) > 0 {
		tr.remoteZones, _ = acctest.RemoteAccessZones(t, acctest.EmulatorSecondRegion, tr.svc)
		tr.remoteZones = tr.remoteZones[:min(2, len(tr.remoteZones))]
	}
	tr.remoteVPC = acctest.NewVPC(t, acctest.VPCOptions{Region: acctest.EmulatorSecondRegion, Zones: tr.remoteZones})
	return tr
}

// config declares the home endpoint in the provider's Region and the remote
// one with region = the second Region, remoteSubnets of its VPC; private
// DNS off for a service without a private DNS name (see privateDNSFor).
func (tr twoRegions) config(remoteSubnets []string) string {
	privateDNS := ""
	if p := privateDNSFor(tr.svc); p != nil {
		privateDNS = fmt.Sprintf("  private_dns_enabled = %t\n", *p)
	}
	return fmt.Sprintf(`provider "engflow" {}

resource "engflow_privatelink_endpoint" "home" {
  service_name       = %[1]q
  vpc_id             = %[2]q
  subnet_ids         = %[3]s
  security_group_ids = [%[4]q]
%[9]s}

resource "engflow_privatelink_endpoint" "remote" {
  region             = %[5]q
  service_name       = %[1]q
  vpc_id             = %[6]q
  subnet_ids         = %[7]s
  security_group_ids = [%[8]q]
%[9]s}
`, tr.svc.Name, tr.homeVPC.ID, acctest.HCLList(tr.homeVPC.SubnetIDs()), tr.homeVPC.SecurityGroupID,
		acctest.EmulatorSecondRegion, tr.remoteVPC.ID, acctest.HCLList(remoteSubnets), tr.remoteVPC.SecurityGroupID, privateDNS)
}

// remoteExecutor is what remote_executor holds for an endpoint of svc:
// null when the service has no private DNS name.
func remoteExecutor(svc *acctest.Service) knownvalue.Check {
	if svc.PrivateDNSName == "" {
		return knownvalue.Null()
	}
	return knownvalue.StringExact("grpcs://" + svc.PrivateDNSName)
}

func TestAccEndpoint_severalRegions(t *testing.T) {
	tr := newTwoRegions(t, acctest.EmulatorSecondRegion)
	region := func(addr, want string) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(addr, tfjsonpath.New("region"), knownvalue.StringExact(want))
	}
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(tr.home),
		Steps: []resource.TestStep{
			{
				Config: tr.config(tr.remoteVPC.SubnetIDs()),
				ConfigStateChecks: []statecheck.StateCheck{
					region(homeAddr, acctest.EmulatorRegion),
					region(remoteAddr, acctest.EmulatorSecondRegion),
					statecheck.ExpectKnownValue(remoteAddr, tfjsonpath.New("service_region"), knownvalue.StringExact(acctest.EmulatorRegion)),
					statecheck.ExpectKnownValue(homeAddr, tfjsonpath.New("state"), knownvalue.StringExact("available")),
					statecheck.ExpectKnownValue(remoteAddr, tfjsonpath.New("state"), knownvalue.StringExact("available")),
					statecheck.ExpectKnownValue(remoteAddr, tfjsonpath.New("remote_executor"), remoteExecutor(tr.svc)),
					// Each through the API of its own Region.
					acctest.EndpointMatchesAPI(tr.home, homeAddr),
					acctest.EndpointMatchesAPI(tr.remote, remoteAddr),
					acctest.ExactlyStateEndpoints(tr.home, tr.homeVPC.ID),
					acctest.ExactlyStateEndpoints(tr.remote, tr.remoteVPC.ID),
				},
			},
			{
				// An update in place, across Regions.
				Config: tr.config(tr.remoteVPC.SubnetIDs()[:1]),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(remoteAddr, tfjsonpath.New("subnet_ids"), knownvalue.SetSizeExact(1)),
					acctest.EndpointMatchesAPI(tr.remote, remoteAddr),
				},
			},
			{
				ResourceName:      remoteAddr,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return s.RootModule().Resources[remoteAddr].Primary.ID + "@" + acctest.EmulatorSecondRegion, nil
				},
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

// A Region the service does not accept endpoints from: the plan says which
// Region to ask EngFlow to enable, and no endpoint is made.
func TestAccEndpoint_regionNotEnabled(t *testing.T) {
	tr := newTwoRegions(t) // the service lists no other Region
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: tr.config(tr.remoteVPC.SubnetIDs()),
			ExpectError: acctest.ErrorText("not found or not allowlisted",
				"ask EngFlow to enable "+acctest.EmulatorSecondRegion+" for the service"),
		}},
	})
	endpoints, err := tr.remote.Endpoints(context.Background(), &ec2.DescribeVpcEndpointsInput{
		Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{tr.remoteVPC.ID}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(endpoints) > 0 {
		t.Errorf("the refused plan left %d endpoints in %s", len(endpoints), tr.remoteVPC.ID)
	}
}

// A subnet in a zone AWS does not open to cross-Region endpoints: the apply
// fails with the zone IDs AWS supports and what to do, and makes nothing.
func TestAccEndpoint_remoteAccessZoneRefused(t *testing.T) {
	tr := newTwoRegions(t, acctest.EmulatorSecondRegion)
	_, refused := acctest.RemoteAccessZones(t, acctest.EmulatorSecondRegion, tr.svc)
	if len(refused) == 0 {
		t.Skip("AWS takes cross-Region endpoints in every zone of " + acctest.EmulatorSecondRegion)
	}
	badVPC := acctest.NewVPC(t, acctest.VPCOptions{Region: acctest.EmulatorSecondRegion, Zones: refused[:1]})
	tr.remoteVPC = badVPC
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(tr.home),
		Steps: []resource.TestStep{{
			Config: tr.config(badVPC.SubnetIDs()),
			ExpectError: acctest.ErrorText("supported for remote access", "No endpoint was created",
				"Choose subnets whose availability_zone_id is one of them"),
		}},
	})
	if err := tr.remote.CheckExactlyEndpoints(context.Background(), []string{badVPC.ID}, nil); err != nil {
		t.Error(err)
	}
}
