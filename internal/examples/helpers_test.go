package examples_test

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
	"github.com/engflow/terraform-provider-engflow/internal/acctest/testfile"
)

// repoPath is the absolute path of a file or directory of this repository
// (tests run in their package's directory, internal/examples).
func repoPath(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// hcl renders a Go value as an HCL expression: strings, bools, string
// lists, and maps (keys sorted) of any of these.
func hcl(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case bool:
		return strconv.FormatBool(x)
	case []string:
		return acctest.HCLList(x)
	case map[string]string:
		m := make(map[string]any, len(x))
		for k, s := range x {
			m[k] = s
		}
		return hcl(m)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		b.WriteString("{\n")
		for _, k := range keys {
			fmt.Fprintf(&b, "%s = %s\n", strconv.Quote(k), hcl(x[k]))
		}
		b.WriteString("}")
		return b.String()
	}
	panic(fmt.Sprintf("hcl: cannot render %T", v))
}

// inModules lets a state check that looks only at the root module's
// resources (statecheck.ExpectKnownValue and the other checks of
// terraform-plugin-testing) find resources inside modules, by their full
// address such as module.engflow.engflow_privatelink_endpoint.this["ci"].
// The checks of package acctest look in every module themselves.
func inModules(check statecheck.StateCheck) statecheck.StateCheck {
	return acctest.StateCheckFunc(func(ctx context.Context, st *tfjson.State) error {
		req := statecheck.CheckStateRequest{State: st}
		if st != nil && st.Values != nil && st.Values.RootModule != nil {
			flat, values, root := *st, *st.Values, *st.Values.RootModule
			root.Resources = acctest.Resources(st)
			values.RootModule = &root
			flat.Values = &values
			req.State = &flat
		}
		var resp statecheck.CheckStateResponse
		check.CheckState(ctx, req, &resp)
		return resp.Error
	})
}

func output(st *tfjson.State, name string) (any, error) {
	if st == nil || st.Values == nil || st.Values.Outputs[name] == nil {
		return nil, fmt.Errorf("output %s is not in state", name)
	}
	return st.Values.Outputs[name].Value, nil
}

