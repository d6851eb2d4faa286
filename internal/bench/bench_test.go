// Package bench measures the provider as users run it: the real terraform
// CLI driving the freshly built provider binary against the local EC2
// emulator. It reports the EC2 calls per endpoint created and refreshed
// (from the emulator's request log), the provider's peak memory, and how
// soon a create notices that its endpoint is available.
//
//	TF_ACC=1 TF_ACC_TERRAFORM_PATH=$(command -v terraform) TF_CLI_CONFIG_FILE=/dev/null \
//	  go test ./internal/bench -run '^$' -bench . -benchtime 1x -timeout 30m
package bench

import (
	"cmp"
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
	"github.com/engflow/terraform-provider-engflow/internal/tfcli"
)

const (
	// fixtureWorkers bounds the fixture's concurrent VPC creates and deletes.
	fixtureWorkers = 8
	// shortDelay keeps endpoints pending and deleting briefly, so that
	// N=100 takes minutes, not hours.
	shortDelay     = 300 * time.Millisecond
	commandTimeout = 20 * time.Minute
	cleanupTimeout = 5 * time.Minute
)

var (
	apply   = []string{"apply", "-auto-approve", "-input=false"}
	refresh = []string{"plan", "-detailed-exitcode", "-input=false"} // exit 2: not empty
	destroy = []string{"destroy", "-auto-approve", "-input=false"}
)

// benchCases are the sizes measured. N=100 is repeated with EC2 answering
// in pages of up to 1000 items, its documented maximum, instead of the
// emulator's realistic worst case of 4: it shows how many calls come from
// pagination alone. The long cases keep their endpoints pending for a
// minute, as long as a create on AWS takes: they show what a long wait
// costs beyond its DescribeVpcEndpoints looks. At N=100 that one runs with
// -parallelism=100, so that the hundred waits overlap in about a minute as
// they would over ten at Terraform's default of 10.
var benchCases = []struct {
	name        string
	n           int
	pageSize    int           // 0: the emulator's default
	pending     time.Duration // 0: shortDelay
	parallelism int           // 0: Terraform's default
}{
	{"N=1", 1, 0, 0, 0}, {"N=10", 10, 0, 0, 0}, {"N=100", 100, 0, 0, 0}, {"N=100,pages-of-1000", 100, 1000, 0, 0},
	{longCreate + "N=1", 1, 0, time.Minute, 0}, {longCreate + "N=100", 100, 0, time.Minute, 100},
}

// longCreate names the cases whose creates take as long as on AWS.
const longCreate = "create-1m,"

func BenchmarkCreateEndpoints(b *testing.B) {
	emu := setup(b)
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			setDelays(b, emu, cmp.Or(bc.pending, shortDelay))
			// The same random paging and flicker every run: the counts measure the provider, not the dice.
			emu.ConfigureForTest(b, map[string]any{acctest.KnobSeed: caseSeed(bc.name)})
			if bc.pageSize > 0 {
				emu.ConfigureForTest(b, map[string]any{"page_size": bc.pageSize})
			}
			n := bc.n
			tf := newRootModule(b, n)
			applyArgs := apply
			if bc.parallelism > 0 {
				applyArgs = append(slices.Clone(apply), fmt.Sprintf("-parallelism=%d", bc.parallelism))
			}
			r := newReport()
			for b.Loop() {
				created, createCalls := measure(b, emu, tf, applyArgs...)
				refreshed, refreshCalls := measure(b, emu, tf, refresh...)
				_, destroyCalls := measure(b, emu, tf, destroy...)

				recordCalls(bc.name, "apply", createCalls, n)
				recordCalls(bc.name, "plan", refreshCalls, n)
				recordCalls(bc.name, "destroy", destroyCalls, n)
				r.add("calls/endpoint-create", float64(len(createCalls.FromProvider("ec2")))/float64(n))
				r.add("calls/endpoint-refresh", float64(len(refreshCalls.FromProvider("ec2")))/float64(n))
				r.add("calls/endpoint-destroy", float64(len(destroyCalls.FromProvider("ec2")))/float64(n))
				r.add("sts-calls/apply", float64(len(createCalls.FromProvider("sts"))))
				r.add("sts-calls/refresh", float64(len(refreshCalls.FromProvider("sts"))))
				r.add("apply-s", created.Wall.Seconds())
				r.peak("provider-peak-MB/create", created.ProviderPeakMB())
				r.peak("provider-peak-MB/refresh", refreshed.ProviderPeakMB())
				r.peak("provider-peak-MB", max(created.ProviderPeakMB(), refreshed.ProviderPeakMB()))
				// What the peak process's largest sampled resident set held:
				// anonymous (heap, stacks, runtime) and file-backed (binary) pages.
				top := created
				if refreshed.ProviderPeakMB() > created.ProviderPeakMB() {
					top = refreshed
				}
				recordPeak(bc.name, top)
				r.peak("provider-peak-anon-MB", top.ProviderPeakAnonMB())
				r.peak("provider-peak-file-MB", top.ProviderPeakFileMB())
			}
			r.emit(b)
		})
	}
}

