package provider_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
	"github.com/engflow/terraform-provider-engflow/internal/acctest/testfile"
)

// deadEndpoint is a loopback port nothing listens on: a call routed there
// fails, which proves a test's call went elsewhere.
const deadEndpoint = "http://127.0.0.1:9"

// A made-up but well-formed service name, for tests that fail before any call.
const unusedServiceName = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"

func serviceLookupConfig(providerBody, serviceName string) string {
	return fmt.Sprintf(`
provider "engflow" {
%s
}

data "engflow_privatelink_service" "this" {
  service_name = %q
}
`, providerBody, serviceName)
}

// expectServiceLookup runs one lookup of svc, with env set for the
// provider only (after the caller's acctest.PreCheck), and checks the data source against what EC2 itself reports
// for the service; on the emulator, also that it saw the provider's call.
func expectServiceLookup(t *testing.T, svc *acctest.Service, providerBody string, env map[string]string) {
	t.Helper()
	ctx := context.Background()
	want, err := acctest.TestAWS(t).ExistingService(ctx, svc.Name)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	var calledEmulator resource.TestCheckFunc
	if emu := acctest.RunningEmulator(); emu != nil {
		mark, err := emu.Mark(ctx)
		if err != nil {
			t.Fatal(err)
		}
		calledEmulator = func(*terraform.State) error {
			reqs, _, err := emu.Requests(ctx, mark)
			if err != nil {
				return err
			}
			if calls := acctest.FindCalls(reqs, "DescribeVpcEndpointServices", map[string]string{"ServiceName.1": svc.Name}); len(calls) == 0 {
				return fmt.Errorf("the emulator saw no DescribeVpcEndpointServices for %s", svc.Name)
			}
			return nil
		}
	}
	zoneNames := make([]knownvalue.Check, len(want.Zones))
	for i, z := range want.Zones {
		zoneNames[i] = knownvalue.StringExact(z.Name)
	}
	const addr = "data.engflow_privatelink_service.this"
	// No PreCheck here: the caller ran it before env took the test's own
	// settings away (on real AWS it would miss the Region and credentials).
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: serviceLookupConfig(providerBody, svc.Name),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("service_id"), knownvalue.StringExact(want.ID)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("private_dns_name"), knownvalue.StringExact(want.PrivateDNSName)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("availability_zones"), knownvalue.ListExact(zoneNames)),
			},
			Check: calledEmulator,
		}},
	})
}

// ec2Endpoint is the EC2 endpoint the tests run against: the one the
// environment names (the emulator's, or one given for real AWS), else the
// Region's public endpoint (aws partition).
func ec2Endpoint(t *testing.T) string {
	t.Helper()
	for _, k := range []string{"AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "https://ec2." + acctest.TestAWS(t).Region + ".amazonaws.com"
}

// The endpoints block must win over the environment: the environment
// points EC2 at a dead port, the block at the EC2 the tests run against.
func TestAccProvider_endpointsBlockWinsOverEnvironment(t *testing.T) {
	acctest.PreCheck(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	providerBody := fmt.Sprintf("  region = %q\n  endpoints {\n    ec2 = %q\n  }", acctest.TestAWS(t).Region, ec2Endpoint(t))
	expectServiceLookup(t, svc, providerBody, map[string]string{
		"AWS_ENDPOINT_URL_EC2": deadEndpoint, "AWS_ENDPOINT_URL": deadEndpoint,
	})
}

// AWS_ENDPOINT_URL_EC2 alone routes EC2 (the global AWS_ENDPOINT_URL is dead).
func TestAccProvider_envVarRoutesEC2(t *testing.T) {
	acctest.PreCheck(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	expectServiceLookup(t, svc, "", map[string]string{
		"AWS_ENDPOINT_URL_EC2": ec2Endpoint(t), "AWS_ENDPOINT_URL": deadEndpoint,
	})
}

// profile, shared_config_files and shared_credentials_files supply Region
// and credentials when the environment has none. The files hold the
// credentials the tests run with, in the test's own temporary directory.
func TestAccProvider_profileFromSharedFiles(t *testing.T) {
	acctest.PreCheck(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	creds := acctest.TestCredentials(t)
	dir := t.TempDir()
	configFile := filepath.Join(dir, "config")
	credsFile := filepath.Join(dir, "credentials")
	testfile.Write(t, configFile, "[profile bazel-ci]\nregion = "+acctest.TestAWS(t).Region+"\n")
	profile := fmt.Sprintf("[bazel-ci]\naws_access_key_id = %s\naws_secret_access_key = %s\n", creds.AccessKeyID, creds.SecretAccessKey)
	if creds.SessionToken != "" {
		profile += "aws_session_token = " + creds.SessionToken + "\n"
	}
	testfile.Write(t, credsFile, profile)
	providerBody := fmt.Sprintf("  profile = \"bazel-ci\"\n  shared_config_files = [%q]\n  shared_credentials_files = [%q]", configFile, credsFile)
	expectServiceLookup(t, svc, providerBody, map[string]string{
		"AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "",
	})
}

// assume_role reaches STS with every argument, then EC2 is called.
func TestAccProvider_assumeRole(t *testing.T) {
	emu := acctest.RequireEmulator(t, "it assumes a made-up role, which only the emulator's STS grants, and reads the AssumeRole call from its request log")
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	ctx := context.Background()
	mark, err := emu.Mark(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const role = "arn:aws:iam::123456789012:role/engflow-terraform"
	providerBody := fmt.Sprintf(`  region = %q
  endpoints {
    sts = %q
  }
  assume_role {
    role_arn     = %q
    session_name = "bazel-ci"
    external_id  = "engflow-ext"
    duration     = "1h"
  }`, acctest.EmulatorRegion, emu.URL, role)
	expectServiceLookup(t, svc, providerBody, nil)
	reqs, _, err := emu.Requests(ctx, mark)
	if err != nil {
		t.Fatal(err)
	}
	calls := acctest.FindCalls(reqs, "AssumeRole", map[string]string{
		"RoleArn": role, "RoleSessionName": "bazel-ci", "ExternalId": "engflow-ext", "DurationSeconds": "3600",
	})
	if len(calls) == 0 {
		t.Errorf("no AssumeRole call with the block's arguments; calls seen: %v", actions(reqs))
	}
}

func TestAccProvider_missingRegion(t *testing.T) {
	isolateCredentialFiles(t)
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      serviceLookupConfig("", unusedServiceName),
			ExpectError: acctest.ErrorText("No AWS Region configured", "AWS_REGION"),
		}},
	})
}

func TestAccProvider_noCredentials(t *testing.T) {
	isolateCredentialFiles(t)
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      serviceLookupConfig(`  region = "us-east-1"`, unusedServiceName),
			ExpectError: acctest.ErrorText("No usable AWS credentials", "AWS_ACCESS_KEY_ID"),
		}},
	})
}

