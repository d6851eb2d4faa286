// Package pipeline_test tries the provider as CI pipelines run it: the real
// terraform CLI and the provider binary, as users install it, against the
// local EC2 emulator. Runs get interrupted (SIGINT) and killed (SIGKILL),
// a hundred endpoints go up under throttling, and TF_LOG=trace output is
// searched for credentials.
package pipeline_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
	"github.com/engflow/terraform-provider-engflow/internal/tfcli"
)

func TestMain(m *testing.M) {
	code := acctest.Run(m)
	if provider.dir != "" {
		os.RemoveAll(provider.dir)
	}
	os.Exit(code)
}

// provider is the binary under test, built once per test binary.
var provider struct {
	once sync.Once
	dir  string
	err  error
}

// commandTimeout bounds each terraform command; a hung one fails the test
// and its process group is killed.
const commandTimeout = 15 * time.Minute

// newRootModule gives the test a scratch root module of
// tfcli.EndpointsModule, run by the real terraform CLI with the freshly
// built provider.
func newRootModule(t *testing.T) *tfcli.Terraform {
	t.Helper()
	acctest.RequireEmulator(t, "drives the CLI against the local emulator and reads its request log")
	provider.once.Do(func() {
		if provider.dir, provider.err = os.MkdirTemp("", "engflow-pipeline-"); provider.err == nil {
			provider.err = tfcli.BuildProvider(provider.dir)
		}
	})
	if provider.err != nil {
		t.Fatal(provider.err)
	}
	tf := tfcli.New(t, provider.dir)
	tf.WriteFile(t, "main.tf", []byte(tfcli.EndpointsModule))
	return tf
}

// mustRun runs a terraform command that must succeed.
func mustRun(t *testing.T, tf *tfcli.Terraform, args ...string) tfcli.Result {
	t.Helper()
	r := run(t, tf, args...)
	if r.ExitCode != 0 {
		t.Fatalf("terraform %v: exit code %d\n%s", args, r.ExitCode, r.Output)
	}
	return r
}

// run runs a terraform command; its exit code is the caller's to judge.
func run(t *testing.T, tf *tfcli.Terraform, args ...string) tfcli.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	r, err := tf.Run(ctx, args...)
	if err != nil {
		t.Fatalf("terraform %v: %v\n%s", args, err, r.Output)
	}
	return r
}

// destroyOnCleanup destroys whatever the state holds when the test ends,
// so that a failed test leaves no endpoint for the VPC cleanup to trip on.
func destroyOnCleanup(t *testing.T, tf *tfcli.Terraform) {
	t.Cleanup(func() {
		if !tf.HasResources() {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
		defer cancel()
		if r, err := tf.Run(ctx, destroy...); err != nil || r.ExitCode != 0 {
			t.Errorf("cleanup: terraform destroy: %v, exit code %d\n%s", err, r.ExitCode, r.Output)
		}
	})
}

var (
	apply   = []string{"apply", "-auto-approve", "-input=false"}
	destroy = []string{"destroy", "-auto-approve", "-input=false"}
	// refresh exits 2 when the plan is not empty.
	refresh = []string{"plan", "-detailed-exitcode", "-input=false"}
)

// expectConverged checks that a refresh plan is empty and that EC2 holds
// exactly the state's endpoints in vpcIDs.
func expectConverged(t *testing.T, tf *tfcli.Terraform, a *acctest.AWS, vpcIDs ...string) []string {
	t.Helper()
	if r := run(t, tf, refresh...); r.ExitCode != 0 {
		t.Fatalf("the refresh plan is not empty (exit code %d):\n%s", r.ExitCode, r.Output)
	}
	ids, err := tf.StateEndpointIDs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := a.CheckExactlyEndpoints(context.Background(), vpcIDs, ids); err != nil {
		t.Fatal(err)
	}
	return ids
}

// expectNoEndpoints checks that EC2 holds no live endpoint in vpcIDs.
func expectNoEndpoints(t *testing.T, a *acctest.AWS, vpcIDs ...string) {
	t.Helper()
	if err := a.CheckExactlyEndpoints(context.Background(), vpcIDs, nil); err != nil {
		t.Fatal(err)
	}
}

func endpointVars(svc *acctest.Service, v *acctest.VPC) tfcli.EndpointVars {
	return tfcli.EndpointVars{ServiceName: svc.Name, VPCID: v.ID, SubnetIDs: v.SubnetIDs(), SecurityGroupIDs: []string{v.SecurityGroupID}}
}
