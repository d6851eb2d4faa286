package privatelink_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// On CLIs with resource identity (Terraform and OpenTofu 1.12 and newer),
// each endpoint's identity is its ID and Region, the same as its state,
// and an import { identity = {...} } block brings it back, in the
// provider's Region and across Regions. On older CLIs the rest of the
// suite proves that create, refresh, update, import by ID and destroy are
// unchanged by the identity the provider returns.
func TestAccEndpoint_identity(t *testing.T) {
	tr := newTwoRegions(t, acctest.EmulatorSecondRegion)
	identity := func(addr, region string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{
				"id":     knownvalue.StringRegexp(regexp.MustCompile(`^vpce-[0-9a-f]+$`)),
				"region": knownvalue.StringExact(region),
			}),
			statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("id")),
			statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("region")),
		}
	}
	config := tr.config(tr.remoteVPC.SubnetIDs())
	acctest.Test(t, resource.TestCase{
		TerraformVersionChecks: acctest.NeedsResourceIdentity(),
		CheckDestroy:           acctest.CheckEndpointsDestroyed(tr.home),
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: append(identity(homeAddr, acctest.EmulatorRegion), identity(remoteAddr, acctest.EmulatorSecondRegion)...),
			},
			{ResourceName: homeAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{ResourceName: remoteAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
		},
	})
}
