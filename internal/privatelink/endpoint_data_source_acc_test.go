package privatelink_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

const endpointDataAddr = "data.engflow_privatelink_endpoint.test"

// endpointLookup renders the data source; body holds its arguments.
func endpointLookup(body string) string {
	return fmt.Sprintf("provider \"engflow\" {}\n\ndata \"engflow_privatelink_endpoint\" \"test\" {\n%s\n}\n", body)
}

// availableEndpoint creates an endpoint outside Terraform and waits until
// it is available, returning EC2's description of it and its private IPs
// in the order the data source lists them (by interface ID).
func availableEndpoint(t *testing.T, a *acctest.AWS, svc *acctest.Service, vpc *acctest.VPC, groups []string) (*ec2types.VpcEndpoint, []string) {
	t.Helper()
	id := createEndpointOutOfBand(t, svc.Name, vpc.ID, vpc.Subnets, svc.PrivateDNSName != "", groups...)
	ep := acctest.WaitForEndpointState(t, a, id, "available")
	enis := append([]string(nil), ep.NetworkInterfaceIds...)
	sort.Strings(enis)
	ips, err := a.PrivateIPs(context.Background(), enis)
	if err != nil {
		t.Fatal(err)
	}
	return ep, ips
}

// wantCheck is what a test expects of one of the data source's checks:
// whether it passes, and a phrase its detail must contain.
type wantCheck struct {
	ok     bool
	detail string
}

// checksAre compares the data source's checks with want, name by name, and
// healthy with whether all pass.
func checksAre(want map[string]wantCheck) statecheck.StateCheck {
	return acctest.AttributesCheck(endpointDataAddr, func(attrs map[string]any) error {
		got, _ := attrs["checks"].([]any)
		seen := map[string]bool{}
		var problems []string
		allOK := true
		for _, c := range got {
			m, _ := c.(map[string]any)
			name, _ := m["name"].(string)
			ok, _ := m["ok"].(bool)
			detail, _ := m["detail"].(string)
			seen[name] = true
			w, expected := want[name]
			switch {
			case !expected:
				problems = append(problems, "unexpected check "+name)
			case ok != w.ok:
				problems = append(problems, fmt.Sprintf("%s: ok = %v, want %v (%s)", name, ok, w.ok, detail))
			case !strings.Contains(strings.Join(strings.Fields(detail), " "), w.detail):
				problems = append(problems, fmt.Sprintf("%s: detail %q lacks %q", name, detail, w.detail))
			}
			allOK = allOK && ok
		}
		for name := range want {
			if !seen[name] {
				problems = append(problems, "missing check "+name)
			}
		}
		if healthy, _ := attrs["healthy"].(bool); healthy != allOK {
			problems = append(problems, fmt.Sprintf("healthy = %v while checks say %v", healthy, allOK))
		}
		if len(problems) > 0 {
			sort.Strings(problems)
			return fmt.Errorf("checks differ:\n  %s", strings.Join(problems, "\n  "))
		}
		return nil
	})
}

// privateNameChecks are the checks about the service's private DNS name of
// an available endpoint of svc made as availableEndpoint makes it, whose
// name resolves to ips: passing when svc has a (verified) private DNS name,
// failing with the advice to use the regional name when it has none.
func privateNameChecks(svc *acctest.Service, ips []string) map[string]wantCheck {
	if svc.PrivateDNSName == "" {
		return map[string]wantCheck{
			"private_dns_enabled":       {false, "offers no private DNS name, so they cannot be turned on"},
			"private_dns_name_verified": {false, "no private DNS name"},
			"private_dns_resolves":      {false, "no private DNS name to resolve"},
		}
	}
	return map[string]wantCheck{
		"private_dns_enabled": {true, svc.PrivateDNSName}, "private_dns_name_verified": {true, "verified"},
		"private_dns_resolves": {true, ips[0]},
	}
}

