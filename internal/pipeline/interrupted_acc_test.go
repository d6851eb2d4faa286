package pipeline_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
	"github.com/engflow/terraform-provider-engflow/internal/tfcli"
)

// Interrupted runs: terraform gets SIGINT (Ctrl-C, a CI job cancelled) or
// its whole process group SIGKILL (the runner's machine gone) while the
// provider waits after a create, during an update, and during a destroy.
// The next apply (or destroy) must converge with no duplicate endpoint, and
// a final destroy must leave none.

// interruptDelay keeps endpoints pending and deleting long enough that the
// signal lands while the provider waits.
const interruptDelay = 8 * time.Second

type signal struct {
	name string
	send func(*tfcli.Process) error
}

var signals = []signal{
	{"SIGINT", (*tfcli.Process).Interrupt},
	{"SIGKILL", (*tfcli.Process).Kill},
}

// After SIGKILL the endpoint is in no state; the next apply runs at once,
// while EC2 does not list the endpoint yet (visibility_delay) and the
// killed run's lease has not run out. It must end with exactly one
// endpoint, in its state: with private DNS on, EC2 refuses a second
// endpoint for the name and the apply adopts the orphan once its lease has
// run out; with it off, the apply may create its own before the orphan
// shows, and then deletes the orphan once its lease has run out.
func TestAccInterrupted_createWait(t *testing.T) {
	for _, sig := range signals {
		for _, privateDNS := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/private_dns=%t", sig.name, privateDNS), func(t *testing.T) {
				tf, a, vpc, vars := interruptSetup(t)
				vars.PrivateDNS = &privateDNS
				tf.WriteEndpoints(t, map[string]tfcli.EndpointVars{"ci": vars})
				acctest.RunningEmulator().ConfigureForTest(t, map[string]any{acctest.KnobVisibilityDelay: 6.0})
				interrupt(t, tf, sig, "CreateVpcEndpoint", apply...)
				saved, err := tf.StateEndpointIDs(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%s during the create wait: the state holds %v", sig.name, saved)
				if sig.name == "SIGINT" && len(saved) != 1 {
					t.Errorf("after SIGINT the provider should have saved the endpoint it created; the state holds %v", saved)
				}

				r := mustRun(t, tf, apply...)
				adopted := bytes.Contains(r.Output, []byte("Adopted endpoint"))
				deduplicated := bytes.Contains(r.Output, []byte("a duplicate left by an interrupted run"))
				t.Logf("%s during the create wait: the next apply adopted the orphan: %t, deleted it as a duplicate: %t", sig.name, adopted, deduplicated)
				if sig.name == "SIGKILL" && !adopted && !deduplicated {
					t.Errorf("after SIGKILL the endpoint is in no state; the next apply should adopt it, or delete it as a duplicate of "+
						"its own, and say so:\n%s", r.Output)
				}
				if sig.name == "SIGKILL" && privateDNS && !adopted {
					t.Errorf("with private DNS on the next apply can only adopt the orphan:\n%s", r.Output)
				}
				expectConverged(t, tf, a, vpc.ID)
				finalDestroy(t, tf, a, vpc.ID)
			})
		}
	}
}

func TestAccInterrupted_updateWait(t *testing.T) {
	for _, sig := range signals {
		t.Run(sig.name, func(t *testing.T) {
			tf, a, vpc, vars := interruptSetup(t)
			mustRun(t, tf, apply...)
			before := expectConverged(t, tf, a, vpc.ID)

			vars.SubnetIDs = vars.SubnetIDs[:1]
			tf.WriteEndpoints(t, map[string]tfcli.EndpointVars{"ci": vars})
			interrupt(t, tf, sig, "ModifyVpcEndpoint", apply...)

			mustRun(t, tf, apply...)
			after := expectConverged(t, tf, a, vpc.ID)
			if len(after) != 1 || after[0] != before[0] {
				t.Errorf("endpoint %v became %v: an interrupted update must not replace it", before, after)
			}
			ep, err := a.EndpointEventually(context.Background(), after[0])
			if err != nil {
				t.Fatal(err)
			}
			if len(ep.SubnetIds) != 1 || ep.SubnetIds[0] != vars.SubnetIDs[0] {
				t.Errorf("EC2 reports subnets %v, want %v", ep.SubnetIds, vars.SubnetIDs)
			}
			finalDestroy(t, tf, a, vpc.ID)
		})
	}
}

