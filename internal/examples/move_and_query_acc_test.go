package examples_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
	"github.com/engflow/terraform-provider-engflow/internal/tfcli"
)

// The guide "Coming from aws_vpc_endpoint", applied as written: an
// endpoint that hashicorp/aws managed, in the state hashicorp/aws v6 writes
// for an Interface endpoint (every attribute of its documented schema,
// filled from what EC2 reports), moves under engflow_privatelink_endpoint
// with the guide's moved block. The plan says it moved and changes nothing
// else; the apply keeps the endpoint; a Gateway endpoint is refused.
func TestAccMoved_fromAWSVPCEndpoint(t *testing.T) {
	acctest.RequireEmulator(t, "drives the CLI against the local emulator")
	a := acctest.TestAWS(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	if len(svc.Zones) < 2 {
		t.Skipf("the guide uses subnets in two zones; service %s is offered in %d", svc.Name, len(svc.Zones))
	}
	f := &exampleFixture{svc: svc, vpc: acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})}
	id := acctest.NewEndpoint(t, a, &ec2.CreateVpcEndpointInput{
		VpcId: aws.String(f.vpc.ID), ServiceName: aws.String(svc.Name), SubnetIds: []string{f.vpc.Subnets[0].ID, f.vpc.Subnets[1].ID},
		SecurityGroupIds: []string{f.vpc.SecurityGroupID}, PrivateDnsEnabled: aws.Bool(svc.PrivateDNSName != ""),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpcEndpoint,
			Tags: []ec2types.Tag{{Key: aws.String("team"), Value: aws.String("build")}}}},
	})
	ep := acctest.WaitForEndpointState(t, a, id, "available")

	tf := cliWithAWSStandIn(t)
	tf.WriteFile(t, "main.tf", []byte(f.render(t, "guides/coming-from-aws-vpc-endpoint.tf")))
	tf.WriteFile(t, "versions.tf", []byte("terraform {\n  required_providers {\n    engflow = { source = \"engflow/engflow\" }\n  }\n}\n"))
	if svc.PrivateDNSName == "" {
		tf.WriteFile(t, "main_override.tf", []byte(endpointOverride("engflow")))
	}
	run := func(args ...string) tfcli.Result {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		r, err := tf.Run(ctx, append(args, "-input=false", "-no-color")...)
		if err != nil {
			t.Fatalf("terraform %v: %v\n%s", args, err, r.Output)
		}
		return r
	}

	gateway := awsV6State(t, a, ep)
	gateway["vpc_endpoint_type"] = "Gateway"
	tf.WriteFile(t, "terraform.tfstate", stateOf(t, gateway))
	if r := run("plan"); r.ExitCode == 0 || !strings.Contains(strings.Join(strings.Fields(string(r.Output)), " "),
		"is a Gateway endpoint; engflow_privatelink_endpoint manages Interface endpoints only") {
		t.Errorf("moving a Gateway endpoint was not refused:\n%s", r.Output)
	}

	tf.WriteFile(t, "terraform.tfstate", stateOf(t, awsV6State(t, a, ep)))
	plan := run("plan")
	if out := string(plan.Output); !regexp.MustCompile(`aws_vpc_endpoint\.engflow has moved to engflow_privatelink_endpoint\.engflow`).MatchString(out) ||
		!strings.Contains(out, "Plan: 0 to add, 0 to change, 0 to destroy.") {
		t.Errorf("the plan should show the move and no change (exit code %d):\n%s", plan.ExitCode, out)
	}
	if r := run("apply", "-auto-approve"); r.ExitCode != 0 {
		t.Fatalf("apply: exit code %d\n%s", r.ExitCode, r.Output)
	}
	t.Cleanup(func() {
		if tf.HasResources() {
			run("destroy", "-auto-approve")
		}
	})
	ids, err := tf.StateEndpointIDs(context.Background())
	if err != nil || len(ids) != 1 || ids[0] != id {
		t.Fatalf("after the move the state holds %v (%v), want %s", ids, err, id)
	}
	if r := run("plan", "-detailed-exitcode"); r.ExitCode != 0 {
		t.Errorf("the plan after the move is not empty (exit code %d):\n%s", r.ExitCode, r.Output)
	}
	if err := a.CheckExactlyEndpoints(context.Background(), []string{f.vpc.ID}, []string{id}); err != nil {
		t.Fatal(err)
	}
}

