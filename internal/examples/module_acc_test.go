package examples_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
	"github.com/engflow/terraform-provider-engflow/internal/acctest/testfile"
)

const modulePath = "examples/modules/privatelink-per-vpc"

func moduleEndpoint(key string) string {
	return fmt.Sprintf("module.engflow.engflow_privatelink_endpoint.this[%q]", key)
}

func moduleEndpointData(key string) string {
	return fmt.Sprintf("module.engflow.data.engflow_privatelink_endpoint.this[%q]", key)
}

// moduleConfig writes a root configuration that calls the per-VPC module
// with args as its arguments and re-exports its outputs (see moduleFile).
func moduleConfig(t *testing.T, svc *acctest.Service, args map[string]any) func(config.TestStepConfigRequest) string {
	t.Helper()
	return moduleFile(t, moduleSource(t, svc), args, "endpoints", "bazelrc", "healthy", "failed_checks", "skipped_subnets")
}

// moduleFile writes a root configuration that calls the module at source,
// by its absolute path (terraform init links it into .terraform/modules, no
// registry involved), with args as the module's arguments, and re-exports
// its outputs so state checks can read them. It is a file, for a step's
// ConfigFile: terraform-plugin-testing runs terraform init on the files of
// a step's ConfigFile or ConfigDirectory when the step (not the TestCase)
// names the providers, as acctest.Test then has it; for a Config string it
// runs init on the provider configuration only, which leaves the module
// not installed.
func moduleFile(t *testing.T, source string, args map[string]any, outputs ...string) func(config.TestStepConfigRequest) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`terraform {
  required_providers {
    engflow = { source = "engflow/engflow" }
  }
}

provider "engflow" {}

module "engflow" {
`)
	fmt.Fprintf(&b, "  source = %s\n", hcl(source))
	for _, name := range slices.Sorted(maps.Keys(args)) {
		fmt.Fprintf(&b, "  %s = %s\n", name, hcl(args[name]))
	}
	b.WriteString("}\n")
	for _, out := range outputs {
		fmt.Fprintf(&b, "\noutput %q {\n  value = module.engflow.%s\n}\n", out, out)
	}
	return config.StaticFile(testfile.Temp(t, "main.tf", b.String()))
}

// moduleSource is the module's directory or, for a service without a
// private DNS name, a copy of it with an override file that turns private
// DNS off on its endpoints (see endpointOverride).
func moduleSource(t *testing.T, svc *acctest.Service) string {
	t.Helper()
	src := repoPath(t, modulePath)
	if svc.PrivateDNSName != "" {
		return src
	}
	files, err := filepath.Glob(filepath.Join(src, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .tf files in %s (%v)", src, err)
	}
	dir := filepath.Join(t.TempDir(), filepath.Base(src))
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		content, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		testfile.Write(t, filepath.Join(dir, filepath.Base(f)), string(content))
	}
	testfile.Write(t, filepath.Join(dir, "no_private_dns_name_override.tf"), endpointOverride("this"))
	return dir
}

// moduleTest runs steps that apply the module, the way
// terraform-plugin-testing 1.16 allows: its legacy state shim refuses state
// with child modules ("Modules are not supported"), which breaks its
// post-test destroy, CheckDestroy and Check functions. So every step uses
// state checks only, a last step destroys everything while the state
// still loads, and checks with EC2 that every endpoint the steps saw is
// gone (what CheckDestroy would do); should a step fail before that, a
// cleanup deletes the endpoints left in the test's VPCs.
func moduleTest(t *testing.T, a *acctest.AWS, vpcs []*acctest.VPC, steps []resource.TestStep) {
	t.Helper()
	t.Cleanup(func() {
		for _, v := range vpcs {
			deleteLeftoverEndpoints(t, a.InRegion(v.Region), v.ID)
		}
	})
	seen := map[string]acctest.StateEndpoint{} // by ID
	var last func(config.TestStepConfigRequest) string
	for i := range steps {
		if steps[i].ExpectError == nil && !steps[i].PlanOnly {
			steps[i].ConfigStateChecks = append(steps[i].ConfigStateChecks, recordEndpoints(seen))
			last = steps[i].ConfigFile
		}
	}
	if last != nil {
		steps = append(steps, resource.TestStep{
			ConfigFile:        last,
			Destroy:           true,
			ConfigStateChecks: []statecheck.StateCheck{endpointsGone(a, seen)},
		})
	}
	acctest.Test(t, resource.TestCase{Steps: steps})
}

