package pipeline_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
	"github.com/engflow/terraform-provider-engflow/internal/tfcli"
)

// One endpoint, one owner: two pipelines with states of their own (two
// directories, two workspaces) apply the same configuration at the same
// time. Neither may take the other's endpoint while that run creates it.

// ownershipDelay keeps endpoints pending long enough that the two runs'
// creates overlap.
const ownershipDelay = 5 * time.Second

// twoPipelines makes two root modules with identical configurations: one
// endpoint to a new service in a new VPC, private DNS as given.
func twoPipelines(t *testing.T, privateDNS bool) (tfs [2]*tfcli.Terraform, a *acctest.AWS, vpc *acctest.VPC) {
	t.Helper()
	// First, so that without TF_ACC the test skips instead of using a nil emulator.
	emu := acctest.RequireEmulator(t, "two CLIs at once against the local emulator, its knobs and request log")
	emu.ConfigureForTest(t, map[string]any{acctest.KnobAvailableAfter: ownershipDelay})
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc = acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	vars := endpointVars(svc, vpc)
	vars.PrivateDNS = &privateDNS
	for i := range tfs {
		tfs[i] = newRootModule(t)
		tfs[i].WriteEndpoints(t, map[string]tfcli.EndpointVars{"ci": vars})
		destroyOnCleanup(t, tfs[i])
	}
	return tfs, acctest.TestAWS(t), vpc
}

// applyBoth runs terraform apply in both root modules, the second one
// starting while the first one's endpoint is being created and EC2 lists
// it: the second run sees the first one's create in flight.
func applyBoth(t *testing.T, tfs [2]*tfcli.Terraform) [2]tfcli.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	first, err := startUntilWaiting(ctx, t, tfs[0], "CreateVpcEndpoint", apply...)
	if err != nil {
		r, _ := first.Wait()
		t.Fatalf("pipeline 0 never created its endpoint: %v\n%s", err, r.Output)
	}
	time.Sleep(listedAfter(t, acctest.RunningEmulator()))
	second, err := tfs[1].Start(ctx, apply...)
	if err != nil {
		t.Fatal(err)
	}
	var results [2]tfcli.Result
	for i, p := range []*tfcli.Process{first, second} {
		if results[i], err = p.Wait(); err != nil {
			t.Fatalf("terraform apply in pipeline %d: %v\n%s", i, err, results[i].Output)
		}
	}
	return results
}

