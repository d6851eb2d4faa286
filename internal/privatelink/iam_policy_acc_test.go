package privatelink_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
	"github.com/engflow/terraform-provider-engflow/internal/iamguide"
)

// The provider's whole lifecycle calls only the EC2 actions the IAM guide
// publishes: create awaiting acceptance, private DNS after acceptance,
// update of groups and tags, the data sources with every check, import and
// delete.
func TestAccIAMPolicy_coversEveryCall(t *testing.T) {
	acctest.RequireEmulator(t, "it reads the provider's calls from the emulator's request log")
	a, svc, vpc, cfg := basicSetup(t, acctest.ServiceOptions{AcceptanceRequired: true})
	emu, mark := logMark(t)
	documented, err := iamguide.EC2Actions()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Tags = map[string]string{"team": "build"}
	var id string
	withData := func(c endpointConfig) string {
		return c.String() + fmt.Sprintf(`
data "engflow_privatelink_service" "test" {
  service_name = %q
}

data "engflow_privatelink_endpoint" "test" {
  id          = engflow_privatelink_endpoint.test.id
  resolve_dns = false
}
`, svc.Name)
	}
	updated := cfg
	updated.SecurityGroupIDs = []string{vpc.SecurityGroupID, acctest.NewSecurityGroup(t, vpc.ID)}
	updated.Tags = map[string]string{"team": "remote-exec"}
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{
			{Config: withData(cfg), Check: captureID(&id), ExpectNonEmptyPlan: true},
			{PreConfig: func() {
				if err := svc.Accept(context.Background(), id); err != nil {
					t.Fatal(err)
				}
			}, Config: withData(updated)},
			{ResourceName: endpointAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"timeouts"}},
		},
	})
	reqs, _, err := emu.Requests(context.Background(), mark)
	if err != nil {
		t.Fatal(err)
	}
	called := map[string]bool{}
	for _, r := range reqs {
		if r.FromProvider() && r.Service == "ec2" {
			called[r.Action] = true
		}
	}
	for action := range called {
		if !slices.Contains(documented, action) {
			t.Errorf("the provider called ec2:%s, which the IAM guide does not list", action)
		}
	}
	// The scenario must have reached the actions that matter, or the check above proves little.
	for _, must := range []string{"CreateVpcEndpoint", "ModifyVpcEndpoint", "DeleteVpcEndpoints", "DescribeNetworkAcls", "CreateTags"} {
		if !called[must] {
			t.Errorf("the scenario never called ec2:%s (calls seen: %v)", must, called)
		}
	}
}
