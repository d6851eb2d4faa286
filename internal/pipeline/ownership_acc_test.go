package pipeline_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
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

// One endpoint, one owner. Pipelines with states of their own (two
// directories, two workspaces) apply the same configuration while the
// other's create is in flight; the provider never lets an endpoint into a
// state but by its own create or an import, never deletes what it was not
// asked to, and plans and refreshes without writing to AWS.

// twoPipelines makes two root modules with identical configurations: one
// endpoint to a new service in a new VPC, private DNS as given.
func twoPipelines(t *testing.T, privateDNS bool) (tfs [2]*tfcli.Terraform, a *acctest.AWS, vpc *acctest.VPC, vars tfcli.EndpointVars) {
	t.Helper()
	// First, so that without TF_ACC the test skips instead of using a nil emulator.
	acctest.RequireEmulator(t, "two CLIs at once against the local emulator, its knobs and request log")
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc = acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	vars = endpointVars(svc, vpc)
	vars.PrivateDNS = &privateDNS
	for i := range tfs {
		tfs[i] = newRootModule(t)
		tfs[i].WriteEndpoints(t, map[string]tfcli.EndpointVars{"ci": vars})
		destroyOnCleanup(t, tfs[i])
	}
	return tfs, acctest.TestAWS(t), vpc, vars
}

// Staged overlap: EC2 lists a new endpoint only after overlapUnlisted, so
// that the second pipeline, started as soon as the first has created its
// endpoint, plans and creates before EC2 lists the first one (the test
// asserts from the request log that it did). The first endpoint stays
// pending for overlapFirst, the second for overlapSecond, so that the
// second run's wait ends while the first run is still creating.
const (
	overlapUnlisted = 15 * time.Second
	overlapFirst    = 45 * time.Second
	overlapSecond   = 20 * time.Second
)

// Two runs of the same configuration at once, the second creating before
// EC2 lists the first one's endpoint, so that no plan can see it, and
// finishing while the first still creates. One run keeps its endpoint; the
// other ends with an error that names that endpoint and owns nothing: with
// private DNS on, EC2 refuses its create; with it off, its create sees the
// older unfinished create while it waits and deletes its own endpoint
// again (and nothing else). (Had the first run finished first, both would
// keep an endpoint of their own, which the rule allows too.)
func TestAccOwnership_concurrentRuns(t *testing.T) {
	for _, privateDNS := range []bool{true, false} {
		t.Run(fmt.Sprintf("private_dns=%t", privateDNS), func(t *testing.T) {
			tfs, a, vpc, _ := twoPipelines(t, privateDNS)
			emu := acctest.RunningEmulator()
			emu.ConfigureForTest(t, map[string]any{acctest.KnobAvailableAfter: overlapFirst, acctest.KnobVisibilityDelay: overlapUnlisted})
			mark := emuMark(t, emu)
			ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
			defer cancel()
			first, err := startUntilWaiting(ctx, t, tfs[0], "CreateVpcEndpoint", apply...)
			if err != nil {
				r, _ := first.Wait()
				t.Fatalf("pipeline 0 never created its endpoint: %v\n%s", err, r.Output)
			}
			emu.ConfigureForTest(t, map[string]any{acctest.KnobAvailableAfter: overlapSecond})
			started, err := tfs[1].Start(ctx, apply...)
			if err != nil {
				t.Fatal(err)
			}
			second := mustWait(t, started)
			if first.Exited() {
				t.Fatal("pipeline 0 finished before pipeline 1: the runs did not overlap")
			}
			won := mustWait(t, first)
			if won.ExitCode != 0 || second.ExitCode == 0 {
				t.Fatalf("exit codes %d and %d: want pipeline 0 to succeed and pipeline 1 to fail\n%s\n%s",
					won.ExitCode, second.ExitCode, won.Output, second.Output)
			}
			kept := stateIDs(t, tfs[0])
			if len(kept) != 1 {
				t.Fatalf("pipeline 0's state holds %v, want one endpoint", kept)
			}

			// The situation under test happened: pipeline 1 asked EC2 to create
			// before EC2 listed pipeline 0's endpoint.
			creates := calls(t, emu, mark, "CreateVpcEndpoint")
			if len(creates) != 2 {
				t.Fatalf("%d CreateVpcEndpoint calls, want one per pipeline", len(creates))
			}
			if gap := creates[1].Time - creates[0].Time; gap >= overlapUnlisted.Seconds() {
				t.Fatalf("pipeline 1 created %.1f s after pipeline 0, once EC2 listed its endpoint: not the overlap under test", gap)
			}
			out := strings.Join(strings.Fields(string(second.Output)), " ")
			for _, want := range []string{"Unfinished create", kept[0], "import {", "aws ec2 delete-vpc-endpoints"} {
				if !strings.Contains(out, want) {
					t.Errorf("pipeline 1's error does not say %q:\n%s", want, second.Output)
				}
			}
			if lost := stateIDs(t, tfs[1]); len(lost) != 0 {
				t.Errorf("pipeline 1's state holds %v, want nothing", lost)
			}
			// Only its own endpoint (without private DNS) was deleted, by pipeline 1.
			own := regexp.MustCompile(`This run created (vpce-[0-9a-f]+)`).FindStringSubmatch(out)
			deletes := calls(t, emu, mark, "DeleteVpcEndpoints")
			switch {
			case privateDNS && len(deletes) != 0:
				t.Errorf("EC2 refused pipeline 1's create, yet %d DeleteVpcEndpoints calls were made", len(deletes))
			case !privateDNS && (own == nil || own[1] == kept[0] || !deletesOnly(deletes, own[1])):
				t.Errorf("pipeline 1 should have deleted its own endpoint, and only that: %v, deletes %v\n%s", own, deletes, second.Output)
			}
			if err := a.CheckExactlyEndpoints(context.Background(), []string{vpc.ID}, kept); err != nil {
				t.Fatal(err)
			}
			if r := run(t, tfs[0], refresh...); r.ExitCode != 0 {
				t.Errorf("pipeline 0's plan is not empty (exit code %d):\n%s", r.ExitCode, r.Output)
			}
			finalDestroy(t, tfs[0], a, vpc.ID)
		})
	}
}