// listedAfter is how long EC2 (the emulator) keeps a new endpoint out of
// its lists, and a little more.
func listedAfter(t *testing.T, emu *acctest.Emulator) time.Duration {
	t.Helper()
	cfg, err := emu.Config(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	delay, _ := cfg[acctest.KnobVisibilityDelay].(float64)
	return time.Duration(delay*float64(time.Second)) + time.Second
}

func stateIDs(t *testing.T, tf *tfcli.Terraform) []string {
	t.Helper()
	ids, err := tf.StateEndpointIDs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// Private DNS off: each run makes and keeps its own endpoint. Destroying
// one leaves the other's untouched, with an empty plan.
func TestAccOwnership_concurrentRunsWithoutPrivateDNS(t *testing.T) {
	tfs, a, vpc := twoPipelines(t, false)
	for i, r := range applyBoth(t, tfs) {
		if r.ExitCode != 0 {
			t.Fatalf("terraform apply in pipeline %d: exit code %d\n%s", i, r.ExitCode, r.Output)
		}
		if bytes.Contains(r.Output, []byte("Adopted endpoint")) {
			t.Errorf("pipeline %d adopted the other's endpoint, which was being created:\n%s", i, r.Output)
		}
	}
	first, second := stateIDs(t, tfs[0]), stateIDs(t, tfs[1])
	if len(first) != 1 || len(second) != 1 || first[0] == second[0] {
		t.Fatalf("the states hold %v and %v: want one endpoint each, distinct", first, second)
	}
	if err := a.CheckExactlyEndpoints(context.Background(), []string{vpc.ID}, []string{first[0], second[0]}); err != nil {
		t.Fatal(err)
	}

	mustRun(t, tfs[0], destroy...)
	if r := run(t, tfs[1], refresh...); r.ExitCode != 0 {
		t.Fatalf("after the other pipeline's destroy, this one's plan is not empty (exit code %d):\n%s", r.ExitCode, r.Output)
	}
	if err := a.CheckExactlyEndpoints(context.Background(), []string{vpc.ID}, second); err != nil {
		t.Fatal(err)
	}
	finalDestroy(t, tfs[1], a, vpc.ID)
}

// Private DNS on: AWS allows one endpoint for the name in the VPC. One run
// wins; the other fails, names the winner's endpoint and owns nothing.
func TestAccOwnership_concurrentRunsWithPrivateDNS(t *testing.T) {
	tfs, a, vpc := twoPipelines(t, true)
	results := applyBoth(t, tfs)
	winner, loser := 0, 1
	if results[0].ExitCode != 0 {
		winner, loser = 1, 0
	}
	if results[winner].ExitCode != 0 || results[loser].ExitCode == 0 {
		t.Fatalf("exit codes %d and %d: want exactly one run to succeed\n%s\n%s",
			results[0].ExitCode, results[1].ExitCode, results[0].Output, results[1].Output)
	}
	won := stateIDs(t, tfs[winner])
	if len(won) != 1 {
		t.Fatalf("the winner's state holds %v, want one endpoint", won)
	}
	if lost := stateIDs(t, tfs[loser]); len(lost) != 0 {
		t.Errorf("the loser's state holds %v, want nothing", lost)
	}
	out := string(results[loser].Output)
	if !strings.Contains(out, won[0]) || !strings.Contains(out, "conflicting DNS domain") {
		t.Errorf("the loser's error does not name the endpoint that holds the name (%s):\n%s", won[0], out)
	}
	if err := a.CheckExactlyEndpoints(context.Background(), []string{vpc.ID}, won); err != nil {
		t.Fatal(err)
	}
	if r := run(t, tfs[winner], refresh...); r.ExitCode != 0 {
		t.Errorf("the winner's plan is not empty (exit code %d):\n%s", r.ExitCode, r.Output)
	}
	finalDestroy(t, tfs[winner], a, vpc.ID)
}

// Without ec2:DeleteTags the create cannot remove its marker. It says so,
// once, and marks the endpoint done, so that a run elsewhere with the same
// arguments never takes it for an orphan; once the permission is granted,
// the next refresh removes the tag.
func TestAccOwnership_markerLeftWithoutDeleteTags(t *testing.T) {
	tfs, a, vpc := twoPipelines(t, false)
	acctest.RunningEmulator().ConfigureForTest(t, map[string]any{acctest.KnobAvailableAfter: 1.0})
	denied := acctest.NewFaultProxy(t, acctest.FaultRule{Fault: acctest.FaultDeny, Actions: []string{"DeleteTags"}})
	tfs[0].Setenv(denied.Env()...)

	r := mustRun(t, tfs[0], apply...)
	if n := strings.Count(string(r.Output), "Could not remove the tag engflow:creating"); n != 1 || !strings.Contains(string(r.Output), "ec2:DeleteTags") {
		t.Errorf("want one warning that names ec2:DeleteTags, got %d:\n%s", n, r.Output)
	}
	first := stateIDs(t, tfs[0])
	if len(first) != 1 {
		t.Fatalf("the state holds %v, want one endpoint", first)
	}
	if marker := markerOn(t, a, first[0]); marker != "done" {
		t.Errorf("the endpoint's marker is %q, want \"done\": no lease that could run out", marker)
	}

	r = mustRun(t, tfs[1], apply...)
	second := stateIDs(t, tfs[1])
	if bytes.Contains(r.Output, []byte("Adopted endpoint")) || len(second) != 1 || second[0] == first[0] {
		t.Fatalf("the other pipeline took %s over (its state holds %v):\n%s", first[0], second, r.Output)
	}

	if err := denied.SetRules(); err != nil {
		t.Fatal(err)
	}
	if r := run(t, tfs[0], refresh...); r.ExitCode != 0 {
		t.Errorf("the refresh plan is not empty (exit code %d):\n%s", r.ExitCode, r.Output)
	}
	if marker := markerOn(t, a, first[0]); marker != "" {
		t.Errorf("after a refresh with ec2:DeleteTags allowed, the marker is still %q", marker)
	}
	mustRun(t, tfs[1], destroy...)
	finalDestroy(t, tfs[0], a, vpc.ID)
}

// markerOn is the endpoint's engflow:creating tag as EC2 reports it.
func markerOn(t *testing.T, a *acctest.AWS, id string) string {
	t.Helper()
	ep, err := a.EndpointEventually(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(ep.Tags, func(t ec2types.Tag) bool { return aws.ToString(t.Key) == "engflow:creating" })
	if i < 0 {
		return ""
	}
	return aws.ToString(ep.Tags[i].Value)
}
