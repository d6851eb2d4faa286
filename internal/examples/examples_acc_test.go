package examples_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
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
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// exampleFixture is what the examples' placeholders stand for.
type exampleFixture struct {
	svc *acctest.Service
	vpc *acctest.VPC
	// endpointID fills in phEndpoint, for the import examples.
	endpointID string
	// west is the consumer VPC in acctest.EmulatorSecondRegion, if any.
	west *acctest.VPC
	// spokes fill in phSpokeVPCA and phSpokeVPCB, if any.
	spokes []*acctest.VPC
	// zoneID fills in phZone, for the shared DNS import example.
	zoneID string
}

func (f *exampleFixture) values() map[string]string {
	west := map[string]string{}
	if f.west != nil {
		west = map[string]string{
			phWestVPC: f.west.ID, phWestSubnetA: f.west.Subnets[0].ID, phWestSubnetB: f.west.Subnets[1].ID, phWestGroup: f.west.SecurityGroupID,
		}
	}
	spokes := map[string]string{}
	if len(f.spokes) == 2 {
		spokes = map[string]string{phSpokeVPCA: f.spokes[0].ID, phSpokeVPCB: f.spokes[1].ID}
	}
	return map[string]string{
		phSpokeVPCA:   spokes[phSpokeVPCA],
		phSpokeVPCB:   spokes[phSpokeVPCB],
		phWestVPC:     west[phWestVPC],
		phWestSubnetA: west[phWestSubnetA],
		phWestSubnetB: west[phWestSubnetB],
		phWestGroup:   west[phWestGroup],
		phServiceName: f.svc.Name,
		phVPC:         f.vpc.ID,
		phSubnetA:     f.vpc.Subnets[0].ID,
		phSubnetB:     f.vpc.Subnets[1].ID,
		phGroup:       f.vpc.SecurityGroupID,
		phEndpoint:    f.endpointID,
		phClientCIDR:  phClientCIDR,
		phRoleARN:     phRoleARN,
		phZone:        f.zoneID,
	}
}

// render reads examples/<rel> and replaces its placeholders with fixture
// values; an unknown placeholder, or one without a value yet, fails the test.
func (f *exampleFixture) render(t *testing.T, rel string) string {
	t.Helper()
	out, err := f.renderFile(rel)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (f *exampleFixture) renderFile(rel string) (string, error) {
	content, err := os.ReadFile(filepath.Join("..", "..", "examples", filepath.FromSlash(rel)))
	if err != nil {
		return "", err
	}
	values := f.values()
	var problems []string
	out := placeholderPattern.ReplaceAllStringFunc(string(content), func(ph string) string {
		v, known := values[ph]
		switch {
		case !known:
			problems = append(problems, fmt.Sprintf("%s is not a placeholder this test knows (see knownPlaceholders)", ph))
		case v == "":
			problems = append(problems, fmt.Sprintf("%s has no fixture value at this point of the test", ph))
		}
		return v
	})
	if len(problems) > 0 {
		return "", fmt.Errorf("cannot apply examples/%s:\n  %s", rel, strings.Join(problems, "\n  "))
	}
	return out, nil
}

// TestAccExamples_severalRegions applies the guide to several Regions: an
// endpoint next to the service and one connecting from
// acctest.EmulatorSecondRegion, each checked through its own Region's API.
func TestAccExamples_severalRegions(t *testing.T) {
	acctest.PreCheck(t)
	a := acctest.TestAWS(t)
	second := acctest.EmulatorSecondRegion
	svc := acctest.NewService(t, acctest.ServiceOptions{SupportedRegions: []string{second}})
	if svc.PrivateDNSName == "" {
		t.Skipf("the guide's .bazelrc lines need a service with a private DNS name; %s has none", svc.Name)
	}
	remoteZones, _ := acctest.RemoteAccessZones(t, second, svc)
	if len(svc.Zones) < 2 || len(remoteZones) < 2 {
		t.Skipf("the guide uses subnets in two zones in each Region; %s offers %d, %s takes %d", svc.Name, len(svc.Zones), second, len(remoteZones))
	}
	f := &exampleFixture{
		svc:  svc,
		vpc:  acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones}),
		west: acctest.NewVPC(t, acctest.VPCOptions{Region: second, Zones: remoteZones[:2]}),
	}
	east, west := "engflow_privatelink_endpoint.east", "engflow_privatelink_endpoint.west"
	acctest.Test(t, resource.TestCase{
		CheckDestroy: acctest.CheckEndpointsDestroyed(a),
		Steps: []resource.TestStep{{
			// A directory, the guide as written, provider block included
			// (acctest.Test then names the providers on the step).
			ConfigDirectory: configDir(t, svc, map[string]string{"main.tf": f.render(t, "guides/several-regions.tf")}, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.EndpointMatchesAPI(a, east),
				acctest.EndpointMatchesAPI(a.InRegion(second), west),
				statecheck.ExpectKnownValue(west, tfjsonpath.New("region"), knownvalue.StringExact(second)),
				statecheck.ExpectKnownValue(west, tfjsonpath.New("state"), knownvalue.StringExact("available")),
				statecheck.CompareValuePairs(east, tfjsonpath.New("remote_executor"), west, tfjsonpath.New("remote_executor"), compare.ValuesSame()),
			},
		}},
	})
}