// recordEndpoints notes the endpoints in state, in any module, with their
// Regions.
func recordEndpoints(seen map[string]acctest.StateEndpoint) statecheck.StateCheck {
	return acctest.StateCheckFunc(func(_ context.Context, st *tfjson.State) error {
		for _, ep := range acctest.StateEndpoints(st) {
			seen[ep.ID] = ep
		}
		return nil
	})
}

// endpointsGone is the destroy step's CheckDestroy: it asks EC2, in each
// endpoint's Region, whether every endpoint recorded is gone.
func endpointsGone(a *acctest.AWS, seen map[string]acctest.StateEndpoint) statecheck.StateCheck {
	return acctest.StateCheckFunc(func(ctx context.Context, _ *tfjson.State) error {
		if len(seen) == 0 {
			return fmt.Errorf("no endpoint was recorded: nothing to check")
		}
		var eps []acctest.StateEndpoint
		for _, ep := range seen {
			eps = append(eps, ep)
		}
		return a.CheckEndpointsGone(ctx, eps)
	})
}

// deleteLeftoverEndpoints deletes the live endpoints in the VPC (of a's
// Region), which only a failed test leaves behind, and says so.
func deleteLeftoverEndpoints(t *testing.T, a *acctest.AWS, vpcID string) {
	ctx := context.Background()
	out, err := a.EC2.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{
		Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpcID}}},
	})
	if err != nil {
		t.Errorf("listing endpoints left in %s: %v", vpcID, err)
		return
	}
	for _, ep := range out.VpcEndpoints {
		id := aws.ToString(ep.VpcEndpointId)
		if strings.EqualFold(string(ep.State), "deleted") || strings.EqualFold(string(ep.State), "deleting") {
			continue
		}
		t.Errorf("endpoint %s (%s) was left behind in %s: deleting it", id, ep.State, aws.ToString(ep.VpcId))
		if err := a.DeleteEndpoint(ctx, id); err != nil {
			t.Errorf("deleting %s: %v", id, err)
		}
	}
}

// vpcInput is one entry of the module's vpcs variable: every subnet of a
// fixture VPC, keyed by its zone's ID.
func vpcInput(v *acctest.VPC, groups ...string) map[string]any {
	subnets := map[string]string{}
	for _, s := range v.Subnets {
		subnets[s.Zone.ID] = s.ID
	}
	if groups == nil {
		groups = []string{v.SecurityGroupID}
	}
	return map[string]any{"vpc_id": v.ID, "subnets_by_zone_id": subnets, "security_group_ids": groups}
}

// offeredSubnets are the VPC's subnets in zones the service is offered in.
func offeredSubnets(svc *acctest.Service, v *acctest.VPC) []knownvalue.Check {
	var out []knownvalue.Check
	for _, s := range v.Subnets {
		if slices.Contains(svc.Zones, s.Zone) {
			out = append(out, knownvalue.StringExact(s.ID))
		}
	}
	return out
}

