package examples_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

const (
	hubModulePath     = "examples/modules/privatelink-hub-and-spokes"
	hubModuleEndpoint = "module.engflow.engflow_privatelink_endpoint.hub"
)

// The hub module with its hub subnets in the service's zones and one
// other, and two spokes of their own CIDR blocks, which the hub's security
// group lets in (the rule its README asks for): Route 53 reports the zone
// with exactly the hub and the spokes; the module uses only the offered
// subnets, reports the hub healthy through the shared zone, and its
// .bazelrc line names the zone Route 53 reports. Then one spoke and
// another Bazel config name; after destroy Route 53 has no such zone.
func TestAccModule_hubAndSpokes(t *testing.T) {
	acctest.PreCheck(t)
	a := acctest.TestAWS(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	unoffered := acctest.UnofferedZone(t, svc)
	hub := acctest.NewVPC(t, acctest.VPCOptions{Zones: append(append([]acctest.Zone(nil), svc.Zones...), unoffered)})
	spokeVPCs := []*acctest.VPC{acctest.NewVPC(t, acctest.VPCOptions{CIDR: "10.1.0.0/16"}), acctest.NewVPC(t, acctest.VPCOptions{CIDR: "10.2.0.0/16"})}
	spokes := []string{spokeVPCs[0].ID, spokeVPCs[1].ID}
	if err := hub.AllowHTTPSFrom(context.Background(), spokeVPCs[0].CIDR, spokeVPCs[1].CIDR); err != nil {
		t.Fatal(err)
	}
	args := func(spokes []string, more map[string]any) map[string]any {
		m := map[string]any{"service_name": svc.Name, "hub": vpcInput(hub), "spoke_vpc_ids": spokes, "region": a.Region}
		if svc.PrivateDNSName == "" { // then the module needs the cluster's name
			m["cluster_domain"] = acctest.RandomName("hub") + ".cluster.engflow.com"
		}
		for k, v := range more {
			m[k] = v
		}
		return m
	}
	step := func(args map[string]any) resource.TestStep {
		return resource.TestStep{ConfigFile: moduleFile(t, repoPath(t, hubModulePath), args,
			"endpoint_id", "zone_id", "bazelrc", "healthy", "failed_checks", "skipped_subnets")}
	}
	var zoneID string
	// State checks, not Checks: the legacy state of Check refuses modules.
	checks := func(bazelConfig string, spokes ...string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			acctest.StateCheckFunc(func(ctx context.Context, st *tfjson.State) error {
				v, err := output(st, "zone_id")
				if err != nil {
					return err
				}
				zoneID, _ = v.(string)
				hz, err := a.Route53.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(zoneID)})
				if err != nil {
					return fmt.Errorf("hosted zone %q: %w", zoneID, err)
				}
				domain := strings.TrimSuffix(aws.ToString(hz.HostedZone.Name), ".")
				if err := a.CheckPrivateZone(ctx, zoneID, domain, append([]string{hub.ID}, spokes...)); err != nil {
					return err
				}
				if svc.PrivateDNSName != "" && domain != svc.PrivateDNSName {
					return fmt.Errorf("zone %s is for %s, want the service's private DNS name %s", zoneID, domain, svc.PrivateDNSName)
				}
				cfg := bazelConfig
				if cfg == "" {
					cfg = clusterName(domain)
				}
				got, err := output(st, "bazelrc")
				if err != nil {
					return fmt.Errorf("output bazelrc: %w", err)
				}
				if want := "build:" + cfg + " --remote_executor=grpcs://" + domain; got != want {
					return fmt.Errorf("output bazelrc is %v, want %q", got, want)
				}
				return nil
			}),
			acctest.EndpointMatchesAPI(a, hubModuleEndpoint),
			inModules(statecheck.ExpectKnownValue(hubModuleEndpoint, tfjsonpath.New("subnet_ids"), knownvalue.SetExact(offeredSubnets(svc, hub)))),
			statecheck.ExpectKnownOutputValue("skipped_subnets", knownvalue.MapExact(map[string]knownvalue.Check{
				unoffered.ID: knownvalue.StringExact(hub.Subnets[len(hub.Subnets)-1].ID),
			})),
			statecheck.ExpectKnownOutputValue("healthy", knownvalue.Bool(true)),
			statecheck.ExpectKnownOutputValue("failed_checks", knownvalue.ListSizeExact(0)),
			checkResults([]string{"module.engflow.check.engflow_hub_healthy"}, nil),
		}
	}
	one, two := step(args(spokes, nil)), step(args(spokes[:1], map[string]any{"bazel_config": "engflow"}))
	one.ConfigStateChecks, two.ConfigStateChecks = checks("", spokes...), checks("engflow", spokes[0])
	// moduleTest: state checks only, and a last step that destroys and asks
	// EC2 that the endpoint is gone; Route 53 is asked here afterwards.
	moduleTest(t, a, []*acctest.VPC{hub}, []resource.TestStep{one, two})
	if zoneID == "" {
		return // the first step failed, and said why
	}
	_, err := a.Route53.GetHostedZone(context.Background(), &route53.GetHostedZoneInput{Id: aws.String(zoneID)})
	if gone := (*r53types.NoSuchHostedZone)(nil); !errors.As(err, &gone) {
		t.Errorf("after destroy Route 53 answers %v for zone %s, want NoSuchHostedZone", err, zoneID)
		_ = a.DeleteZone(context.Background(), zoneID)
	}
}