// caseSeed is a bench case's emulator seed, the same in every run.
func caseSeed(name string) int {
	h := fnv.New32a()
	h.Write([]byte(name))
	return int(h.Sum32() >> 1)
}

func BenchmarkNoticeAvailable(b *testing.B) {
	emu := setup(b)
	for _, wait := range []time.Duration{3 * time.Second, 12 * time.Second} {
		b.Run("available_after="+wait.String(), func(b *testing.B) {
			setDelays(b, emu, wait)
			emu.ConfigureForTest(b, map[string]any{acctest.KnobSeed: caseSeed(b.Name())})
			tf := newRootModule(b, 1)
			r := newReport()
			for b.Loop() {
				_, cs := measure(b, emu, tf, apply...)
				n, err := noticeAvailable(cs.FromProvider("ec2"), wait)
				if err != nil {
					b.Fatal(err)
				}
				fmt.Fprintf(os.Stderr, "%s: DescribeVpcEndpoints after the create at %v\n", b.Name(), n.polls)
				measure(b, emu, tf, destroy...)

				recordNotice(wait, n.overshoot)
				r.add("notice-overshoot-s", n.overshoot.Seconds())
				r.add("overshoot-ratio", n.overshoot.Seconds()/wait.Seconds())
				r.add("polls-until-noticed", float64(len(n.polls)))
			}
			r.emit(b)
		})
	}
}

// measure runs one terraform command, fails the benchmark unless it exits
// 0, prints the provider's calls per action, and returns the result and
// every API call logged meanwhile.
func measure(b *testing.B, emu *acctest.Emulator, tf *tfcli.Terraform, args ...string) (tfcli.Result, acctest.Calls) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	mark, err := emu.Mark(ctx)
	if err != nil {
		b.Fatal(err)
	}
	r, err := tf.Run(ctx, args...)
	if err == nil && r.ExitCode != 0 {
		err = fmt.Errorf("exit code %d", r.ExitCode)
	}
	if err != nil {
		b.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, r.Output)
	}
	cs, err := acctest.CallsSince(ctx, emu, mark)
	if err != nil {
		b.Fatal(err)
	}
	// Not b.Log: the testing package cuts benchmark logs to ten lines.
	fmt.Fprintf(os.Stderr, "%s: terraform %s: %.1f s, %d provider processes, peak %.1f MB (anon %.1f, file %.1f); the provider's calls:\n%s",
		b.Name(), args[0], r.Wall.Seconds(), len(r.ProviderPeakKB), r.ProviderPeakMB(), r.ProviderPeakAnonMB(), r.ProviderPeakFileMB(),
		append(cs.FromProvider("ec2"), cs.FromProvider("sts")...).Table())
	return r, cs
}

// shared is what all benchmarks of this binary use: one emulator, one
// provider build. TestMain stops and removes them.
var shared struct {
	once        sync.Once
	err         error
	emu         *acctest.Emulator
	providerDir string
}

func TestMain(m *testing.M) {
	code := m.Run()
	missed, err := emitReport()
	if err != nil {
		fmt.Fprintln(os.Stderr, "writing the bench report:", err)
		code = max(code, 1)
	}
	if len(missed) > 0 {
		fmt.Fprintf(os.Stderr, "make bench: %d rule(s) missed:\n  %s\n", len(missed), strings.Join(missed, "\n  "))
		code = max(code, 1)
	}
	if shared.emu != nil {
		if err := shared.emu.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping the emulator:", err)
			code = max(code, 1)
		}
	}
	if shared.providerDir != "" {
		os.RemoveAll(shared.providerDir)
	}
	os.Exit(code)
}

