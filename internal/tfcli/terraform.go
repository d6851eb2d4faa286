// Package tfcli drives the real terraform CLI in a scratch root module with
// the provider binary under test, through a dev_overrides CLI config as
// internal/cmd/demo does: no terraform init, no registry. The benchmarks
// and the acceptance tests that interrupt or kill terraform share it; only
// tests import it.
package tfcli

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
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

// BuildProvider compiles the provider under test into dir as users get it:
// built the way .goreleaser.yml builds a release (CGO off, -ldflags "-s -w"),
// then unpacked from a zip archive the way terraform init installs a
// release, so that what the tests measure is what users run. Not with the
// release's -trimpath: it only shortens the file names in the binary, and
// it would compile every package once more than the tests themselves do
// (the GNUmakefile builds everything with CGO off for the same reason).
//
// The install matters to memory figures: the binary's pages that a
// process touches count in its resident set, and the kernel maps whole
// page-cache folios at a time. How a file was written decides its folios:
// `go build -o` leaves a run-to-run varying mix of 4 KB to 256 KB folios,
// one large write leaves folios up to 2 MB (about 20 MB more resident for
// the same work); terraform init's unzip writes through a 32 KB buffer.
func BuildProvider(dir string) error {
	built := filepath.Join(dir, ProviderBinary+".build")
	defer os.Remove(built)
	cmd := exec.Command("go", "build", "-ldflags=-s -w", "-o", built, providerModule)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building the provider: %w\n%s", err, out)
	}
	return installFromZip(built, filepath.Join(dir, ProviderBinary))
}

// installFromZip zips the file src and unpacks it to dst as terraform init
// does with a provider release (go-getter's ZipDecompressor: io.Copy from
// the archive entry into the new file).
func installFromZip(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	var archive bytes.Buffer
	zw := zip.NewWriter(&archive)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: ProviderBinary, Method: zip.Deflate})
	if err == nil {
		_, err = w.Write(data)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		return fmt.Errorf("zipping the provider: %w", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(archive.Bytes()), int64(archive.Len()))
	if err != nil {
		return err
	}
	entry, err := zr.File[0].Open()
	if err != nil {
		return err
	}
	defer entry.Close()
	f, err := os.OpenFile(dst, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, entry); err != nil {
		f.Close()
		return fmt.Errorf("unpacking the provider: %w", err)
	}
	return f.Close()
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