// Three consumer VPCs, one with a subnet in a zone the service is not
// offered in: the module creates one endpoint per VPC in the offered zones
// only, and reports each endpoint, its .bazelrc line and its health.
func TestAccModule_threeVPCs(t *testing.T) {
	acctest.PreCheck(t)
	a := acctest.TestAWS(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	unoffered := acctest.UnofferedZone(t, svc)
	vpcs := map[string]*acctest.VPC{
		"build":       acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones}),
		"ci":          acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones}),
		"mixed-zones": acctest.NewVPC(t, acctest.VPCOptions{Zones: []acctest.Zone{svc.Zones[0], unoffered}}),
	}
	mixed := vpcs["mixed-zones"]
	if mixed.Subnets[1].Zone != unoffered {
		t.Fatalf("fixture: %s's second subnet is in %v, want %v", mixed.ID, mixed.Subnets[1].Zone, unoffered)
	}
	input := map[string]any{}
	for key, v := range vpcs {
		input[key] = vpcInput(v)
	}
	// client_cidr_blocks is optional: given for one VPC (its own CIDR, which
	// its security group lets in), defaulted to the VPC's CIDR for the others.
	input["ci"].(map[string]any)["client_cidr_blocks"] = []string{vpcs["ci"].CIDR}

	keys := []string{"build", "ci", "mixed-zones"}
	perVPC := func(check func(key string) knownvalue.Check) knownvalue.Check {
		m := map[string]knownvalue.Check{}
		for _, k := range keys {
			m[k] = check(k)
		}
		return knownvalue.MapExact(m)
	}
	sameID := map[string]func(string, tfjsonpath.Path) statecheck.StateCheck{}
	for _, k := range keys {
		sameID[k] = statecheck.CompareValue(compare.ValuesSame()).AddStateValue
	}
	// Healthy, but for what a service without a private DNS name lacks:
	// then no .bazelrc line, and the checks about the name fail.
	healthyCheckBlock := checkResults([]string{"module.engflow.check.engflow_endpoints_healthy"},
		failingCheckBlock("module.engflow.check.engflow_endpoints_healthy", svc))
	checks := func(bazelConfig, team string) []statecheck.StateCheck {
		cs := []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValue("bazelrc", perVPC(func(string) knownvalue.Check {
				if svc.PrivateDNSName == "" {
					return knownvalue.Null()
				}
				return knownvalue.StringExact(fmt.Sprintf("build:%s --remote_executor=grpcs://%s", bazelConfig, svc.PrivateDNSName))
			})),
			statecheck.ExpectKnownOutputValue("healthy", perVPC(func(string) knownvalue.Check { return knownvalue.Bool(svc.PrivateDNSName != "") })),
			statecheck.ExpectKnownOutputValue("failed_checks", perVPC(func(string) knownvalue.Check { return failedCheckLines(svc) })),
			statecheck.ExpectKnownOutputValue("skipped_subnets", perVPC(func(k string) knownvalue.Check {
				if k == "mixed-zones" {
					return knownvalue.MapExact(map[string]knownvalue.Check{unoffered.ID: knownvalue.StringExact(mixed.Subnets[1].ID)})
				}
				return knownvalue.MapSizeExact(0)
			})),
			healthyCheckBlock,
		}
		for _, k := range keys {
			res, data := moduleEndpoint(k), moduleEndpointData(k)
			cs = append(cs,
				acctest.EndpointMatchesAPI(a, res),
				acctest.EndpointMatchesAPI(a, data, "owner_id", "tags_all"),
				inModules(sameID[k](res, tfjsonpath.New("id"))), // updated in place, never replaced
				inModules(statecheck.ExpectKnownValue(res, tfjsonpath.New("vpc_id"), knownvalue.StringExact(vpcs[k].ID))),
				inModules(statecheck.ExpectKnownValue(res, tfjsonpath.New("subnet_ids"), knownvalue.SetExact(offeredSubnets(svc, vpcs[k])))),
				inModules(statecheck.ExpectKnownValue(res, tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{
					"Name": knownvalue.StringExact("engflow-" + k), "team": knownvalue.StringExact(team),
				}))),
				inModules(statecheck.ExpectKnownValue(data, tfjsonpath.New("id"), knownvalue.NotNull())),
				endpointsOutputMatches(k, res),
			)
		}
		return cs
	}
	expectUpdates := []plancheck.PlanCheck{}
	for _, k := range keys {
		expectUpdates = append(expectUpdates, plancheck.ExpectResourceAction(moduleEndpoint(k), plancheck.ResourceActionUpdate))
	}

	updated := map[string]any{
		"service_name": svc.Name, "vpcs": input, "tags": map[string]string{"team": "remote-exec"}, "bazel_config": "engflow",
	}
	waiting := map[string]any{"wait_for_healthy": true}
	for k, v := range updated {
		waiting[k] = v
	}
	steps := []resource.TestStep{
		{
			ConfigFile: moduleConfig(t, svc, map[string]any{
				"service_name": svc.Name, "vpcs": input, "tags": map[string]string{"team": "build"},
			}),
			ConfigStateChecks: checks(clusterName(svc.PrivateDNSName), "build"),
		},
		{
			// Another .bazelrc config name, other tags (updated in place)
			// and wait_for_healthy, which passes.
			ConfigFile:        moduleConfig(t, svc, waiting),
			ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: expectUpdates},
			ConfigStateChecks: checks("engflow", "remote-exec"),
		},
	}
	if svc.PrivateDNSName == "" {
		// The endpoints cannot pass the checks about the private DNS name:
		// the update without wait_for_healthy, which then fails the apply
		// with just those checks.
		steps[1].ConfigFile = moduleConfig(t, svc, updated)
		steps = append(steps, resource.TestStep{
			ConfigFile: moduleConfig(t, svc, waiting),
			ExpectError: acctest.ErrorText(`The EngFlow endpoint of vpcs["build"]`, "is not healthy",
				"private_dns_enabled:", "offers no private DNS name", "private_dns_name_verified:"),
		})
	}
	moduleTest(t, a, []*acctest.VPC{vpcs["build"], vpcs["ci"], mixed}, steps)
}