// setup skips the benchmark unless it can run, and on first use builds
// the provider and starts the emulator.
func setup(b *testing.B) *acctest.Emulator {
	b.Helper()
	if os.Getenv("TF_ACC") == "" {
		b.Skip("benchmark through terraform against the local EC2 emulator: set TF_ACC=1")
	}
	if acctest.Target() != acctest.TargetEmulator {
		b.Skip("emulator only: the figures come from its request log")
	}
	shared.once.Do(func() { shared.err = start() })
	if shared.err != nil {
		b.Fatal(shared.err)
	}
	return shared.emu
}

// setDelays sets how long endpoints stay pending and deleting.
func setDelays(b *testing.B, emu *acctest.Emulator, availableAfter time.Duration) {
	b.Helper()
	if err := emu.SetDelays(context.Background(), availableAfter, shortDelay); err != nil {
		b.Fatal(err)
	}
}

func start() error {
	dir, err := os.MkdirTemp("", "engflow-bench-")
	if err != nil {
		return err
	}
	shared.providerDir = dir
	if err := tfcli.BuildProvider(dir); err != nil {
		return err
	}
	var opts acctest.EmulatorOptions
	if os.Getenv("ENGFLOW_EMULATOR_LOG") != "" {
		opts.Log = os.Stderr
	}
	if shared.emu, err = acctest.StartEmulator(context.Background(), opts); err != nil {
		return err
	}
	// For the fixture's clients here and the provider in terraform's env.
	acctest.UseEmulatorEnv(shared.emu.URL)
	return nil
}

// newRootModule creates an EngFlow-like endpoint service and n consumer
// VPCs, and a root module with one endpoint per VPC. Cleanup destroys
// whatever the state still holds, then deletes the VPCs and the service.
func newRootModule(b *testing.B, n int) *tfcli.Terraform {
	b.Helper()
	ctx := context.Background()
	a, err := acctest.NewAWS(ctx)
	if err != nil {
		b.Fatal(err)
	}
	svc, err := a.CreateService(ctx, acctest.ServiceOptions{})
	if err != nil {
		b.Fatal(err)
	}
	cleanup(b, "the endpoint service", svc.Delete)

	vpcs := make([]*acctest.VPC, n)
	err = acctest.Parallel(n, fixtureWorkers, func(i int) error {
		v, err := a.CreateVPC(ctx, acctest.VPCOptions{Name: acctest.RandomName("bench"), Zones: svc.Zones})
		if err == nil {
			vpcs[i] = v
		}
		return err
	})
	cleanup(b, "the consumer VPCs", func(ctx context.Context) error {
		return acctest.Parallel(n, fixtureWorkers, func(i int) error {
			if vpcs[i] == nil {
				return nil
			}
			return vpcs[i].Delete(ctx)
		})
	})
	if err != nil {
		b.Fatal(err)
	}

	vars := map[string]tfcli.EndpointVars{}
	for i, v := range vpcs {
		vars[fmt.Sprintf("vpc%03d", i)] = tfcli.EndpointVars{
			ServiceName: svc.Name, VPCID: v.ID, SubnetIDs: v.SubnetIDs(), SecurityGroupIDs: []string{v.SecurityGroupID},
		}
	}
	tf := tfcli.New(b, shared.providerDir)
	tf.WriteFile(b, "main.tf", []byte(tfcli.EndpointsModule))
	tf.WriteEndpoints(b, vars)
	cleanup(b, "the endpoints", func(ctx context.Context) error {
		if !tf.HasResources() {
			return nil
		}
		r, err := tf.Run(ctx, destroy...)
		if err == nil && r.ExitCode != 0 {
			err = fmt.Errorf("terraform destroy: exit code %d\n%s", r.ExitCode, r.Output)
		}
		return err
	})
	return tf
}

// cleanup registers del to run when the benchmark ends, and reports its error.
func cleanup(b *testing.B, what string, del func(context.Context) error) {
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		if err := del(ctx); err != nil {
			b.Errorf("cleaning up %s: %v", what, err)
		}
	})
}