// Without ec2:DeleteTags the create cannot remove its marker. It says so,
// once, and saves the endpoint. The marker then stops other pipelines with
// the same VPC and service (it looks like an unfinished create) and shows
// in this pipeline's plan, whose apply removes it once allowed. A policy
// that allows ec2:CreateTags only with the create (ec2:CreateAction) is
// enough: the create writes its marker with CreateVpcEndpoint, and nothing
// renews it.
func TestAccOwnership_markerLeftWithoutDeleteTags(t *testing.T) {
	tfs, a, vpc, _ := twoPipelines(t, false)
	acctest.RunningEmulator().ConfigureForTest(t, map[string]any{acctest.KnobAvailableAfter: 1.0})
	denied := acctest.NewFaultProxy(t, acctest.FaultRule{Fault: acctest.FaultDeny, Actions: []string{"CreateTags", "DeleteTags"}})
	tfs[0].Setenv(denied.Env()...)

	r := mustRun(t, tfs[0], apply...)
	if n := strings.Count(string(r.Output), "Could not remove the tag engflow:creating"); n != 1 || !strings.Contains(string(r.Output), "ec2:DeleteTags") {
		t.Errorf("want one warning that names ec2:DeleteTags, got %d:\n%s", n, r.Output)
	}
	first := stateIDs(t, tfs[0])
	if len(first) != 1 {
		t.Fatalf("the state holds %v, want one endpoint", first)
	}
	for _, f := range denied.Injected() {
		if f.Action == "CreateTags" {
			t.Errorf("the create called CreateTags, which this policy allows only with CreateVpcEndpoint")
		}
	}
	if markerOn(t, a, first[0]) == "" {
		t.Fatalf("%s lost its marker though DeleteTags was denied", first[0])
	}
	if r := run(t, tfs[0], refresh...); r.ExitCode != 2 || !bytes.Contains(r.Output, []byte(`"engflow:creating"`)) {
		t.Errorf("the plan does not show the marker's removal (exit code %d):\n%s", r.ExitCode, r.Output)
	}
	if r := run(t, tfs[1], apply...); r.ExitCode == 0 || !bytes.Contains(r.Output, []byte(first[0])) {
		t.Errorf("the other pipeline did not stop at %s, which still looks like an unfinished create:\n%s", first[0], r.Output)
	}

	if err := denied.SetRules(); err != nil {
		t.Fatal(err)
	}
	mustRun(t, tfs[0], apply...)
	if marker := markerOn(t, a, first[0]); marker != "" {
		t.Errorf("after an apply with ec2:DeleteTags allowed, the marker is still %q", marker)
	}
	expectConverged(t, tfs[0], a, vpc.ID)
	mustRun(t, tfs[1], apply...) // the marker gone, the other pipeline makes its own endpoint
	second := stateIDs(t, tfs[1])
	if len(second) != 1 || second[0] == first[0] {
		t.Fatalf("the other pipeline's state holds %v; want an endpoint of its own", second)
	}
	mustRun(t, tfs[1], destroy...)
	finalDestroy(t, tfs[0], a, vpc.ID)
}