func TestAccInterrupted_destroy(t *testing.T) {
	for _, sig := range signals {
		t.Run(sig.name, func(t *testing.T) {
			tf, a, vpc, _ := interruptSetup(t)
			mustRun(t, tf, apply...)
			expectConverged(t, tf, a, vpc.ID)

			interrupt(t, tf, sig, "DeleteVpcEndpoints", destroy...)
			finalDestroy(t, tf, a, vpc.ID)
		})
	}
}

// interruptSetup makes a service, a VPC and a root module with one endpoint
// to it, with endpoints pending and deleting for interruptDelay.
func interruptSetup(t *testing.T) (*tfcli.Terraform, *acctest.AWS, *acctest.VPC, tfcli.EndpointVars) {
	t.Helper()
	tf := newRootModule(t)
	acctest.RunningEmulator().ConfigureForTest(t, map[string]any{
		acctest.KnobAvailableAfter: interruptDelay, acctest.KnobDeleteAfter: interruptDelay,
	})
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	vars := endpointVars(svc, vpc)
	tf.WriteEndpoints(t, map[string]tfcli.EndpointVars{"ci": vars})
	destroyOnCleanup(t, tf)
	return tf, acctest.TestAWS(t), vpc, vars
}

// interrupt runs terraform with args, and once the provider has made the
// call action and then polled DescribeVpcEndpoints (it is waiting), sends
// the signal and waits for terraform to end.
func interrupt(t *testing.T, tf *tfcli.Terraform, sig signal, action string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	p, waitErr := startUntilWaiting(ctx, t, tf, action, args...)
	if waitErr == nil {
		waitErr = sig.send(p)
	}
	r, err := p.Wait()
	if waitErr != nil || err != nil {
		t.Fatalf("terraform %v: %v %v\n%s", args, waitErr, err, r.Output)
	}
	if bytes.Contains(r.Output, []byte("complete!")) {
		t.Fatalf("terraform %v finished before the %s landed:\n%s", args, sig.name, r.Output)
	}
	t.Logf("terraform %v got %s while waiting after %s: exit code %d", args, sig.name, action, r.ExitCode)
}

// startUntilWaiting starts terraform with args and returns once the
// provider has made the call action and then polled DescribeVpcEndpoints
// (it is waiting); the error says why it never got there.
func startUntilWaiting(ctx context.Context, t *testing.T, tf *tfcli.Terraform, action string, args ...string) (*tfcli.Process, error) {
	t.Helper()
	emu := acctest.RunningEmulator()
	mark, err := emu.Mark(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p, err := tf.Start(ctx, args...)
	if err != nil {
		t.Fatal(err)
	}
	return p, waitForWaiting(ctx, emu, mark, action, p)
}

// waitForWaiting returns once the provider's log shows action and then a
// DescribeVpcEndpoints.
func waitForWaiting(ctx context.Context, emu *acctest.Emulator, mark int, action string, p *tfcli.Process) error {
	for {
		reqs, _, err := emu.Requests(ctx, mark)
		if err != nil {
			return err
		}
		acted := false
		for _, r := range reqs {
			switch {
			case !r.FromProvider():
			case r.Action == action && r.Status == 200:
				acted = true
			case acted && r.Action == "DescribeVpcEndpoints":
				return nil
			}
		}
		if p.Exited() {
			return fmt.Errorf("terraform ended before the provider waited after %s", action)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the provider never waited after %s: %w", action, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// finalDestroy destroys what the state holds, which must converge whatever
// an interrupted run left, and checks EC2 holds no endpoint afterwards.
func finalDestroy(t *testing.T, tf *tfcli.Terraform, a *acctest.AWS, vpcIDs ...string) {
	t.Helper()
	mustRun(t, tf, destroy...)
	expectNoEndpoints(t, a, vpcIDs...)
}
