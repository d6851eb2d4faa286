package examples_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
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
		q := make([]string, len(x))
		for i, s := range x {
			q[i] = strconv.Quote(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
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
// resources (acctest.EndpointMatchesAPI, statecheck.ExpectKnownValue) find
// resources inside modules, by their full address such as
// module.engflow.engflow_privatelink_endpoint.this["ci"].
func inModules(check statecheck.StateCheck) statecheck.StateCheck {
	return stateFunc(func(ctx context.Context, st *tfjson.State) error {
		req := statecheck.CheckStateRequest{State: st}
		if st != nil && st.Values != nil && st.Values.RootModule != nil {
			flat, values, root := *st, *st.Values, *st.Values.RootModule
			root.Resources = allResources(st.Values.RootModule)
			values.RootModule = &root
			flat.Values = &values
			req.State = &flat
		}
		var resp statecheck.CheckStateResponse
		check.CheckState(ctx, req, &resp)
		return resp.Error
	})
}

func allResources(m *tfjson.StateModule) []*tfjson.StateResource {
	out := append([]*tfjson.StateResource(nil), m.Resources...)
	for _, child := range m.ChildModules {
		out = append(out, allResources(child)...)
	}
	return out
}

// stateFunc is a state check made of a function.
type stateFunc func(ctx context.Context, st *tfjson.State) error

func (f stateFunc) CheckState(ctx context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f(ctx, req.State)
}

func output(st *tfjson.State, name string) (any, error) {
	if st == nil || st.Values == nil || st.Values.Outputs[name] == nil {
		return nil, fmt.Errorf("output %s is not in state", name)
	}
	return st.Values.Outputs[name].Value, nil
}

// attributes returns a resource's or data source's attributes, in any module.
func attributes(st *tfjson.State, address string) (map[string]any, error) {
	if st != nil && st.Values != nil && st.Values.RootModule != nil {
		for _, r := range allResources(st.Values.RootModule) {
			if r.Address == address {
				return r.AttributeValues, nil
			}
		}
	}
	return nil, fmt.Errorf("%s not found in state", address)
}

// checkBlocksPass asserts that Terraform recorded the named check blocks
// (by display address, e.g. check.engflow_endpoint_healthy) and that every
// condition in state, check blocks, preconditions and postconditions alike,
// passed; a failed check block is only a warning for Terraform.
func checkBlocksPass(names ...string) statecheck.StateCheck {
	return stateFunc(func(_ context.Context, st *tfjson.State) error {
		if st == nil {
			return fmt.Errorf("no state")
		}
		seen := map[string]bool{}
		var problems []string
		for _, c := range st.Checks {
			seen[c.Address.ToDisplay] = true
			if c.Status == tfjson.CheckStatusPass {
				continue
			}
			var msgs []string
			for _, in := range c.Instances {
				for _, p := range in.Problems {
					msgs = append(msgs, p.Message)
				}
			}
			problems = append(problems, fmt.Sprintf("%s is %s: %s", c.Address.ToDisplay, c.Status, strings.Join(msgs, "; ")))
		}
		for _, n := range names {
			if !seen[n] {
				problems = append(problems, fmt.Sprintf("%s has no result in state (results: %v)", n, keys(seen)))
			}
		}
		if len(problems) > 0 {
			return fmt.Errorf("conditions did not pass:\n  %s", strings.Join(problems, "\n  "))
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

// endpointsDestroyed is CheckDestroy: it asks EC2 whether every endpoint
// that was in state, in any module, is gone.
func endpointsDestroyed(a *acctest.AWS) func(*terraform.State) error {
	return func(s *terraform.State) error {
		var problems []string
		for _, m := range s.Modules {
			for addr, rs := range m.Resources {
				if rs.Type != "engflow_privatelink_endpoint" || strings.HasPrefix(addr, "data.") {
					continue
				}
				ep, err := a.Endpoint(context.Background(), rs.Primary.ID)
				if err == nil && !strings.EqualFold(string(ep.State), "deleted") {
					problems = append(problems, fmt.Sprintf("%s (%s) still exists in state %s", rs.Primary.ID, addr, ep.State))
				}
			}
		}
		if len(problems) > 0 {
			return fmt.Errorf("endpoints not destroyed: %s", strings.Join(problems, "; "))
		}
		return nil
	}
}

// clusterName is the first label of a private DNS name, the .bazelrc
// config name the data source picks by default.
func clusterName(privateDNSName string) string {
	name, _, _ := strings.Cut(privateDNSName, ".")
	return name
}

// needPrivateDNSName skips tests of .bazelrc lines and health on a service
// without a private DNS name: the services the tests create on real AWS.
func needPrivateDNSName(t *testing.T, svc *acctest.Service) {
	t.Helper()
	if svc.PrivateDNSName == "" {
		t.Skipf("service %s has no private DNS name (services the tests create on real AWS never do): "+
			"no .bazelrc line to check, and private DNS cannot be healthy; set %s to an EngFlow service", svc.Name, acctest.EnvServiceName)
	}
}