// checkResults asserts that Terraform recorded the named check blocks (by
// display address, e.g. check.engflow_endpoint_healthy), that those in
// failing failed with messages that hold each of their phrases, and that
// every other condition in state, check blocks, preconditions and
// postconditions alike, passed; a failed check block is only a warning for
// Terraform.
func checkResults(names []string, failing map[string][]string) statecheck.StateCheck {
	return acctest.StateCheckFunc(func(_ context.Context, st *tfjson.State) error {
		if st == nil {
			return fmt.Errorf("no state")
		}
		seen := map[string]bool{}
		var problems []string
		for _, c := range st.Checks {
			name := c.Address.ToDisplay
			seen[name] = true
			var msgs []string
			for _, in := range c.Instances {
				for _, p := range in.Problems {
					msgs = append(msgs, p.Message)
				}
			}
			phrases, mustFail := failing[name]
			switch {
			case mustFail && c.Status != tfjson.CheckStatusFail:
				problems = append(problems, fmt.Sprintf("%s is %s, want fail", name, c.Status))
			case mustFail:
				for _, p := range phrases {
					if !strings.Contains(strings.Join(msgs, "\n"), p) {
						problems = append(problems, fmt.Sprintf("%s failed without %q: %s", name, p, strings.Join(msgs, "; ")))
					}
				}
			case c.Status != tfjson.CheckStatusPass:
				problems = append(problems, fmt.Sprintf("%s is %s: %s", name, c.Status, strings.Join(msgs, "; ")))
			}
		}
		for _, n := range names {
			if !seen[n] {
				problems = append(problems, fmt.Sprintf("%s has no result in state (results: %v)", n, keys(seen)))
			}
		}
		if len(problems) > 0 {
			return fmt.Errorf("conditions are not as expected:\n  %s", strings.Join(problems, "\n  "))
		}
		return nil
	})
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// clusterName is the first label of a private DNS name, the .bazelrc
// config name the data source picks by default.
func clusterName(privateDNSName string) string {
	name, _, _ := strings.Cut(privateDNSName, ".")
	return name
}

// Services without a private DNS name (the ones the tests create on real
// AWS, which needs a verified domain for one) are used the way the
// provider's plan error says: private DNS off, and Bazel pointed at the
// endpoint's regional DNS name. The examples and the module are applied as
// written plus an override file that says just that (Terraform merges a
// *_override.tf file into the blocks of the same type and name).

// endpointOverride turns private DNS off on the endpoint resource name.
func endpointOverride(name string) string {
	return fmt.Sprintf("resource \"engflow_privatelink_endpoint\" %q {\n  private_dns_enabled = false\n}\n", name)
}

// bazelrcOverride makes output "bazelrc", a .bazelrc line for Bazel config
// configExpr (an HCL string template), point at the regional DNS name of
// the endpoint resource name instead of its null remote_executor.
func bazelrcOverride(name, configExpr string) string {
	return fmt.Sprintf("output \"bazelrc\" {\n  value = \"build:%s --remote_executor=grpcs://${engflow_privatelink_endpoint.%s.regional_dns_name}\"\n}\n",
		configExpr, name)
}

// configDir writes files (name => content) to a new directory for a
// step's ConfigDirectory, plus override when the service has no private
// DNS name, and a terraform block that names engflow/engflow when no file
// has one.
func configDir(t *testing.T, svc *acctest.Service, files map[string]string, override string) config.TestStepConfigFunc {
	t.Helper()
	dir := t.TempDir()
	hasTerraformBlock := false
	for name, content := range files {
		hasTerraformBlock = hasTerraformBlock || regexp.MustCompile(`(?m)^terraform\s*\{`).MatchString(content)
		testfile.Write(t, filepath.Join(dir, name), content)
	}
	if !hasTerraformBlock {
		testfile.Write(t, filepath.Join(dir, "versions.tf"),
			"terraform {\n  required_providers {\n    engflow = { source = \"engflow/engflow\" }\n  }\n}\n")
	}
	if svc.PrivateDNSName == "" && override != "" {
		testfile.Write(t, filepath.Join(dir, "no_private_dns_name_override.tf"), override)
	}
	return config.StaticDirectory(dir)
}

// bazelrcLine checks output name, a .bazelrc line for Bazel config
// bazelConfig: grpcs:// and the service's private DNS name, or, for a
// service without one, the regional DNS name of the endpoint at address.
func bazelrcLine(name, bazelConfig string, svc *acctest.Service, address string) statecheck.StateCheck {
	return acctest.StateCheckFunc(func(_ context.Context, st *tfjson.State) error {
		host := svc.PrivateDNSName
		if host == "" {
			attrs, err := acctest.Attributes(st, address)
			if err != nil {
				return err
			}
			host, _ = attrs["regional_dns_name"].(string)
			if host == "" {
				return fmt.Errorf("%s has no regional_dns_name", address)
			}
		}
		got, err := output(st, name)
		if err != nil {
			return err
		}
		if want := "build:" + bazelConfig + " --remote_executor=grpcs://" + host; got != want {
			return fmt.Errorf("output %s is %v, want %q", name, got, want)
		}
		return nil
	})
}

// privateNameFailures are the data source's checks that fail for an
// endpoint of svc that is healthy but for what its service lacks: none when
// it has a (verified) private DNS name, else the checks about the name,
// each saying so.
func privateNameFailures(svc *acctest.Service) []string {
	if svc.PrivateDNSName != "" {
		return nil
	}
	return []string{"private_dns_enabled", "private_dns_name_verified"}
}

// failedCheckLines matches the "name: detail" lines of the checks that
// fail, in the data source's order, for an endpoint of svc that fails only
// the given checks besides what the service lacks.
func failedCheckLines(svc *acctest.Service, more ...knownvalue.Check) knownvalue.Check {
	var lines []knownvalue.Check
	for _, name := range privateNameFailures(svc) {
		lines = append(lines, knownvalue.StringRegexp(regexp.MustCompile(`^`+name+`: .*no private DNS name`)))
	}
	return knownvalue.ListExact(append(lines, more...))
}

// failedChecks checks that exactly the named checks (in any order) of the
// data source at address fail.
func failedChecks(address string, names []string) statecheck.StateCheck {
	return acctest.StateCheckFunc(func(_ context.Context, st *tfjson.State) error {
		attrs, err := acctest.Attributes(st, address)
		if err != nil {
			return err
		}
		var failed []string
		checks, _ := attrs["checks"].([]any)
		for _, c := range checks {
			m, _ := c.(map[string]any)
			if ok, _ := m["ok"].(bool); !ok {
				name, _ := m["name"].(string)
				detail, _ := m["detail"].(string)
				failed = append(failed, name+": "+detail)
			}
		}
		var failedNames []string
		for _, f := range failed {
			name, _, _ := strings.Cut(f, ":")
			failedNames = append(failedNames, name)
		}
		want := append([]string(nil), names...)
		sort.Strings(want)
		sort.Strings(failedNames)
		if fmt.Sprint(failedNames) != fmt.Sprint(want) {
			return fmt.Errorf("%s: failed checks %q, want exactly %q", address, failed, want)
		}
		return nil
	})
}

// failingCheckBlock is, for checkResults, the check block name failing
// with the checks a service without a private DNS name fails, or nothing
// for a service that has one.
func failingCheckBlock(name string, svc *acctest.Service) map[string][]string {
	failures := privateNameFailures(svc)
	if len(failures) == 0 {
		return nil
	}
	phrases := make([]string, len(failures))
	for i, f := range failures {
		phrases[i] = f + ":"
	}
	return map[string][]string{name: phrases}
}

// dataSourceBazelrc checks output name, the data source's .bazelrc line
// for svc with the cluster's name as Bazel config: null (so Terraform keeps
// no such output) when the service has no private DNS name.
func dataSourceBazelrc(name string, svc *acctest.Service) statecheck.StateCheck {
	if svc.PrivateDNSName != "" {
		return statecheck.ExpectKnownOutputValue(name,
			knownvalue.StringExact("build:"+clusterName(svc.PrivateDNSName)+" --remote_executor=grpcs://"+svc.PrivateDNSName))
	}
	return acctest.StateCheckFunc(func(_ context.Context, st *tfjson.State) error {
		if st != nil && st.Values != nil && st.Values.Outputs[name] != nil && st.Values.Outputs[name].Value != nil {
			return fmt.Errorf("output %s is %v, want null", name, st.Values.Outputs[name].Value)
		}
		return nil
	})
}
