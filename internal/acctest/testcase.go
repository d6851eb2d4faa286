package acctest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Test is resource.Test with the provider under test filled in, served
// in-process (ProtoV6ProviderFactories); tc names no providers itself.
// They go on the TestCase, or on every step when a step is read from files
// (ConfigDirectory, ConfigFile): terraform-plugin-testing runs terraform
// init on a step's files only when the step names the providers, and takes
// a provider block in them for the step naming its providers, which it
// refuses beside providers named on the TestCase.
//
// The rest stays the caller's to say, as it differs from test to test:
// CheckDestroy (CheckEndpointsDestroyed for a test that creates
// endpoints), TerraformVersionChecks (NeedsResourceIdentity), the steps.
// Call PreCheck before building fixtures, as they need what it checks.
func Test(t *testing.T, tc resource.TestCase) {
	t.Helper()
	if readsFiles(tc.Steps) {
		tc.Steps = append([]resource.TestStep(nil), tc.Steps...)
		for i := range tc.Steps {
			tc.Steps[i].ProtoV6ProviderFactories = ProtoV6ProviderFactories()
		}
	} else {
		tc.ProtoV6ProviderFactories = ProtoV6ProviderFactories()
	}
	resource.Test(t, tc)
}

func readsFiles(steps []resource.TestStep) bool {
	for _, s := range steps {
		if s.ConfigDirectory != nil || s.ConfigFile != nil {
			return true
		}
	}
	return false
}

// NeedsResourceIdentity skips a test on CLIs without resource identity
// (import blocks by identity, identity in state): Terraform and OpenTofu
// before 1.12.
func NeedsResourceIdentity() []tfversion.TerraformVersionCheck {
	return []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}
}

// NeedsQuery skips a test below Terraform 1.14, the first with `terraform
// query` and list resources (OpenTofu has neither), before it makes any
// fixture; the returned checks say the same to terraform-plugin-testing.
func NeedsQuery(t *testing.T) []tfversion.TerraformVersionCheck {
	t.Helper()
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	out, err := exec.Command(cmp.Or(bin, "terraform"), "version", "-json").Output()
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err == nil && json.Unmarshal(out, &v) == nil && v.Version != "" {
		if got, err := version.NewVersion(v.Version); err == nil && got.LessThan(tfversion.Version1_14_0) {
			t.Skipf("terraform query needs Terraform 1.14 or newer; %s is %s", cmp.Or(bin, "terraform"), got)
		}
	}
	return []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}
}

// HCLList renders strings as an HCL list expression, ["a", "b"]: for
// configurations and TF_VAR_ variables.
func HCLList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