// Plan, refresh and import make no mutating AWS call, whatever they find:
// run under a role denied every mutating EC2 action, against another run's
// unfinished create (which the plan reports), an import of it, and the plan
// that removes its marker. Nothing is even attempted.
func TestAccOwnership_planRefreshAndImportWriteNothing(t *testing.T) {
	tfs, a, vpc, vars := twoPipelines(t, false)
	tf := tfs[0]
	leftover := leftoverEndpoint(t, a, vars)
	readOnly := acctest.NewFaultProxy(t, acctest.FaultRule{Fault: acctest.FaultDeny, Actions: acctest.MutatingEC2Actions()})
	tf.Setenv(readOnly.Env()...)
	emu := acctest.RunningEmulator()
	mark := emuMark(t, emu)

	if r := run(t, tf, "plan", "-input=false"); r.ExitCode == 0 || !bytes.Contains(r.Output, []byte(leftover)) {
		t.Errorf("the plan did not stop at the unfinished create %s:\n%s", leftover, r.Output)
	}
	mustRun(t, tf, "import", "-input=false", `engflow_privatelink_endpoint.this["ci"]`, leftover)
	if r := run(t, tf, refresh...); r.ExitCode != 2 || !bytes.Contains(r.Output, []byte(`"engflow:creating"`)) {
		t.Errorf("the plan does not show the marker's removal (exit code %d):\n%s", r.ExitCode, r.Output)
	}
	mustRun(t, tf, "apply", "-refresh-only", "-auto-approve", "-input=false")

	writes, err := emu.MutatingCalls(context.Background(), mark)
	if err != nil {
		t.Fatal(err)
	}
	if len(writes) != 0 || len(readOnly.Injected()) != 0 {
		t.Errorf("plan, import and refresh tried %d mutating calls: %v", len(writes), writes)
	}
	if markerOn(t, a, leftover) == "" {
		t.Error("the marker is gone, though nothing could write")
	}
	if err := readOnly.SetRules(); err != nil {
		t.Fatal(err)
	}
	mustRun(t, tf, apply...)
	if ids := expectConverged(t, tf, a, vpc.ID); ids[0] != leftover || markerOn(t, a, leftover) != "" {
		t.Errorf("after the apply the state holds %v and the marker is %q; want %s, unmarked", ids, markerOn(t, a, leftover), leftover)
	}
	finalDestroy(t, tf, a, vpc.ID)
}

// The provider deletes only the endpoint of the resource being destroyed
// or replaced: not an endpoint made by hand beside it with the same
// arguments, not another run's unfinished create.
func TestAccOwnership_deletesOnlyItsOwn(t *testing.T) {
	tfs, a, vpc, vars := twoPipelines(t, false)
	tf := tfs[0]
	emu := acctest.RunningEmulator()
	byHand := acctest.NewEndpoint(t, a, endpointLike(vars, ""))
	acctest.WaitForEndpointsListed(t, a, vpc.ID, byHand)
	mark := emuMark(t, emu)

	r := mustRun(t, tf, apply...)
	if !bytes.Contains(r.Output, []byte(byHand)) {
		t.Errorf("the plan did not name the endpoint made by hand, %s:\n%s", byHand, r.Output)
	}
	first := stateIDs(t, tf)
	mustRun(t, tf, "apply", "-auto-approve", "-input=false", `-replace=engflow_privatelink_endpoint.this["ci"]`)
	second := stateIDs(t, tf)
	unfinished := leftoverEndpoint(t, a, vars)
	mustRun(t, tf, destroy...)

	deletes := calls(t, emu, mark, "DeleteVpcEndpoints")
	if len(deletes) == 0 || !deletesOnly(deletes, first[0], second[0]) {
		t.Errorf("DeleteVpcEndpoints %v; want only the replaced %s and the destroyed %s", deletes, first[0], second[0])
	}
	if err := a.CheckExactlyEndpoints(context.Background(), []string{vpc.ID}, []string{byHand, unfinished}); err != nil {
		t.Fatal(err)
	}
}

