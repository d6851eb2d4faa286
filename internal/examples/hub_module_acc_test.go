package examples_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
	"github.com/engflow/terraform-provider-engflow/internal/acctest/testfile"
)

// hubModuleConfig calls examples/modules/privatelink-hub-and-spokes by its
// path and re-exports its outputs (a file, so that terraform init installs
// the module: see moduleConfig).
func hubModuleConfig(t *testing.T, svc *acctest.Service, hub *acctest.VPC, domain string, spokes []string) func(config.TestStepConfigRequest) string {
	t.Helper()
	text := fmt.Sprintf(`terraform {
  required_providers {
    engflow = { source = "engflow/engflow" }
  }
}

provider "engflow" {}

module "engflow" {
  source         = %q
  service_name   = %q
  cluster_domain = %q
  hub = {
    vpc_id             = %q
    subnet_ids         = %s
    security_group_ids = [%q]
  }
  spoke_vpc_ids = %s
}

output "zone_id" {
  value = module.engflow.zone_id
}
`, repoPath(t, "examples/modules/privatelink-hub-and-spokes"), svc.Name, domain, hub.ID, acctest.HCLList(hub.SubnetIDs()), hub.SecurityGroupID, acctest.HCLList(spokes))
	return config.StaticFile(testfile.Temp(t, "main.tf", text))
}

// TestAccModule_hubAndSpokes applies the hub-and-spoke module with two
// spokes, then one: Route 53 reports the zone with exactly the hub and the
// spokes each time, and no zone for the name after destroy.
func TestAccModule_hubAndSpokes(t *testing.T) {
	acctest.PreCheck(t)
	a := acctest.TestAWS(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	hub := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	spokes := []string{acctest.NewVPC(t, acctest.VPCOptions{}).ID, acctest.NewVPC(t, acctest.VPCOptions{}).ID}
	domain := acctest.RandomName("hub") + ".cluster.engflow.com"
	// A state check, not a Check: the legacy state of Check refuses modules.
	associated := func(want ...string) []statecheck.StateCheck {
		return []statecheck.StateCheck{acctest.StateCheckFunc(func(_ context.Context, st *tfjson.State) error {
			v, err := output(st, "zone_id")
			if err != nil {
				return err
			}
			zoneID, _ := v.(string)
			return a.CheckPrivateZone(context.Background(), zoneID, domain, append([]string{hub.ID}, want...))
		})}
	}
	// moduleTest: state checks only, and a last step that destroys and asks
	// EC2 that the endpoint is gone; Route 53 is asked here afterwards.
	moduleTest(t, a, []*acctest.VPC{hub}, []resource.TestStep{
		{ConfigFile: hubModuleConfig(t, svc, hub, domain, spokes), ConfigStateChecks: associated(spokes...)},
		{ConfigFile: hubModuleConfig(t, svc, hub, domain, spokes[:1]), ConfigStateChecks: associated(spokes[0])},
	})
	zones, err := a.ZonesNamed(context.Background(), domain)
	if err != nil {
		t.Fatal(err)
	}
	for _, z := range zones {
		t.Errorf("after destroy Route 53 still lists zone %s for %s", aws.ToString(z.Id), domain)
		_ = a.DeleteZone(context.Background(), aws.ToString(z.Id))
	}
}
