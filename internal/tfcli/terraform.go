// Package tfcli drives the real terraform CLI in a scratch root module with
// the provider binary under test, through a dev_overrides CLI config as
// internal/cmd/demo does: no terraform init, no registry. The benchmarks
// and the acceptance tests that interrupt or kill terraform share it; only
// tests import it.
package tfcli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

const (
	providerModule = "github.com/engflow/terraform-provider-engflow"
	// ProviderBinary is the file BuildProvider writes, the name terraform
	// looks for in a dev_overrides directory.
	ProviderBinary = "terraform-provider-engflow"
)

// BuildProvider compiles the provider under test into dir.
func BuildProvider(dir string) error {
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, ProviderBinary), providerModule)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building the provider: %w\n%s", err, out)
	}
	return nil
}

// Terraform runs terraform (Bin) in the root module Dir with the
// environment Env.
type Terraform struct {
	Bin, Dir string
	Env      []string
}

// New returns a Terraform with an empty scratch root module whose CLI
// config takes the provider from providerDir. Bin is TF_ACC_TERRAFORM_PATH,
// else terraform on PATH.
func New(t testing.TB, providerDir string) *Terraform {
	t.Helper()
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("no terraform CLI: set TF_ACC_TERRAFORM_PATH or put terraform on PATH")
		}
	}
	tf := &Terraform{Bin: bin, Dir: t.TempDir(), Env: os.Environ()}
	tf.WriteFile(t, "dev.tfrc", []byte(acctest.DevOverridesCLIConfig(providerDir)))
	// This replaces the TF_CLI_CONFIG_FILE=/dev/null of make's ACC_ENV.
	tf.Setenv("TF_CLI_CONFIG_FILE="+filepath.Join(tf.Dir, "dev.tfrc"), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	return tf
}

// WriteFile writes a file of the root module (main.tf, *.tfvars.json, ...).
func (tf *Terraform) WriteFile(t testing.TB, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(tf.Dir, name), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// Setenv appends "K=V" entries to Env. Later entries win (os/exec uses the
// last value of a duplicated key), so this overrides the inherited
// environment.
func (tf *Terraform) Setenv(kv ...string) {
	for _, e := range kv {
		if !strings.Contains(e, "=") {
			panic(fmt.Sprintf("tfcli: Setenv(%q): want K=V entries", e))
		}
	}
	tf.Env = append(tf.Env, kv...)
}

// HasResources reports whether the state may hold resources to destroy:
// true also when the state file is there but unreadable as JSON.
func (tf *Terraform) HasResources() bool {
	data, err := os.ReadFile(filepath.Join(tf.Dir, "terraform.tfstate"))
	var state struct {
		Resources []json.RawMessage `json:"resources"`
	}
	return err == nil && (json.Unmarshal(data, &state) != nil || len(state.Resources) > 0)
}

// Run runs one terraform command to its end while sampling its provider
// processes. A non-zero exit is reported in the Result, not as an error;
// if ctx ends first, terraform and its providers are killed and the error
// says so.
func (tf *Terraform) Run(ctx context.Context, args ...string) (Result, error) {
	p, err := tf.Start(ctx, args...)
	if err != nil {
		return Result{}, err
	}
	return p.Wait()
}
