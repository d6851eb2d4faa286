package shareddns_test

import (
	"testing"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

func TestMain(m *testing.M) {
	acctest.RunTests(m)
}