// The module with VPCs in two Regions from one provider block: one next to
// the service, one in another Region that connects across Regions (all its
// subnets go to AWS: a remote service lists no zones). Each endpoint is
// checked through the API of its own Region.
func TestAccModule_twoRegions(t *testing.T) {
	acctest.PreCheck(t)
	a := acctest.TestAWS(t)
	second := acctest.EmulatorSecondRegion
	svc := acctest.NewService(t, acctest.ServiceOptions{SupportedRegions: []string{second}})
	remoteZones, _ := acctest.RemoteAccessZones(t, second, svc)
	vpcs := map[string]*acctest.VPC{
		"home":   acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones}),
		"remote": acctest.NewVPC(t, acctest.VPCOptions{Region: second, Zones: remoteZones[:min(2, len(remoteZones))]}),
	}
	input := map[string]any{"home": vpcInput(vpcs["home"]), "remote": vpcInput(vpcs["remote"])}
	input["remote"].(map[string]any)["region"] = second
	var checks []statecheck.StateCheck
	for key, region := range map[string]string{"home": acctest.EmulatorRegion, "remote": second} {
		res := moduleEndpoint(key)
		checks = append(checks,
			acctest.EndpointMatchesAPI(a.InRegion(region), res),
			inModules(statecheck.ExpectKnownValue(res, tfjsonpath.New("region"), knownvalue.StringExact(region))),
			inModules(statecheck.ExpectKnownValue(res, tfjsonpath.New("service_region"), knownvalue.StringExact(acctest.EmulatorRegion))),
			inModules(statecheck.ExpectKnownValue(res, tfjsonpath.New("subnet_ids"), knownvalue.SetSizeExact(len(vpcs[key].Subnets)))),
			inModules(statecheck.ExpectKnownValue(moduleEndpointData(key), tfjsonpath.New("region"), knownvalue.StringExact(region))),
			endpointsOutputMatches(key, res),
		)
	}
	if svc.PrivateDNSName != "" {
		// The run-book's checks pass across Regions too.
		checks = append(checks, statecheck.ExpectKnownOutputValue("healthy", knownvalue.MapExact(map[string]knownvalue.Check{
			"home": knownvalue.Bool(true), "remote": knownvalue.Bool(true),
		})))
	}
	moduleTest(t, a, []*acctest.VPC{vpcs["home"], vpcs["remote"]}, []resource.TestStep{{
		ConfigFile:        moduleConfig(t, svc, map[string]any{"service_name": svc.Name, "vpcs": input}),
		ConfigStateChecks: checks,
	}})
}

// endpointsOutputMatches checks one entry of the endpoints output against
// the endpoint resource in state.
func endpointsOutputMatches(key, address string) statecheck.StateCheck {
	return acctest.StateCheckFunc(func(_ context.Context, st *tfjson.State) error {
		out, err := output(st, "endpoints")
		if err != nil {
			return err
		}
		entry, _ := out.(map[string]any)[key].(map[string]any)
		res, err := acctest.Attributes(st, address)
		if err != nil {
			return err
		}
		var problems []string
		for _, name := range []string{"id", "vpc_id", "state", "subnet_ids", "private_dns_name", "regional_dns_name", "private_ips"} {
			got, want := entry[name], res[name]
			if name == "subnet_ids" { // a set in the resource, a list in the data source
				got, want = sortedAny(got), sortedAny(want)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				problems = append(problems, fmt.Sprintf("%s: output has %v, %s has %v", name, got, address, want))
			}
		}
		if len(problems) > 0 {
			return fmt.Errorf("endpoints[%q] differs from the resource:\n  %s", key, strings.Join(problems, "\n  "))
		}
		return nil
	})
}

func sortedAny(v any) []string {
	xs, _ := v.([]any)
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprint(x)
	}
	sort.Strings(out)
	return out
}

