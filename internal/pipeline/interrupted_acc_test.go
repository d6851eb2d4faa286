package pipeline_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
	"github.com/engflow/terraform-provider-engflow/internal/tfcli"
)

// Interrupted runs: terraform gets SIGINT (Ctrl-C, a CI job cancelled),
// its whole process group SIGKILL (the runner's machine gone), or terraform
// alone SIGKILL (the OOM killer's choice, kill -9 <pid>: its provider lives
// on for a moment and sees its call cancelled) while the provider waits
// after a create, during an update, and during a destroy. The next run must
// converge with no duplicate endpoint, or stop before creating anything and
// name what is left; a final destroy must leave none.

// interruptDelay keeps endpoints pending and deleting long enough that the
// signal lands while the provider waits.
const interruptDelay = 8 * time.Second

// orphanLife bounds how long a provider may outlive terraform killed alone.
const orphanLife = 30 * time.Second

type signal struct {
	name string
	send func(*tfcli.Process) error
}

var signals = []signal{
	{"SIGINT", (*tfcli.Process).Interrupt},
	{"SIGKILL", (*tfcli.Process).Kill},
}

// killAlone is SIGKILL to terraform's PID only.
var killAlone = signal{"SIGKILL-terraform-alone", (*tfcli.Process).KillAlone}

// A create interrupted while it waits keeps its creation marker: whatever
// became of the endpoint, the run that made it did not finish. The next
// apply runs at once, while EC2 does not list the endpoint yet
// (visibility_delay), so its plan cannot see it.
//   - Saved (SIGINT): the apply removes the marker in place, and nothing else.
//   - In no state (SIGKILL, either way): the apply stops with an error that
//     names the endpoint and how to import or delete it, and leaves nothing
//     of its own: with private DNS on EC2 refuses its create, with it off the
//     create sees the older marked endpoint while it waits and takes its own
//     endpoint back. Following the error's import advice then converges.
func TestAccInterrupted_createWait(t *testing.T) {
	for _, sig := range append(signals, killAlone) {
		for _, privateDNS := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/private_dns=%t", sig.name, privateDNS), func(t *testing.T) {
				tf, a, vpc, vars := interruptSetup(t)
				vars.PrivateDNS = &privateDNS
				tf.WriteEndpoints(t, map[string]tfcli.EndpointVars{"ci": vars})
				emu := acctest.RunningEmulator()
				emu.ConfigureForTest(t, map[string]any{acctest.KnobVisibilityDelay: 6.0})
				mark := emuMark(t, emu)
				interrupt(t, tf, sig, "CreateVpcEndpoint", apply...)
				expectNoCalls(t, emu, mark, "DeleteTags", "DeleteVpcEndpoints") // the marker stays
				saved := stateIDs(t, tf)
				t.Logf("%s during the create wait: the state holds %v", sig.name, saved)
				if want := sig.name == "SIGINT"; want != (len(saved) == 1) {
					t.Fatalf("after %s the state holds %v; want the endpoint saved exactly when terraform stopped gracefully", sig.name, saved)
				}

				r := run(t, tf, apply...)
				if len(saved) == 1 {
					if r.ExitCode != 0 {
						t.Fatalf("the apply after SIGINT failed:\n%s", r.Output)
					}
					if !bytes.Contains(r.Output, []byte(`"engflow:creating"`)) {
						t.Errorf("the apply's plan does not show the creation marker's removal:\n%s", r.Output)
					}
					if ids := expectConverged(t, tf, a, vpc.ID); ids[0] != saved[0] {
						t.Errorf("the saved endpoint %s became %s: removing the marker must not replace it", saved[0], ids[0])
					}
				} else {
					leftover := expectLeftoverReported(t, tf, a, vpc.ID, r)
					mustRun(t, tf, "import", `engflow_privatelink_endpoint.this["ci"]`, leftover)
					mustRun(t, tf, apply...)
					if ids := expectConverged(t, tf, a, vpc.ID); ids[0] != leftover {
						t.Errorf("after importing %s the state holds %s", leftover, ids[0])
					}
				}
				if m := markerOn(t, a, stateIDs(t, tf)[0]); m != "" {
					t.Errorf("the endpoint in the state still carries the creation marker %q after an apply", m)
				}
				finalDestroy(t, tf, a, vpc.ID)
			})
		}
	}
}

// expectLeftoverReported checks that a run failed on the endpoint an
// interrupted create left in no state, and that it created nothing: EC2
// holds exactly one endpoint in the VPC, marked, which the error names with
// its age and the commands that settle it, and the state holds none. It
// returns that endpoint.
func expectLeftoverReported(t *testing.T, tf *tfcli.Terraform, a *acctest.AWS, vpcID string, r tfcli.Result) string {
	t.Helper()
	if r.ExitCode == 0 {
		t.Fatalf("the run succeeded beside an endpoint in no state; want it to stop and name the endpoint:\n%s", r.Output)
	}
	live := liveEndpoints(t, a, vpcID)
	if len(live) != 1 {
		t.Fatalf("EC2 holds %v in %s; want exactly the interrupted create's endpoint, and nothing of this run", live, vpcID)
	}
	leftover := live[0]
	if markerOn(t, a, leftover) == "" {
		t.Errorf("%s carries no creation marker", leftover)
	}
	if ids := stateIDs(t, tf); len(ids) != 0 {
		t.Errorf("the failed run saved %v", ids)
	}
	out := strings.Join(strings.Fields(string(r.Output)), " ") // terraform wraps long lines
	for _, want := range []string{leftover, " ago", "import {", "terraform import", "aws ec2 delete-vpc-endpoints"} {
		if !strings.Contains(out, want) {
			t.Errorf("the error does not say %q:\n%s", want, r.Output)
		}
	}
	return leftover
}

// liveEndpoints lists the endpoints of the VPC in any state but deleting
// or deleted, once EC2 lists at least one, over a few looks (EC2 may leave
// one out of an answer).
func liveEndpoints(t *testing.T, a *acctest.AWS, vpcID string) []string {
	t.Helper()
	ctx := context.Background()
	seen := map[string]bool{}
	for look, deadline := 0, time.Now().Add(time.Minute); look < 3 || (len(seen) == 0 && time.Now().Before(deadline)); look++ {
		eps, err := a.Endpoints(ctx, &ec2.DescribeVpcEndpointsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpcID}}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, ep := range eps {
			state := strings.ToLower(string(ep.State))
			if state != "deleting" && state != "deleted" {
				seen[aws.ToString(ep.VpcEndpointId)] = true
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	return slices.Sorted(maps.Keys(seen))
}

// emuMark is the emulator's request log position now.
func emuMark(t *testing.T, emu *acctest.Emulator) int {
	t.Helper()
	mark, err := emu.Mark(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return mark
}

// expectNoCalls checks that the provider made none of the actions since mark.
func expectNoCalls(t *testing.T, emu *acctest.Emulator, mark int, actions ...string) {
	t.Helper()
	reqs, _, err := emu.Requests(context.Background(), mark)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		if r.FromProvider() && slices.Contains(actions, r.Action) {
			t.Errorf("the interrupted run called %s %v", r.Action, r.Params)
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
	if sig.name == killAlone.name {
		// Until its providers end, they may still call EC2.
		if err := p.AwaitOrphans(orphanLife); err != nil {
			t.Log(err)
		}
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