// cliWithAWSStandIn is the real CLI with the provider under test and a
// stand-in for hashicorp/aws: Terraform loads the schema of every provider
// a state names, and the real one cannot be installed offline.
func cliWithAWSStandIn(t *testing.T) *tfcli.Terraform {
	t.Helper()
	dir, standIn := t.TempDir(), t.TempDir()
	if err := tfcli.BuildProvider(dir); err != nil {
		t.Fatal(err)
	}
	build := exec.Command("go", "build", "-o", filepath.Join(standIn, "terraform-provider-aws"),
		"github.com/engflow/terraform-provider-engflow/internal/acctest/awsstandin")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the hashicorp/aws stand-in: %v\n%s", err, out)
	}
	tf := tfcli.New(t, dir)
	tf.WriteFile(t, "dev.tfrc", []byte(acctest.DevOverridesCLIConfig(dir, "hashicorp/aws", standIn)))
	return tf
}

// awsV6State is the aws_vpc_endpoint state hashicorp/aws v6 writes for ep:
// every attribute of its documented schema, from what EC2 reports.
func awsV6State(t *testing.T, a *acctest.AWS, ep *ec2types.VpcEndpoint) map[string]any {
	t.Helper()
	var dns []map[string]any
	for _, e := range ep.DnsEntries {
		dns = append(dns, map[string]any{"dns_name": aws.ToString(e.DnsName), "hosted_zone_id": aws.ToString(e.HostedZoneId)})
	}
	var groups []string
	for _, g := range ep.Groups {
		groups = append(groups, aws.ToString(g.GroupId))
	}
	bySubnet, err := a.AddressesBySubnet(context.Background(), aws.ToString(ep.VpcEndpointId))
	if err != nil {
		t.Fatal(err)
	}
	var configs []map[string]any // hashicorp/aws records every interface's address, fixed or not
	for subnet, ip := range bySubnet {
		configs = append(configs, map[string]any{"ipv4": ip, "ipv6": "", "subnet_id": subnet})
	}
	tags := map[string]string{}
	for _, tag := range ep.Tags {
		tags[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
	}
	dnsRecordIPType := ""
	if ep.DnsOptions != nil {
		dnsRecordIPType = string(ep.DnsOptions.DnsRecordIpType)
	}
	return map[string]any{
		"arn":         "arn:aws:ec2:" + a.Region + ":" + aws.ToString(ep.OwnerId) + ":vpc-endpoint/" + aws.ToString(ep.VpcEndpointId),
		"auto_accept": nil, "cidr_blocks": []string{}, "dns_entry": dns,
		"dns_options": []map[string]any{{"dns_record_ip_type": dnsRecordIPType, "private_dns_only_for_inbound_resolver_endpoint": false,
			"private_dns_preference": "", "private_dns_specified_domains": []string{}}},
		"id": aws.ToString(ep.VpcEndpointId), "ip_address_type": string(ep.IpAddressType), "network_interface_ids": ep.NetworkInterfaceIds,
		"owner_id": aws.ToString(ep.OwnerId), "policy": "", "prefix_list_id": nil, "private_dns_enabled": aws.ToBool(ep.PrivateDnsEnabled),
		"region": a.Region, "requester_managed": false, "resource_configuration_arn": "", "route_table_ids": []string{},
		"security_group_ids": groups, "service_name": aws.ToString(ep.ServiceName), "service_network_arn": "",
		"service_region": a.Region, "state": string(ep.State), "subnet_configuration": configs, "subnet_ids": ep.SubnetIds,
		"tags": tags, "tags_all": tags, "timeouts": nil, "vpc_endpoint_type": "Interface", "vpc_id": aws.ToString(ep.VpcId),
	}
}

// stateOf is a version 4 state file holding one aws_vpc_endpoint.
func stateOf(t *testing.T, attributes map[string]any) []byte {
	t.Helper()
	data, err := json.MarshalIndent(map[string]any{
		"version": 4, "terraform_version": "1.11.4", "serial": 1, "lineage": "6b1d2c9e-0a4f-4c1e-9d3a-3f2b8e7c1a55", "outputs": map[string]any{},
		"resources": []map[string]any{{
			"mode": "managed", "type": "aws_vpc_endpoint", "name": "engflow", "provider": `provider["registry.terraform.io/hashicorp/aws"]`,
			"instances": []map[string]any{{"schema_version": 0, "attributes": attributes, "sensitive_attributes": []any{}}},
		}},
		"check_results": nil,
	}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The list resource's example for terraform query (Terraform 1.14+):
// three endpoints in two VPCs, made outside Terraform. The query by VPC
// returns exactly that VPC's endpoints, each with its identity; the one of
// unfinished creates returns the endpoint that still carries the creation
// marker, and says so in its display name. Paging and eventual consistency
// stay on: the endpoints are queried once EC2 lists them for good.
func TestAccQuery_listResourceExample(t *testing.T) {
	acctest.PreCheck(t)
	versionChecks := acctest.NeedsQuery(t)
	a := acctest.TestAWS(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	f := &exampleFixture{svc: svc, vpc: acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})}
	other := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	endpoint := func(vpc *acctest.VPC, tags ...ec2types.Tag) string {
		in := &ec2.CreateVpcEndpointInput{VpcId: aws.String(vpc.ID), ServiceName: aws.String(svc.Name), SubnetIds: vpc.SubnetIDs()[:1],
			PrivateDnsEnabled: aws.Bool(false)}
		if len(tags) > 0 {
			in.TagSpecifications = []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpcEndpoint, Tags: tags}}
		}
		return acctest.NewEndpoint(t, a, in)
	}
	settled := endpoint(f.vpc)
	unfinished := endpoint(f.vpc, ec2types.Tag{Key: aws.String("engflow:creating"), Value: aws.String("0123456789abcdef")})
	elsewhere := endpoint(other)
	acctest.WaitForEndpointsListed(t, a, f.vpc.ID, settled, unfinished)
	acctest.WaitForEndpointsListed(t, a, other.ID, elsewhere)
	waitOutFlicker(t)

	identity := func(id string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{"id": knownvalue.StringExact(id), "region": knownvalue.StringExact(a.Region)}
	}
	const byVPC, leftovers = "engflow_privatelink_endpoint.build_vpc", "engflow_privatelink_endpoint.unfinished"
	acctest.Test(t, resource.TestCase{
		TerraformVersionChecks: versionChecks,
		Steps: []resource.TestStep{
			{Config: `provider "engflow" {}`},
			{
				Query:  true,
				Config: f.render(t, "list-resources/engflow_privatelink_endpoint/list-resource.tfquery.hcl"),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength(byVPC, 2),
					querycheck.ExpectIdentity(byVPC, identity(settled)),
					querycheck.ExpectIdentity(byVPC, identity(unfinished)),
					querycheck.ExpectLength(leftovers, 1),
					querycheck.ExpectIdentity(leftovers, identity(unfinished)),
					querycheck.ExpectResourceDisplayName(leftovers, queryfilter.ByResourceIdentity(identity(unfinished)),
						knownvalue.StringRegexp(regexp.MustCompile(unfinished+`: `+f.vpc.ID+` to .*unfinished create`))),
					// The arguments -generate-config-out writes, as EC2 reports them.
					querycheck.ExpectResourceKnownValues(leftovers, queryfilter.ByResourceIdentity(identity(unfinished)), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("vpc_id"), KnownValue: knownvalue.StringExact(f.vpc.ID)},
						{Path: tfjsonpath.New("service_name"), KnownValue: knownvalue.StringExact(svc.Name)},
						{Path: tfjsonpath.New("subnet_ids"), KnownValue: knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(f.vpc.SubnetIDs()[0])})},
						{Path: tfjsonpath.New("private_dns_enabled"), KnownValue: knownvalue.Bool(false)},
					}),
				},
			},
		},
	})
}

// waitOutFlicker waits until endpoints created moments ago are past the
// time in which EC2 may leave them out of a listing now and then (the
// emulator's flicker_window after visibility_delay).
func waitOutFlicker(t *testing.T) {
	t.Helper()
	emu := acctest.RunningEmulator()
	if emu == nil {
		return // real AWS: the fixture's waits took their time
	}
	cfg, err := emu.Config(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	window, _ := cfg["flicker_window"].(float64)
	time.Sleep(time.Duration(window * float64(time.Second)))
}