// Without wait_for_healthy an unhealthy endpoint is reported in the
// outputs (and as a check warning); with it, the apply fails with the
// failed checks.
func TestAccModule_unhealthy(t *testing.T) {
	acctest.PreCheck(t)
	a := acctest.TestAWS(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	closed := acctest.NewSecurityGroup(t, vpc.ID) // no rule for TCP 443
	args := map[string]any{"service_name": svc.Name, "vpcs": map[string]any{"build": vpcInput(vpc, closed)}}
	waiting := map[string]any{"wait_for_healthy": true}
	for k, v := range args {
		waiting[k] = v
	}
	moduleTest(t, a, []*acctest.VPC{vpc}, []resource.TestStep{
		{
			ConfigFile: moduleConfig(t, svc, args),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("healthy", knownvalue.MapExact(map[string]knownvalue.Check{"build": knownvalue.Bool(false)})),
				statecheck.ExpectKnownOutputValue("failed_checks", knownvalue.MapExact(map[string]knownvalue.Check{
					"build": failedCheckLines(svc, knownvalue.StringRegexp(regexp.MustCompile(`^security_group_allows_443: .*`+closed))),
				})),
			},
		},
		{
			ConfigFile: moduleConfig(t, svc, waiting),
			ExpectError: acctest.ErrorText(`The EngFlow endpoint of vpcs["build"]`, "is not healthy",
				"security_group_allows_443:", closed),
		},
	})
}

// The module's own checks of its input, each with a message that says
// what to change.
func TestAccModule_badInput(t *testing.T) {
	acctest.PreCheck(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	unoffered := acctest.UnofferedZone(t, svc)
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	elsewhere := acctest.NewVPC(t, acctest.VPCOptions{Zones: []acctest.Zone{unoffered}})
	good := vpcInput(vpc)
	with := func(changes map[string]any) map[string]any {
		m := map[string]any{}
		for k, v := range good {
			m[k] = v
		}
		for k, v := range changes {
			m[k] = v
		}
		return m
	}
	zoneNames := map[string]string{}
	for _, s := range vpc.Subnets {
		zoneNames[s.Zone.Name] = s.ID
	}
	var steps []resource.TestStep
	for _, tc := range []struct {
		vpcs map[string]any
		want []string
	}{
		{map[string]any{"build": with(map[string]any{"subnets_by_zone_id": zoneNames})},
			[]string{"must be Availability Zone IDs such as use1-az1", "not zone names such as us-east-1a", "build: " + vpc.Subnets[0].Zone.Name}},
		{map[string]any{"build": good, "ci": good},
			[]string{"Each VPC may appear only once", "Listed more than once: " + vpc.ID}},
		{map[string]any{"build": with(map[string]any{"vpc_id": "vpc-123"})},
			[]string{"needs vpc_id, a VPC ID", `build ("vpc-123")`}},
		{map[string]any{"build": with(map[string]any{"security_group_ids": []string{}})},
			[]string{"needs security_group_ids", "TCP 443", "Missing or malformed in: build"}},
		{map[string]any{"build": with(map[string]any{"subnets_by_zone_id": map[string]string{}})},
			[]string{"needs at least one subnet", "Empty: build"}},
		{map[string]any{"build": with(map[string]any{"client_cidr_blocks": []string{"10.0.0.0/33"}})},
			[]string{"must be CIDR blocks", `build: "10.0.0.0/33"`}},
		{map[string]any{"elsewhere": vpcInput(elsewhere)},
			[]string{`None of the subnets given for vpcs["elsewhere"]`, elsewhere.ID, "is in a zone the EngFlow service is offered in", "the subnets are in " + unoffered.ID}},
	} {
		steps = append(steps, resource.TestStep{
			ConfigFile:  moduleConfig(t, svc, map[string]any{"service_name": svc.Name, "vpcs": tc.vpcs}),
			PlanOnly:    true,
			ExpectError: acctest.ErrorText(tc.want...),
		})
	}
	steps = append(steps, resource.TestStep{
		ConfigFile:  moduleConfig(t, svc, map[string]any{"service_name": "vpce-svc-0123456789abcdef0", "vpcs": map[string]any{"build": good}}),
		PlanOnly:    true,
		ExpectError: acctest.ErrorText("service_name must be the endpoint service name EngFlow gave you"),
	})
	moduleTest(t, acctest.TestAWS(t), []*acctest.VPC{vpc, elsewhere}, steps)
}