// with is want plus more.
func with(want map[string]wantCheck, more map[string]wantCheck) map[string]wantCheck {
	out := map[string]wantCheck{}
	for k, v := range want {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

// bazelrcOf is the data source's .bazelrc line for svc with this config
// name, or null when the service has no private DNS name.
func bazelrcOf(svc *acctest.Service, config string) knownvalue.Check {
	if svc.PrivateDNSName == "" {
		return knownvalue.Null()
	}
	return knownvalue.StringExact(fmt.Sprintf("build:%s --remote_executor=grpcs://%s", config, svc.PrivateDNSName))
}

// A healthy endpoint passes every check. Without a private DNS name, every
// check but those about the name passes.
func TestAccEndpointDataSource_healthyEndpoint(t *testing.T) {
	a, svc, vpc, _ := basicSetup(t, acctest.ServiceOptions{})
	ep, ips := availableEndpoint(t, a, svc, vpc, []string{vpc.SecurityGroupID})
	records := map[string]acctest.DNSRecord{}
	if svc.PrivateDNSName != "" {
		records[svc.PrivateDNSName] = acctest.DNSRecord{Addresses: ips}
	}
	dnsServer := acctest.StartDNSServer(t, records)
	cluster, _, _ := strings.Cut(svc.PrivateDNSName, ".")
	ipChecks := make([]knownvalue.Check, len(ips))
	for i, ip := range ips {
		ipChecks[i] = knownvalue.StringExact(ip)
	}
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: endpointLookup(fmt.Sprintf("  vpc_id = %q\n  service_name = %q\n  resolve_dns = true\n  dns_resolver = %q",
				vpc.ID, svc.Name, dnsServer)),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.EndpointMatchesAPI(a, endpointDataAddr, "owner_id", "tags_all"),
				statecheck.ExpectKnownValue(endpointDataAddr, tfjsonpath.New("id"), knownvalue.StringExact(aws.ToString(ep.VpcEndpointId))),
				statecheck.ExpectKnownValue(endpointDataAddr, tfjsonpath.New("state"), knownvalue.StringExact(string(ep.State))),
				statecheck.ExpectKnownValue(endpointDataAddr, tfjsonpath.New("available"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(endpointDataAddr, tfjsonpath.New("private_dns_enabled"), knownvalue.Bool(aws.ToBool(ep.PrivateDnsEnabled))),
				statecheck.ExpectKnownValue(endpointDataAddr, tfjsonpath.New("private_ips"), knownvalue.ListExact(ipChecks)),
				statecheck.ExpectKnownValue(endpointDataAddr, tfjsonpath.New("bazelrc"), bazelrcOf(svc, cluster)),
				statecheck.ExpectKnownValue(endpointDataAddr, tfjsonpath.New("regional_dns_name"), knownvalue.StringRegexp(regionalDNSName)),
				checksAre(with(privateNameChecks(svc, ips), map[string]wantCheck{
					"endpoint_available": {true, "is available"}, "vpc_dns_support": {true, "enableDnsSupport on"},
					"vpc_dns_hostnames": {true, "enableDnsHostnames on"}, "security_group_allows_443": {true, vpc.SecurityGroupID},
					"network_acls_allow_443": {true, ""},
				})),
				statecheck.ExpectKnownValue(endpointDataAddr, tfjsonpath.New("healthy"), knownvalue.Bool(svc.PrivateDNSName != "")),
			},
		}},
	})
}

