package examples_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

const exampleSharedDNS = "engflow_privatelink_shared_dns.engflow"

// TestAccExamples_sharedDNS applies the hub-and-spoke example through the
// CLI: Route 53 reports a private zone for the example's name with the hub
// and both spokes, and an A alias to the endpoint's regional DNS name;
// after destroy it reports no zone for the name.
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
				hz, err := a.Route53.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(zoneID)})
				if err != nil {
					return err
				}
				var vpcs []string
				for _, v := range hz.VPCs {
					vpcs = append(vpcs, aws.ToString(v.VPCId))
				}
				want := []string{f.vpc.ID, f.spokes[0].ID, f.spokes[1].ID}
				slices.Sort(vpcs)
				slices.Sort(want)
				if !slices.Equal(vpcs, want) || aws.ToString(hz.HostedZone.Name) != domain+"." {
					return fmt.Errorf("zone %s for %s has VPCs %v; want %s with %v", zoneID, aws.ToString(hz.HostedZone.Name), vpcs, domain, want)
				}
				recs, err := a.Route53.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(zoneID)})
				if err != nil {
					return err
				}
				for _, r := range recs.ResourceRecordSets {
					if r.Type == r53types.RRTypeA && r.AliasTarget != nil &&
						strings.TrimSuffix(aws.ToString(r.AliasTarget.DNSName), ".") == regional && regional != "" {
						return nil
					}
				}
				return fmt.Errorf("zone %s has no A alias to the endpoint's regional name %q: %+v", zoneID, regional, recs.ResourceRecordSets)
			},
		}},
	})
}
