package examples_test

import (
	"context"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// TestAccExamples_connectingBazel applies the guide Connecting Bazel as a
// reader copies it, with its variables set: a VPC with a subnet in each
// zone the service offers and one in a zone it does not, which the
// configuration leaves out. EC2 reports the endpoint with exactly the
// subnets of the offered zones, the check block passes (but for what a
// service without a private DNS name lacks), and the .bazelrc line names
// the cluster.
func TestAccExamples_connectingBazel(t *testing.T) {
	acctest.PreCheck(t)
	a := acctest.TestAWS(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	all, err := a.Zones(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	zones := slices.Clone(svc.Zones)
	if i := slices.IndexFunc(all, func(z acctest.Zone) bool { return !slices.Contains(svc.Zones, z) }); i >= 0 {
		zones = append(zones, all[i]) // a zone the service does not offer
	}
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: zones})
	byZone := map[string]config.Variable{}
	var offered []knownvalue.Check
	for _, sn := range vpc.Subnets {
		byZone[sn.Zone.ID] = config.StringVariable(sn.ID)
		if slices.Contains(svc.Zones, sn.Zone) {
			offered = append(offered, knownvalue.StringExact(sn.ID))
		}
	}
	if len(offered) == len(vpc.Subnets) {
		t.Logf("every zone of %s offers the service: the filter is not exercised", a.Region)
	}
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{{
			ConfigDirectory: configDir(t, svc, map[string]string{"main.tf": (&exampleFixture{svc: svc, vpc: vpc}).render(t, "guides/connecting-bazel.tf")},
				endpointOverride("engflow")),
			ConfigVariables: config.Variables{
				"region":               config.StringVariable(a.Region),
				"engflow_service_name": config.StringVariable(svc.Name),
				"vpc_id":               config.StringVariable(vpc.ID),
				"subnets_by_zone_id":   config.MapVariable(byZone),
				"security_group_ids":   config.ListVariable(config.StringVariable(vpc.SecurityGroupID)),
			},
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.EndpointMatchesAPI(a, exampleEndpoint),
				statecheck.ExpectKnownValue(exampleEndpoint, tfjsonpath.New("subnet_ids"), knownvalue.SetExact(offered)),
				failedChecks(exampleEndpointData, privateNameFailures(svc)),
				checkResults([]string{"check.engflow"}, failingCheckBlock("check.engflow", svc)),
				dataSourceBazelrc("bazelrc", svc),
			},
		}},
	})
}