// Every check can fail, each with advice: a group without 443, a network
// ACL without the reply ports, DNS attributes off (so private DNS off), and
// a name that resolves to a load balancer.
func TestAccEndpointDataSource_failingChecks(t *testing.T) {
	acctest.PreCheck(t)
	a := acctest.TestAWS(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones, DisableDNSHostnames: true})
	closedGroup := acctest.NewSecurityGroup(t, vpc.ID)
	acl := acctest.NewNetworkACL(t, vpc.ID, vpc.Subnets[0].ID, acctest.ACLRule{Number: 100, FromPort: 443, ToPort: 443, CIDR: vpc.CIDR})
	noDNS := *svc
	noDNS.PrivateDNSName = "" // AWS refuses private DNS in this VPC: create it without
	ep, _ := availableEndpoint(t, a, &noDNS, vpc, []string{closedGroup})
	records := map[string]acctest.DNSRecord{
		"engflow-public-123.us-east-1.elb.amazonaws.com": {Addresses: []string{"203.0.113.10"}},
	}
	// Without private DNS the cluster's name resolves to EngFlow's public load balancer.
	var privateName map[string]wantCheck
	if svc.PrivateDNSName == "" {
		privateName = privateNameChecks(svc, nil)
	} else {
		records[svc.PrivateDNSName] = acctest.DNSRecord{CNAME: "engflow-public-123.us-east-1.elb.amazonaws.com"}
		privateName = map[string]wantCheck{
			"private_dns_enabled":       {false, "Set private_dns_enabled = true"},
			"private_dns_name_verified": {true, "verified"},
			"private_dns_resolves":      {false, "not enabled"},
		}
	}
	dnsServer := acctest.StartDNSServer(t, records)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: endpointLookup(fmt.Sprintf("  id = %q\n  resolve_dns = true\n  dns_resolver = %q", aws.ToString(ep.VpcEndpointId), dnsServer)),
			ConfigStateChecks: []statecheck.StateCheck{
				checksAre(with(privateName, map[string]wantCheck{
					"endpoint_available":        {true, "is available"},
					"vpc_dns_support":           {true, "enableDnsSupport on"},
					"vpc_dns_hostnames":         {false, "enable_dns_hostnames = true"},
					"security_group_allows_443": {false, closedGroup},
					"network_acls_allow_443":    {false, acl},
				})),
				statecheck.ExpectKnownValue(endpointDataAddr, tfjsonpath.New("healthy"), knownvalue.Bool(false)),
			},
		}},
	})
}

// wait_for_available blocks until EngFlow accepts the connection.
func TestAccEndpointDataSource_waitForAvailable(t *testing.T) {
	_, svc, vpc, _ := basicSetup(t, acctest.ServiceOptions{AcceptanceRequired: true})
	id := createEndpointOutOfBand(t, svc.Name, vpc.ID, vpc.Subnets, false, vpc.SecurityGroupID)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			PreConfig: func() {
				time.AfterFunc(2*time.Second, func() {
					if err := svc.Accept(context.Background(), id); err != nil {
						t.Errorf("accepting %s: %v", id, err)
					}
				})
			},
			Config: endpointLookup(fmt.Sprintf("  id = %q\n  wait_for_available = true\n  bazel_config = \"ci\"", id)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(endpointDataAddr, tfjsonpath.New("state"), knownvalue.StringExact("available")),
				statecheck.ExpectKnownValue(endpointDataAddr, tfjsonpath.New("bazelrc"), bazelrcOf(svc, "ci")),
				statecheck.ExpectKnownValue(endpointDataAddr, tfjsonpath.New("regional_dns_name"), knownvalue.StringRegexp(regionalDNSName)),
			},
		}},
	})
}

