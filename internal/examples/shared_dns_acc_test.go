package examples_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

const exampleSharedDNS = "engflow_privatelink_shared_dns.engflow"

// TestAccExamples_sharedDNS applies the hub-and-spoke example through the
// CLI: Route 53 reports a private zone for the example's name with the hub
// and both spokes, and an A alias to the endpoint's regional DNS name;
// import.sh's command, its zone ID filled in, reads the same back; after
// destroy Route 53 reports no zone for the name.
func TestAccExamples_sharedDNS(t *testing.T) {
	acctest.PreCheck(t)
	a := acctest.TestAWS(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	if len(svc.Zones) < 2 {
		t.Skipf("the example uses subnets in two zones; service %s is offered in %d", svc.Name, len(svc.Zones))
	}
	f := &exampleFixture{svc: svc, vpc: acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones}),
		spokes: []*acctest.VPC{acctest.NewVPC(t, acctest.VPCOptions{}), acctest.NewVPC(t, acctest.VPCOptions{})}}
	cfg := f.render(t, "resources/engflow_privatelink_shared_dns/resource.tf")
	domain := hclString(t, cfg, "domain_name")
	acctest.Test(t, resource.TestCase{
		CheckDestroy: func(s *terraform.State) error {
			zones, err := a.ZonesNamed(context.Background(), domain)
			if err != nil {
				return err
			}
			if len(zones) > 0 {
				return fmt.Errorf("after destroy Route 53 lists %d zones for %s", len(zones), domain)
			}
			return acctest.CheckEndpointsDestroyed(a)(s)
		},
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: func(s *terraform.State) error {
				ctx := context.Background()
				zoneID := s.RootModule().Resources[exampleSharedDNS].Primary.Attributes["zone_id"]
				regional := s.RootModule().Resources["engflow_privatelink_endpoint.hub"].Primary.Attributes["regional_dns_name"]
				if err := a.CheckPrivateZone(ctx, zoneID, domain, []string{f.vpc.ID, f.spokes[0].ID, f.spokes[1].ID}); err != nil {
					return err
				}
				alias, err := a.AliasA(ctx, zoneID, domain)
				if err != nil {
					return err
				}
				if got := strings.TrimSuffix(aws.ToString(alias.DNSName), "."); regional == "" || got != regional {
					return fmt.Errorf("zone %s's A alias targets %q, want the endpoint's regional name %q", zoneID, got, regional)
				}
				return nil
			},
		}, {
			ResourceName: exampleSharedDNS, ImportState: true, ImportStateVerify: true,
			ImportStateVerifyIdentifierAttribute: "zone_id",
			ImportStateIdFunc: func(s *terraform.State) (string, error) {
				f.zoneID = s.RootModule().Resources[exampleSharedDNS].Primary.Attributes["zone_id"]
				rendered, err := f.renderFile(sharedDNSImport)
				if err != nil {
					return "", err
				}
				addr, id, err := importCommand(rendered)
				if err == nil && addr != exampleSharedDNS {
					err = fmt.Errorf("%s imports %s; the test expects resource.tf's %s", sharedDNSImport, addr, exampleSharedDNS)
				}
				return id, err
			},
		}},
	})
}

const sharedDNSImport = "resources/engflow_privatelink_shared_dns/import.sh"
