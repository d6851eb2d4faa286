// Command demo runs the provider's main job end to end on the local EC2
// emulator, for `make demo`: start the emulator, set up a simulated EngFlow
// endpoint service and a consumer VPC, `terraform apply` examples/demo with
// the freshly built provider (dev_overrides, no registry), show the result,
// then destroy everything and stop the emulator. -cli runs OpenTofu instead.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

func main() {
	providerDir := flag.String("provider-dir", "bin", "directory holding the built terraform-provider-engflow binary")
	exampleDir := flag.String("example", "examples/demo", "Terraform configuration to apply")
	cluster := flag.String("cluster", "demo", "simulated EngFlow cluster name")
	cli := flag.String("cli", "terraform", "the terraform or tofu CLI to run: a path, or a name looked up on PATH")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *cli, *providerDir, *exampleDir, *cluster); err != nil {
		fmt.Fprintln(os.Stderr, "demo failed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cli, providerDir, exampleDir, cluster string) (err error) {
	providerDir, err = filepath.Abs(providerDir)
	if err != nil {
		return err
	}
	// Before anything is created, so a missing CLI leaves nothing to clean up.
	cli, err = exec.LookPath(cli)
	if err != nil {
		return fmt.Errorf("no terraform or tofu CLI to run: %w", err)
	}
	cliName := filepath.Base(cli) // "terraform" or "tofu", as the steps name it
	if _, err := os.Stat(filepath.Join(providerDir, "terraform-provider-engflow")); err != nil {
		return fmt.Errorf("no provider binary in %s (run `make build` first): %w", providerDir, err)
	}

	step("Starting the local EC2 emulator (moto + PrivateLink behaviour) on 127.0.0.1")
	emu, err := acctest.StartEmulator(ctx, acctest.EmulatorOptions{AvailableAfter: 2 * time.Second, DeleteAfter: time.Second})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, emu.Stop()) }()
	fmt.Printf("   emulator pid %d at %s\n", emu.PID(), emu.URL)
	acctest.UseEmulatorEnv(emu.URL)

	fixture, err := acctest.NewAWS(ctx)
	if err != nil {
		return err
	}
	step("Playing EngFlow: creating an endpoint service for cluster %q", cluster)
	svc, err := fixture.CreateService(ctx, acctest.ServiceOptions{Cluster: cluster})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, svc.Delete(context.WithoutCancel(ctx))) }()
	fmt.Printf("   service name %s\n   private DNS name %s\n", svc.Name, svc.PrivateDNSName)

	step("Creating the consumer VPC where the Bazel clients run")
	vpc, err := fixture.CreateVPC(ctx, acctest.VPCOptions{Name: "bazel-clients", Zones: svc.Zones})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, vpc.Delete(context.WithoutCancel(ctx))) }()
	fmt.Printf("   %s with subnets %s and security group %s\n", vpc.ID, strings.Join(vpc.SubnetIDs(), ", "), vpc.SecurityGroupID)

	workDir, err := os.MkdirTemp("", "engflow-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(workDir)
	if err := prepareWorkDir(workDir, exampleDir, providerDir); err != nil {
		return err
	}
	tfEnv := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+filepath.Join(workDir, "dev.tfrc"),
		"TF_IN_AUTOMATION=1",
		"TF_VAR_service_name="+svc.Name,
		"TF_VAR_cluster_name="+cluster,
		"TF_VAR_vpc_id="+vpc.ID,
		"TF_VAR_subnet_ids="+acctest.HCLList(vpc.SubnetIDs()),
		"TF_VAR_security_group_ids="+acctest.HCLList([]string{vpc.SecurityGroupID}),
	)
	terraform := func(args ...string) error {
		cmd := exec.CommandContext(ctx, cli, args...)
		cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = workDir, tfEnv, os.Stdout, os.Stderr
		return cmd.Run()
	}

	step("%s apply %s (provider from %s, no registry needed)", cliName, exampleDir, providerDir)
	applyErr := terraform("apply", "-auto-approve", "-input=false", "-compact-warnings")
	if applyErr == nil {
		step("The endpoint as AWS reports it")
		applyErr = terraform("output", "endpoint")
	}
	if applyErr == nil {
		step("The line a Bazel user adds to .bazelrc")
		applyErr = terraform("output", "-raw", "bazelrc")
		fmt.Println()
	}
	step("%s destroy", cliName)
	destroyErr := terraform("destroy", "-auto-approve", "-input=false", "-compact-warnings")
	step("Cleaning up the consumer VPC and the simulated EngFlow service, stopping the emulator")
	return errors.Join(applyErr, destroyErr)
}

// prepareWorkDir copies the example's .tf files to a scratch directory (so
// the repository gets no state files) next to a CLI config that points
// Terraform at the freshly built provider.
func prepareWorkDir(workDir, exampleDir, providerDir string) error {
	files, err := filepath.Glob(filepath.Join(exampleDir, "*.tf"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no .tf files in %s", exampleDir)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(workDir, filepath.Base(f)), b, 0o600); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(workDir, "dev.tfrc"), []byte(acctest.DevOverridesCLIConfig(providerDir)), 0o600)
}

func step(format string, args ...any) {
	fmt.Printf("\n==> %s\n", strings.TrimSpace(fmt.Sprintf(format, args...)))
}
