package privatelink_test

import (
	"context"
	"maps"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
	"github.com/engflow/terraform-provider-engflow/internal/tfcli"
)

// The plan of a changed fixed address, as a person reads it in the real
// CLI's output: an in-place update (not a replacement of the endpoint),
// with a warning naming the subnet whose network interface is replaced
// and its old and new address. terraform-plugin-testing does not show
// plan warnings, hence the CLI.
func TestAccEndpoint_fixedIPChangeWarning(t *testing.T) {
	acctest.RequireEmulator(t, "drives the CLI against the local emulator")
	a, _, vpc, cfg := basicSetup(t, acctest.ServiceOptions{})
	dir := t.TempDir()
	if err := tfcli.BuildProvider(dir); err != nil {
		t.Fatal(err)
	}
	tf := tfcli.New(t, dir)
	sn := vpc.Subnets[0]
	first := map[string]string{sn.ID: sn.Host(10)}
	second := maps.Clone(first)
	second[sn.ID] = sn.Host(11)
	write := func(addresses map[string]string) {
		tf.WriteFile(t, "main.tf", []byte("terraform {\n  required_providers {\n    engflow = { source = \"engflow/engflow\" }\n  }\n}\n\n"+
			withAddresses(cfg, addresses).String()))
	}
	run := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		r, err := tf.Run(ctx, append(args, "-input=false", "-no-color")...)
		if err != nil || r.ExitCode != 0 {
			t.Fatalf("terraform %v: %v, exit code %d\n%s", args, err, r.ExitCode, r.Output)
		}
		return string(r.Output)
	}
	t.Cleanup(func() {
		if tf.HasResources() {
			run("destroy", "-auto-approve")
		}
	})

	write(first)
	run("apply", "-auto-approve")
	write(second)
	plan := run("plan")
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`engflow_privatelink_endpoint\.test will be updated in-place`),
		regexp.MustCompile(`Warning: The endpoint's network interface in ` + sn.ID + ` will be replaced`),
		regexp.MustCompile(`from\s+` + regexp.QuoteMeta(sn.Host(10)) + `\s+to\s+` + regexp.QuoteMeta(sn.Host(11))),
	} {
		if !want.MatchString(plan) {
			t.Errorf("the plan does not say %q:\n%s", want, plan)
		}
	}
	if strings.Contains(plan, "must be replaced") {
		t.Errorf("the plan replaces the endpoint for a changed address:\n%s", plan)
	}
	run("apply", "-auto-approve")
	ids, err := tf.StateEndpointIDs(context.Background())
	if err != nil || len(ids) != 1 {
		t.Fatalf("the state holds endpoints %q (%v), want one", ids, err)
	}
	held, err := a.AddressesBySubnet(context.Background(), ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if held[sn.ID] != sn.Host(11) {
		t.Errorf("after the apply EC2 reports %q on the interface in %s, want %s", held[sn.ID], sn.ID, sn.Host(11))
	}
}