const (
	exampleEndpoint     = "engflow_privatelink_endpoint.engflow"
	exampleEndpointData = "data.engflow_privatelink_endpoint.engflow"
)

// TestAccExamples_apply applies every example that declares resources or
// data sources, with its placeholders replaced by fixture values, so that
// the examples (and the docs generated from them) cannot rot.
// TestExamples_covered makes sure no example is left out.
func TestAccExamples_apply(t *testing.T) {
	acctest.PreCheck(t)
	a := acctest.TestAWS(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	if len(svc.Zones) < 2 {
		t.Skipf("the examples use subnets in two zones; service %s is offered in %d", svc.Name, len(svc.Zones))
	}
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	// The data source example's clients connect from phClientCIDR.
	if _, err := a.EC2.AuthorizeSecurityGroupIngress(context.Background(), &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: aws.String(vpc.SecurityGroupID),
		IpPermissions: []ec2types.IpPermission{{
			IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
			IpRanges: []ec2types.IpRange{{CidrIp: aws.String(phClientCIDR)}},
		}},
	}); err != nil {
		t.Fatal(err)
	}
	f := &exampleFixture{svc: svc, vpc: vpc}
	// resource.tf as a user of the service applies it (see configDir).
	resourceOverride := endpointOverride("engflow") + bazelrcOverride("engflow", "engflow")

	// One endpoint at a time: two endpoints of the service in one VPC would
	// claim the same private DNS name, and the data source example looks
	// the endpoint up by VPC and service.
	t.Run("demo", func(t *testing.T) {
		cluster := clusterName(svc.PrivateDNSName)
		if cluster == "" {
			cluster = "engflow"
		}
		demo := f.render(t, "demo/main.tf") // only to vet its placeholders: the demo takes variables
		var privateDNSName knownvalue.Check = knownvalue.Null()
		if svc.PrivateDNSName != "" {
			privateDNSName = knownvalue.StringExact(svc.PrivateDNSName)
		}
		acctest.Test(t, resource.TestCase{
			CheckDestroy: acctest.CheckEndpointsDestroyed(a),
			Steps: []resource.TestStep{{
				// The demo is applied as a directory, with its variables and
				// its provider block (acctest.Test then names the providers on
				// the step).
				ConfigDirectory: configDir(t, svc, map[string]string{"main.tf": demo},
					endpointOverride("engflow")+bazelrcOverride("engflow", "${var.cluster_name}")),
				ConfigVariables: config.Variables{
					"service_name":       config.StringVariable(svc.Name),
					"cluster_name":       config.StringVariable(cluster),
					"vpc_id":             config.StringVariable(vpc.ID),
					"subnet_ids":         config.ListVariable(config.StringVariable(vpc.Subnets[0].ID), config.StringVariable(vpc.Subnets[1].ID)),
					"security_group_ids": config.ListVariable(config.StringVariable(vpc.SecurityGroupID)),
				},
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.EndpointMatchesAPI(a, exampleEndpoint),
					bazelrcLine("bazelrc", cluster, svc, exampleEndpoint),
					statecheck.ExpectKnownOutputValueAtPath("endpoint", tfjsonpath.New("state"), knownvalue.StringExact("available")),
					statecheck.ExpectKnownOutputValueAtPath("endpoint", tfjsonpath.New("private_dns_enabled"), knownvalue.Bool(svc.PrivateDNSName != "")),
					statecheck.ExpectKnownOutputValueAtPath("endpoint", tfjsonpath.New("private_dns_name"), privateDNSName),
					statecheck.ExpectKnownOutputValueAtPath("endpoint", tfjsonpath.New("private_ips"), knownvalue.ListSizeExact(2)),
					outputMatchesAttributes("endpoint", exampleEndpoint, "id", "regional_dns_name", "zonal_dns_names", "private_ips"),
				},
			}},
		})
	})

	t.Run("provider", func(t *testing.T) {
		emu := acctest.RequireEmulator(t, "the example's role ARN is made up: only the emulator's STS lets it be assumed")
		providerTF := f.render(t, "provider/provider.tf")
		role, session := hclString(t, providerTF, "role_arn"), hclString(t, providerTF, "session_name")
		acctest.Test(t, resource.TestCase{
			CheckDestroy: acctest.CheckEndpointsDestroyed(a),
			Steps: []resource.TestStep{{
				Config: providerTF + "\n" + f.render(t, "resources/engflow_privatelink_endpoint/resource.tf"),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.EndpointMatchesAPI(a, exampleEndpoint),
					// default_tags merged under the resource's own tags, which win.
					statecheck.ExpectKnownValue(exampleEndpoint, tfjsonpath.New("tags_all"), knownvalue.MapExact(map[string]knownvalue.Check{
						"managed-by": knownvalue.StringExact("terraform"), "team": knownvalue.StringExact("build"),
					})),
				},
				Check: acctest.CheckCallsFromHere(t, emu, func(cs acctest.Calls) error {
					if len(acctest.FindCalls(cs, "AssumeRole", map[string]string{"RoleArn": role, "RoleSessionName": session})) == 0 {
						return fmt.Errorf("the provider never assumed %s (session %s) as the example's assume_role block says", role, session)
					}
					return nil
				}),
			}},
		})
	})

	t.Run("fixed IPs", func(t *testing.T) {
		// The example's addresses are those of the fixture VPC's subnets.
		want := map[string]string{vpc.Subnets[0].ID: vpc.Subnets[0].Host(10), vpc.Subnets[1].ID: vpc.Subnets[1].Host(10)}
		acctest.Test(t, resource.TestCase{
			CheckDestroy: acctest.CheckEndpointsDestroyed(a),
			Steps: []resource.TestStep{{
				ConfigDirectory: configDir(t, svc, map[string]string{
					"main.tf": f.render(t, "resources/engflow_privatelink_endpoint/fixed-ips.tf"),
				}, endpointOverride("engflow")),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.EndpointMatchesAPI(a, exampleEndpoint),
					acctest.AttributesCheck(exampleEndpoint, func(attrs map[string]any) error {
						held, err := a.AddressesBySubnet(context.Background(), attrs["id"].(string))
						if err != nil {
							return err
						}
						if !maps.Equal(held, want) {
							return fmt.Errorf("EC2 reports addresses %v by subnet, the example asks for %v", held, want)
						}
						return nil
					}),
				},
			}},
		})
	})

	t.Run("resource and terraform import", func(t *testing.T) {
		const importSH = "resources/engflow_privatelink_endpoint/import.sh"
		raw, err := os.ReadFile(repoPath(t, "examples/"+importSH))
		if err != nil {
			t.Fatal(err)
		}
		addr, id, err := importCommand(string(raw))
		if err != nil {
			t.Fatal(err)
		}
		if addr != exampleEndpoint || id != phEndpoint {
			t.Fatalf("import.sh imports %s as %s; the test expects resource.tf's %s as the placeholder %s", id, addr, exampleEndpoint, phEndpoint)
		}
		acctest.Test(t, resource.TestCase{
			CheckDestroy: acctest.CheckEndpointsDestroyed(a),
			Steps: []resource.TestStep{
				{
					ConfigDirectory: configDir(t, svc, map[string]string{
						"main.tf": f.render(t, "resources/engflow_privatelink_endpoint/resource.tf"),
					}, resourceOverride),
					ConfigStateChecks: []statecheck.StateCheck{
						acctest.EndpointMatchesAPI(a, exampleEndpoint),
						statecheck.ExpectKnownValue(exampleEndpoint, tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{
							"team": knownvalue.StringExact("build"),
						})),
						bazelrcLine("bazelrc", "engflow", svc, exampleEndpoint),
					},
				},
				{
					// import.sh's `terraform import ADDRESS ID`, its ID
					// filled in with the endpoint the first step created.
					ResourceName: addr,
					ImportState:  true,
					ImportStateIdFunc: func(s *terraform.State) (string, error) {
						rs, ok := s.RootModule().Resources[addr]
						if !ok {
							return "", fmt.Errorf("%s not in state", addr)
						}
						f.endpointID = rs.Primary.ID
						defer func() { f.endpointID = "" }()
						rendered, err := f.renderFile(importSH)
						if err != nil {
							return "", err
						}
						_, id, err := importCommand(rendered)
						return id, err
					},
					ImportStateVerify:       true,
					ImportStateVerifyIgnore: []string{"timeouts"},
				},
			},
		})
	})

	// An endpoint made outside Terraform (in the console, say), for the
	// data source example to inspect and the import blocks to adopt.
	consoleEndpoint := func(t *testing.T) string {
		id := acctest.NewEndpoint(t, a, &ec2.CreateVpcEndpointInput{
			VpcId: aws.String(vpc.ID), ServiceName: aws.String(svc.Name), SubnetIds: vpc.SubnetIDs()[:2],
			SecurityGroupIds: []string{vpc.SecurityGroupID}, PrivateDnsEnabled: aws.Bool(svc.PrivateDNSName != ""),
			TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpcEndpoint,
				Tags: []ec2types.Tag{{Key: aws.String("team"), Value: aws.String("build")}}}},
		})
		acctest.WaitForEndpointState(t, a, id, "available")
		return id
	}
	f.endpointID = consoleEndpoint(t)

	t.Run("data sources and check block", func(t *testing.T) {
		zoneIDs := make([]knownvalue.Check, len(svc.Zones))
		for i, z := range svc.Zones {
			zoneIDs[i] = knownvalue.StringExact(z.ID)
		}
		acctest.Test(t, resource.TestCase{
			Steps: []resource.TestStep{{
				Config: f.render(t, "data-sources/engflow_privatelink_endpoint/data-source.tf") + "\n" +
					f.render(t, "data-sources/engflow_privatelink_service/data-source.tf"),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.EndpointMatchesAPI(a, exampleEndpointData, "owner_id", "tags_all"),
					statecheck.ExpectKnownValue(exampleEndpointData, tfjsonpath.New("id"), knownvalue.StringExact(f.endpointID)),
					// Healthy, but for what a service without a private DNS name lacks.
					statecheck.ExpectKnownValue(exampleEndpointData, tfjsonpath.New("healthy"), knownvalue.Bool(svc.PrivateDNSName != "")),
					failedChecks(exampleEndpointData, privateNameFailures(svc)),
					checkResults([]string{"check.engflow_endpoint_healthy"}, failingCheckBlock("check.engflow_endpoint_healthy", svc)),
					dataSourceBazelrc("bazelrc", svc),
					statecheck.ExpectKnownOutputValue("engflow_zones", knownvalue.SetExact(zoneIDs)),
				},
			}},
		})
	})

	// Each import block adopts an endpoint made in the console: by ID (all
	// CLIs), by identity (Terraform and OpenTofu 1.12 and newer).
	for _, tc := range []struct {
		file   string
		checks []tfversion.TerraformVersionCheck
	}{
		{"import-by-string-id.tf", nil},
		{"import-identity.tf", acctest.NeedsResourceIdentity()},
	} {
		t.Run(tc.file, func(t *testing.T) {
			if f.endpointID == "" {
				f.endpointID = consoleEndpoint(t)
			}
			// Whatever happens, the endpoint is gone afterwards: the next
			// endpoint in this VPC would find its private DNS name taken.
			defer func() {
				if err := a.DeleteEndpoint(context.Background(), f.endpointID); err != nil {
					t.Errorf("deleting %s: %v", f.endpointID, err)
				}
				f.endpointID = ""
			}()
			acctest.Test(t, resource.TestCase{
				TerraformVersionChecks: tc.checks,
				CheckDestroy:           acctest.CheckEndpointsDestroyed(a),
				Steps: []resource.TestStep{{
					// resource.tf plus the import {} block, into an empty state:
					// the plan adopts the endpoint and changes nothing.
					ConfigDirectory: configDir(t, svc, map[string]string{
						"main.tf":   f.render(t, "resources/engflow_privatelink_endpoint/resource.tf"),
						"import.tf": f.render(t, "resources/engflow_privatelink_endpoint/"+tc.file),
					}, resourceOverride),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(exampleEndpoint, plancheck.ResourceActionNoop),
							expectImport(exampleEndpoint, f.endpointID),
						},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						acctest.EndpointMatchesAPI(a, exampleEndpoint),
						statecheck.ExpectKnownValue(exampleEndpoint, tfjsonpath.New("id"), knownvalue.StringExact(f.endpointID)),
					},
				}},
			})
		})
	}
}

