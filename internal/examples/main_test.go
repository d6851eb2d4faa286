// Package examples_test applies what users copy from this repository, the
// examples/ directory and the module in examples/modules, against the local
// EC2 emulator (or real AWS), so that none of it can rot unnoticed.
package examples_test

import (
	"os"
	"testing"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

func TestMain(m *testing.M) {
	// The examples and the module declare source = "engflow/engflow", as
	// users write it: terraform-plugin-testing must serve the provider under
	// test at that address, not at its default hashicorp/engflow (which
	// Terraform would try to download). make testacc sets this too.
	if os.Getenv("TF_ACC_PROVIDER_NAMESPACE") == "" {
		os.Setenv("TF_ACC_PROVIDER_NAMESPACE", "engflow")
	}
	acctest.RunTests(m)
}