// Bad provider arguments are refused at validate time, before any AWS call.
func TestAccProvider_invalidArguments(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"region", `  region = "us-east"`, []string{"region must be an AWS Region's code", `"us-east-1"`, "got: us-east"}},
		{"endpoint URL", "  region = \"us-east-1\"\n  endpoints {\n    ec2 = \"localhost:4566\"\n  }", []string{`"localhost:4566" is not an endpoint URL`}},
		{"assume_role without role_arn", "  region = \"us-east-1\"\n  assume_role {\n    session_name = \"x\"\n  }", []string{"assume_role needs role_arn"}},
		{"role ARN", "  region = \"us-east-1\"\n  assume_role {\n    role_arn = \"engflow\"\n  }", []string{"role_arn must be an IAM role ARN", "arn:aws:iam::123456789012:role/NAME", "got: engflow"}},
		{"duration", "  region = \"us-east-1\"\n  assume_role {\n    role_arn = \"arn:aws:iam::123456789012:role/r\"\n    duration = \"2d\"\n  }", []string{`"2d" is not a duration`}},
		{"retry mode", "  region = \"us-east-1\"\n  retry_mode = \"fast\"", []string{"retry_mode", "standard", "adaptive"}},
		{"max retries", "  region = \"us-east-1\"\n  max_retries = -1", []string{"max_retries", "between 0 and 100"}},
		{"account ID", `  allowed_account_ids = ["12345"]`, []string{"must be an AWS account ID", "12 digits", "got: 12345"}},
		{"allowed and forbidden", "  allowed_account_ids = [\"123456789012\"]\n  forbidden_account_ids = [\"111111111111\"]",
			[]string{"forbidden_account_ids", "cannot be specified when", "allowed_account_ids"}},
		{"proxy URL", `  https_proxy = "proxy.example.com:3128"`, []string{"not a proxy URL", "http://proxy.example.com:3128"}},
		{"STS Region", `  sts_region = "eu-west"`, []string{"sts_region must be an AWS Region's code", "got: eu-west"}},
		{"policy", "  assume_role {\n    role_arn = \"arn:aws:iam::123456789012:role/r\"\n    policy = \"Allow everything\"\n  }",
			[]string{"not a JSON object", "jsonencode"}},
		{"policy ARN", "  assume_role {\n    role_arn = \"arn:aws:iam::123456789012:role/r\"\n    policy_arns = [\"ReadOnlyAccess\"]\n  }",
			[]string{"must be an IAM policy ARN", "arn:aws:iam::aws:policy/NAME", "got: ReadOnlyAccess"}},
		{"session name", "  assume_role {\n    role_arn = \"arn:aws:iam::123456789012:role/r\"\n    session_name = \"my session\"\n  }",
			[]string{"session_name must be what STS takes", "no spaces", "got: my session"}},
		{"transitive tag key", "  assume_role {\n    role_arn = \"arn:aws:iam::123456789012:role/r\"\n    transitive_tag_keys = [\"team\"]\n  }",
			[]string{"Transitive tag key is not a session tag", `"team"`}},
		{"token and token file", "  assume_role_with_web_identity {\n    role_arn = \"arn:aws:iam::123456789012:role/r\"\n" +
			"    web_identity_token = \"t\"\n    web_identity_token_file = \"/run/token\"\n  }",
			[]string{"web_identity_token_file", "cannot be specified when", "web_identity_token"}},
	} {
		t.Run(tc.name, func(t *testing.T) { expectPlanError(t, tc.body, tc.want...) })
	}
}

// expectPlanError checks that a plan with providerBody fails with an error
// that says each phrase.
func expectPlanError(t *testing.T, providerBody string, phrases ...string) {
	t.Helper()
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      serviceLookupConfig(providerBody, unusedServiceName),
			ExpectError: acctest.ErrorText(phrases...),
		}},
	})
}

// isolateCredentialFiles hides the machine's ~/.aws files from a test.
func isolateCredentialFiles(t *testing.T) {
	t.Helper()
	empty := testfile.Temp(t, "empty", "")
	t.Setenv("AWS_CONFIG_FILE", empty)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", empty)
}

func actions(reqs []acctest.APIRequest) string {
	names := make([]string, len(reqs))
	for i, r := range reqs {
		names[i] = r.Action
	}
	return strings.Join(names, ", ")
}