// importCommand parses the one `terraform import ADDRESS ID` command of
// an import.sh example.
func importCommand(script string) (addr, id string, err error) {
	var commands [][]string
	for _, line := range strings.Split(script, "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		commands = append(commands, fields)
	}
	if len(commands) != 1 || len(commands[0]) != 4 || commands[0][0] != "terraform" || commands[0][1] != "import" {
		return "", "", fmt.Errorf("import.sh should hold one `terraform import ADDRESS ID` command, has %q", commands)
	}
	return commands[0][2], commands[0][3], nil
}

// hclString finds `name = "value"` in HCL text.
func hclString(t *testing.T, text, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(name) + `\s*=\s*"([^"]*)"`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no %s = \"...\" in\n%s", name, text)
	}
	return m[1]
}

// outputMatchesAttributes checks that attributes of an object output equal
// the resource's own.
func outputMatchesAttributes(outputName, address string, attrs ...string) statecheck.StateCheck {
	return acctest.StateCheckFunc(func(_ context.Context, st *tfjson.State) error {
		out, err := output(st, outputName)
		if err != nil {
			return err
		}
		obj, _ := out.(map[string]any)
		res, err := acctest.Attributes(st, address)
		if err != nil {
			return err
		}
		var problems []string
		for _, name := range attrs {
			if fmt.Sprint(obj[name]) != fmt.Sprint(res[name]) {
				problems = append(problems, fmt.Sprintf("%s: output has %v, %s has %v", name, obj[name], address, res[name]))
			}
		}
		if len(problems) > 0 {
			return fmt.Errorf("output %s differs from %s:\n  %s", outputName, address, strings.Join(problems, "\n  "))
		}
		return nil
	})
}

// expectImport is a plan check: the plan imports address with this ID.
func expectImport(address, id string) plancheck.PlanCheck {
	return planFunc(func(plan *tfjson.Plan) error {
		for _, rc := range plan.ResourceChanges {
			if rc.Address != address {
				continue
			}
			if rc.Change == nil || rc.Change.Importing == nil {
				return fmt.Errorf("%s is planned without an import", address)
			}
			byIdentity, _ := rc.Change.Importing.Identity.(map[string]any)
			if got := rc.Change.Importing.ID; got != id && byIdentity["id"] != id {
				return fmt.Errorf("%s imports ID %q / identity %v, want %q", address, got, byIdentity, id)
			}
			return nil
		}
		return fmt.Errorf("%s is not in the plan", address)
	})
}

type planFunc func(*tfjson.Plan) error

func (f planFunc) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f(req.Plan)
}
