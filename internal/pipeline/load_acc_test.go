package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
	"github.com/engflow/terraform-provider-engflow/internal/tfcli"
)

const (
	loadServices = 10 // EngFlow-like services, one endpoint to each per VPC (private DNS on)
	loadVPCs     = 10
	loadThrottle = 0.1
	// fixtureWorkers bounds the fixture's concurrent service and VPC calls.
	fixtureWorkers = 8
)

// EnvLoadReport names a file the load test appends its figures to, for CI
// logs (go test shows a passing test's log only with -v).
const EnvLoadReport = "ENGFLOW_LOAD_REPORT"

// A hundred endpoints across ten VPCs, at -parallelism=10, with 10% of the
// provider's EC2 calls throttled: all available with private DNS on, no
// duplicate, an empty refresh plan, and nothing left after destroy.
func TestAccLoad_hundredEndpoints(t *testing.T) {
	if testing.Short() {
		t.Skip("load test: minutes of wall time (runs in make testacc-full, skipped with -short)")
	}
	tf := newRootModule(t)
	emu := acctest.RunningEmulator()
	a := acctest.TestAWS(t)
	ctx := context.Background()
	p := acctest.NewFaultProxy(t, acctest.FaultRule{Fault: acctest.FaultThrottle, Rate: loadThrottle})
	tf.Setenv(p.Env()...)

	services := make([]*acctest.Service, loadServices)
	if err := acctest.Parallel(loadServices, fixtureWorkers, func(i int) (err error) {
		services[i], err = a.CreateService(ctx, acctest.ServiceOptions{Cluster: fmt.Sprintf("load%02d", i)})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = acctest.Parallel(loadServices, fixtureWorkers, func(i int) error {
			if services[i] == nil {
				return nil
			}
			if err := services[i].Delete(context.Background()); err != nil {
				t.Errorf("cleaning up service %s: %v", services[i].Name, err)
			}
			return nil
		})
	})
	vpcs := make([]*acctest.VPC, loadVPCs)
	vpcIDs := make([]string, loadVPCs)
	for i := range vpcs {
		vpcs[i] = acctest.NewVPC(t, acctest.VPCOptions{Zones: services[0].Zones})
		vpcIDs[i] = vpcs[i].ID
	}
	vars := map[string]tfcli.EndpointVars{}
	for i, svc := range services {
		for j, v := range vpcs {
			vars[fmt.Sprintf("s%02d-v%02d", i, j)] = endpointVars(svc, v)
		}
	}
	tf.WriteEndpoints(t, vars)
	destroyOnCleanup(t, tf)
	n := len(vars)

	report := &loadReport{endpoints: n}
	measure := func(step string, args ...string) tfcli.Result {
		t.Helper()
		mark, err := emu.Mark(ctx)
		if err != nil {
			t.Fatal(err)
		}
		faults := len(p.Injected())
		r := run(t, tf, args...)
		calls, err := acctest.CallsSince(ctx, emu, mark)
		if err != nil {
			t.Fatal(err)
		}
		report.add(step, r, calls.FromProvider("ec2"), len(p.Injected())-faults)
		return r
	}

	if r := measure("apply", append(apply, "-parallelism=10")...); r.ExitCode != 0 {
		t.Fatalf("apply: exit code %d\n%s", r.ExitCode, tail(r.Output))
	}
	ids, err := tf.StateEndpointIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != n {
		t.Fatalf("the state holds %d endpoints, want %d", len(ids), n)
	}
	if err := a.CheckExactlyEndpoints(ctx, vpcIDs, ids); err != nil {
		t.Fatal(err)
	}
	expectAllAvailableWithPrivateDNS(t, a, ids)

	if r := measure("refresh", append(refresh, "-parallelism=10")...); r.ExitCode != 0 {
		t.Fatalf("the refresh plan is not empty (exit code %d):\n%s", r.ExitCode, tail(r.Output))
	}
	if r := measure("destroy", append(destroy, "-parallelism=10")...); r.ExitCode != 0 {
		t.Fatalf("destroy: exit code %d\n%s", r.ExitCode, tail(r.Output))
	}
	expectNoEndpoints(t, a, vpcIDs...)
	report.print(t)
}

// expectAllAvailableWithPrivateDNS checks, through EC2, every endpoint.
func expectAllAvailableWithPrivateDNS(t *testing.T, a *acctest.AWS, ids []string) {
	t.Helper()
	var bad []string
	for _, id := range ids {
		ep, err := a.EndpointEventually(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if ep.State != "available" || ep.PrivateDnsEnabled == nil || !*ep.PrivateDnsEnabled {
			bad = append(bad, fmt.Sprintf("%s (%s, private DNS %v)", id, ep.State, ep.PrivateDnsEnabled != nil && *ep.PrivateDnsEnabled))
		}
	}
	if len(bad) > 0 {
		t.Errorf("%d endpoints are not available with private DNS on: %v", len(bad), bad)
	}
}

// loadReport gathers the figures the load test prints.
type loadReport struct {
	endpoints int
	lines     []string
}

func (lr *loadReport) add(step string, r tfcli.Result, calls acctest.Calls, faults int) {
	lr.lines = append(lr.lines, fmt.Sprintf("%-8s %6.1f s wall, %5d EC2 calls (%.1f per endpoint), %4d retried answers, %4d throttles injected, provider peak %.0f MB\n%s",
		step, r.Wall.Seconds(), len(calls), float64(len(calls))/float64(lr.endpoints), calls.Retried(), faults, r.ProviderPeakMB(), calls.Table()))
}

func (lr *loadReport) print(t *testing.T) {
	text := fmt.Sprintf("load test, %d endpoints in %d VPCs to %d services, -parallelism=10, %.0f%% of EC2 calls throttled (%s):\n%s",
		lr.endpoints, loadVPCs, loadServices, loadThrottle*100, time.Now().UTC().Format(time.RFC3339), strings.Join(lr.lines, ""))
	t.Log(text)
	if path := os.Getenv(EnvLoadReport); path != "" {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err == nil {
			_, err = f.WriteString(text)
			err = errors.Join(err, f.Close())
		}
		if err != nil {
			t.Errorf("writing %s: %v", path, err)
		}
	}
}

// tail is the end of a long output, where terraform puts its errors.
func tail(out []byte) string {
	lines := strings.Split(string(out), "\n")
	return strings.Join(lines[max(0, len(lines)-80):], "\n")
}