func TestAccEndpointDataSource_lookupErrors(t *testing.T) {
	a, svc, vpc, _ := basicSetup(t, acctest.ServiceOptions{})
	byService := fmt.Sprintf("  vpc_id = %q\n  service_name = %q", vpc.ID, svc.Name)
	t.Run("none", func(t *testing.T) {
		expectLookupError(t, byService, "No endpoint for "+svc.Name, "engflow_privatelink_endpoint resource")
	})
	t.Run("two", func(t *testing.T) {
		if emu := acctest.RunningEmulator(); emu != nil {
			// About the message for two endpoints: EC2 hiding one of them
			// for a moment (flicker) is not what this checks.
			emu.ConfigureForTest(t, map[string]any{"flicker_rate": 0.0})
		}
		first := createEndpointOutOfBand(t, svc.Name, vpc.ID, vpc.Subnets[:1], false)
		second := createEndpointOutOfBand(t, svc.Name, vpc.ID, vpc.Subnets[1:], false)
		acctest.WaitForEndpointsListed(t, a, vpc.ID, first, second)
		ids := []string{first, second}
		sort.Strings(ids) // the message lists them in ID order
		expectLookupError(t, byService, "2 endpoints for", ids[0], ids[1], "as id")
	})
	t.Run("both ways", func(t *testing.T) {
		expectLookupError(t, byService+"\n  id = \"vpce-0123456789abcdef0\"", "Exactly one of these attributes must be configured: [id,vpc_id]")
	})
	t.Run("neither", func(t *testing.T) {
		expectLookupError(t, fmt.Sprintf("  vpc_id = %q", vpc.ID), "These attributes must be configured together: [vpc_id,service_name]")
	})
	t.Run("id with service_name", func(t *testing.T) {
		expectLookupError(t, fmt.Sprintf("  id = \"vpce-0123456789abcdef0\"\n  service_name = %q", svc.Name),
			"These attributes cannot be configured together: [id,service_name]")
	})
	t.Run("nothing", func(t *testing.T) {
		expectLookupError(t, "", "Exactly one of these attributes must be configured: [id,vpc_id]")
	})
	t.Run("spokes without a shared zone", func(t *testing.T) {
		expectLookupError(t, fmt.Sprintf("  id = \"vpce-0123456789abcdef0\"\n  spoke_vpc_ids = [%q]", vpc.ID),
			`"shared_dns_zone_id" must be specified when "spoke_vpc_ids" is specified`)
	})
	t.Run("malformed shared zone ID", func(t *testing.T) {
		expectLookupError(t, "  id = \"vpce-0123456789abcdef0\"\n  shared_dns_zone_id = \"zone-1\"",
			"must be a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ")
	})
}

func expectLookupError(t *testing.T, body string, phrases ...string) {
	t.Helper()
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{Config: endpointLookup(body), ExpectError: acctest.ErrorText(phrases...)}},
	})
}

// An endpoint not yet usable: EngFlow has not accepted it, the service's
// name is not verified (on real AWS the test's own service has no name at
// all), and the VPC has DNS support off.
func TestAccEndpointDataSource_notYetUsable(t *testing.T) {
	acctest.PreCheck(t)
	a := acctest.TestAWS(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{AcceptanceRequired: true, PrivateDNSVerificationState: "pendingVerification"})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones, DisableDNSSupport: true})
	id := createEndpointOutOfBand(t, svc.Name, vpc.ID, vpc.Subnets, false, vpc.SecurityGroupID)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: endpointLookup(fmt.Sprintf("  id = %q", id)),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.EndpointMatchesAPI(a, endpointDataAddr, "owner_id", "tags_all"),
				statecheck.ExpectKnownValue(endpointDataAddr, tfjsonpath.New("available"), knownvalue.Bool(false)),
				checksAre(map[string]wantCheck{
					"endpoint_available":        {false, "EngFlow has not accepted"},
					"private_dns_enabled":       privateDNSOffOf(svc),
					"private_dns_name_verified": verifiedOf(svc),
					"vpc_dns_support":           {false, "enable_dns_support = true"},
					"vpc_dns_hostnames":         {true, "enableDnsHostnames on"},
					"security_group_allows_443": {true, vpc.SecurityGroupID},
					"network_acls_allow_443":    {true, ""},
				}),
			},
		}},
	})
}

// verifiedOf and privateDNSOffOf are the checks about the private DNS name
// of an endpoint awaiting acceptance, of a service whose name the fixture
// asked to be pendingVerification, or that has no name at all (the fixture's
// services on real AWS).
func verifiedOf(svc *acctest.Service) wantCheck {
	if svc.PrivateDNSName == "" {
		return privateNameChecks(svc, nil)["private_dns_name_verified"]
	}
	return wantCheck{false, "pendingVerification"}
}

func privateDNSOffOf(svc *acctest.Service) wantCheck {
	if svc.PrivateDNSName == "" {
		return privateNameChecks(svc, nil)["private_dns_enabled"]
	}
	return wantCheck{false, "once EngFlow has accepted it"}
}