// leftoverEndpoint stages another run's unfinished create in the VPC: an
// endpoint with the pipelines' arguments and that run's creation marker,
// listed by EC2 (a run that died is at least that old).
func leftoverEndpoint(t *testing.T, a *acctest.AWS, vars tfcli.EndpointVars) string {
	t.Helper()
	id := acctest.NewEndpoint(t, a, endpointLike(vars, "engflow:creating=0123456789abcdef"))
	acctest.WaitForEndpointsListed(t, a, vars.VPCID, id)
	return id
}

// endpointLike is the create the pipelines' configuration makes, with one
// more tag key=value if given.
func endpointLike(vars tfcli.EndpointVars, tag string) *ec2.CreateVpcEndpointInput {
	tags := []ec2types.Tag{{Key: aws.String("pipeline"), Value: aws.String("ci")}}
	if k, v, ok := strings.Cut(tag, "="); ok {
		tags = append(tags, ec2types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	return &ec2.CreateVpcEndpointInput{
		VpcId: aws.String(vars.VPCID), ServiceName: aws.String(vars.ServiceName), SubnetIds: vars.SubnetIDs,
		SecurityGroupIds: vars.SecurityGroupIDs, PrivateDnsEnabled: vars.PrivateDNS,
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpcEndpoint, Tags: tags}},
	}
}

func stateIDs(t *testing.T, tf *tfcli.Terraform) []string {
	t.Helper()
	ids, err := tf.StateEndpointIDs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// calls are the provider's logged calls of action since mark, in order.
func calls(t *testing.T, emu *acctest.Emulator, mark int, action string) []acctest.APIRequest {
	t.Helper()
	reqs, _, err := emu.Requests(context.Background(), mark)
	if err != nil {
		t.Fatal(err)
	}
	var out []acctest.APIRequest
	for _, r := range reqs {
		if r.FromProvider() && r.Action == action {
			out = append(out, r)
		}
	}
	return out
}

// deletesOnly reports whether every DeleteVpcEndpoints call named only ids.
func deletesOnly(deletes []acctest.APIRequest, ids ...string) bool {
	for _, d := range deletes {
		for k, v := range d.Params {
			if strings.HasPrefix(k, "VpcEndpointId.") && !slices.Contains(ids, v) {
				return false
			}
		}
	}
	return true
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

func mustWait(t *testing.T, p *tfcli.Process) tfcli.Result {
	t.Helper()
	r, err := p.Wait()
	if err != nil {
		t.Fatalf("%v\n%s", err, r.Output)
	}
	return r
}

// The troubleshooting guide's command that lists endpoints left with the
// tag finds another run's unfinished create, and not an endpoint without
// the tag. It runs as the guide prints it, with the AWS CLI pointed at the
// emulator.
func TestAccOwnership_guideListsLeftovers(t *testing.T) {
	_, a, vpc, vars := twoPipelines(t, false)
	guide, err := os.ReadFile("../../docs/guides/troubleshooting.md")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)To list every endpoint left with the tag.*?```sh\n(.*?)```").FindSubmatch(guide)
	if block == nil {
		t.Fatal("the troubleshooting guide has no command that lists endpoints left with the tag")
	}
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI is not installed")
	}
	settled := acctest.NewEndpoint(t, a, endpointLike(vars, ""))
	leftover := leftoverEndpoint(t, a, vars)
	acctest.WaitForEndpointsListed(t, a, vpc.ID, settled)
	cmd := exec.Command("bash", "-c", string(block[1]))
	cmd.Env = append(os.Environ(), "AWS_ENDPOINT_URL="+acctest.RunningEmulator().URL, "AWS_DEFAULT_REGION="+a.Region)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", block[1], err, out)
	}
	if !bytes.Contains(out, []byte(leftover)) || bytes.Contains(out, []byte(settled)) {
		t.Errorf("the guide's command lists:\n%s\nwant %s and not %s", out, leftover, settled)
	}
}
