package examples_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// placeholderPattern matches what looks like an account-specific value in
// an example: endpoint service names, resource IDs, ARNs, CIDR blocks,
// account IDs and Route 53 hosted zone IDs. Every match must be a known placeholder, so that an example
// that brings a new one fails here instead of being applied half-filled.
var placeholderPattern = regexp.MustCompile(`com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[0-9a-z]+` +
	`|arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:[0-9]*:[^\s"]+` +
	`|\b(?:vpc|vpce|subnet|sg|eni|rtb|acl|igw|nat|pl)-[0-9a-f]{8,17}\b` +
	`|\b[0-9]{1,3}(?:\.[0-9]{1,3}){3}/[0-9]{1,2}\b` +
	`|\b[0-9]{12}\b` +
	`|\bZ[0-9A-Z]{8,31}\b`)

// The placeholders the examples use, and what TestAccExamples_apply puts
// in their place (see exampleFixture.values).
const (
	phServiceName = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0" // the fixture's EngFlow-like service
	phVPC         = "vpc-0a1b2c3d4e5f67890"                                   // the fixture's consumer VPC
	phSubnetA     = "subnet-0a1b2c3d4e5f67890"                                // its subnet in the service's first zone
	phSubnetB     = "subnet-0b1c2d3e4f5a67890"                                // its subnet in the service's second zone
	phGroup       = "sg-0a1b2c3d4e5f67890"                                    // its security group, TCP 443 open to the clients
	phEndpoint    = "vpce-0123456789abcdef0"                                  // the endpoint the import examples adopt
	phClientCIDR  = "10.20.0.0/16"                                            // kept: the fixture's security group lets it in
	phRoleARN     = "arn:aws:iam::123456789012:role/build-network"            // kept: the emulator's STS lets any role be assumed
	// A second consumer VPC, in acctest.EmulatorSecondRegion, for the guide to several Regions.
	phWestVPC     = "vpc-0c1d2e3f4a5b67890"
	phWestSubnetA = "subnet-0c1d2e3f4a5b67890"
	phWestSubnetB = "subnet-0d1e2f3a4b5c67890"
	phWestGroup   = "sg-0c1d2e3f4a5b67890"
	// Spoke VPCs of the shared DNS example.
	phSpokeVPCA = "vpc-0e1f2a3b4c5d67890"
	phSpokeVPCB = "vpc-0f1a2b3c4d5e67890"
	// The shared DNS zone the import example adopts.
	phZone = "Z0123456789ABCDEFGHIJ"
)

var knownPlaceholders = []string{phServiceName, phVPC, phSubnetA, phSubnetB, phGroup, phEndpoint, phClientCIDR, phRoleARN,
	phWestVPC, phWestSubnetA, phWestSubnetB, phWestGroup, phSpokeVPCA, phSpokeVPCB, phZone}

// appliedExamples are the files TestAccExamples_apply applies, by path
// under examples/; moduleDirs are directories applied as modules by
// TestAccModule_threeVPCs.
var (
	appliedExamples = []string{
		"data-sources/engflow_privatelink_endpoint/data-source.tf",
		"data-sources/engflow_privatelink_service/data-source.tf",
		"demo/main.tf",
		"guides/coming-from-aws-vpc-endpoint.tf", // TestAccMoved_fromAWSVPCEndpoint
		"guides/connecting-bazel.tf",             // TestAccExamples_connectingBazel
		"guides/several-regions.tf",
		"list-resources/engflow_privatelink_endpoint/list-resource.tfquery.hcl", // TestAccQuery_listResourceExample
		"provider/provider.tf",
		"resources/engflow_privatelink_endpoint/import-identity.tf",
		"resources/engflow_privatelink_endpoint/import-by-string-id.tf",
		"resources/engflow_privatelink_endpoint/import.sh",
		"resources/engflow_privatelink_endpoint/resource.tf",
		"resources/engflow_privatelink_endpoint/fixed-ips.tf",
		"resources/engflow_privatelink_shared_dns/import.sh",   // TestAccExamples_sharedDNS
		"resources/engflow_privatelink_shared_dns/resource.tf", // TestAccExamples_sharedDNS
	}
	moduleDirs = []string{"modules/privatelink-per-vpc", "modules/privatelink-hub-and-spokes"}
)

// unknownPlaceholders lists the placeholder-shaped values of an example
// that TestAccExamples_apply does not know.
func unknownPlaceholders(content string) []string {
	var unknown []string
	for _, m := range placeholderPattern.FindAllString(content, -1) {
		if !slices.Contains(knownPlaceholders, m) && !slices.Contains(unknown, m) {
			unknown = append(unknown, m)
		}
	}
	return unknown
}

// TestExamples_covered runs without TF_ACC: every Terraform file and shell
// snippet under examples/ must be applied by an acceptance test, and every
// placeholder in them must be one TestAccExamples_apply can fill in.
func TestExamples_covered(t *testing.T) {
	root := repoPath(t, "examples")
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if d.Name() == ".terraform" {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".tf", ".sh", ".tfvars", ".hcl":
		default:
			return nil
		}
		if d.Name() == ".terraform.lock.hcl" {
			return nil
		}
		for _, dir := range moduleDirs {
			if strings.HasPrefix(rel, dir+"/") {
				seen[dir] = true
				return nil
			}
		}
		if !slices.Contains(appliedExamples, rel) {
			t.Errorf("examples/%s is not applied by any test: add it to appliedExamples and apply it in TestAccExamples_apply "+
				"(or, for a module, add its directory to moduleDirs and test it like TestAccModule_threeVPCs)", rel)
			return nil
		}
		seen[rel] = true
		content, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if unknown := unknownPlaceholders(string(content)); len(unknown) > 0 {
			sort.Strings(unknown)
			t.Errorf("examples/%s uses %s, which TestAccExamples_apply cannot fill in with a fixture value: "+
				"reuse a placeholder from knownPlaceholders, or add the new one there and to exampleFixture.values",
				rel, strings.Join(unknown, ", "))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range append(slices.Clone(appliedExamples), moduleDirs...) {
		if !seen[want] {
			t.Errorf("examples/%s is listed as tested but does not exist: remove it from the list", want)
		}
	}
}

func TestExamples_placeholderPattern(t *testing.T) {
	for _, ph := range knownPlaceholders {
		if got := placeholderPattern.FindString(ph); got != ph {
			t.Errorf("placeholderPattern finds %q in the placeholder %q", got, ph)
		}
	}
	got := unknownPlaceholders(`vpc_id = "vpc-0123456789abcdef1" # in 10.1.0.0/16, account 210987654321, ` +
		`"com.amazonaws.vpce.eu-west-1.vpce-svc-0a0a0a0a0a0a0a0a0", dns_resolver = "169.254.169.253:53", zone Z1D633PJN98FT9, ` + phVPC)
	want := []string{"vpc-0123456789abcdef1", "10.1.0.0/16", "210987654321", "com.amazonaws.vpce.eu-west-1.vpce-svc-0a0a0a0a0a0a0a0a0", "Z1D633PJN98FT9"}
	if !slices.Equal(got, want) {
		t.Errorf("unknownPlaceholders = %q, want %q", got, want)
	}
}
