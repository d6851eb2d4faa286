package provider_test

import (
	"fmt"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// endpointsUnder is an endpoints block naming EC2 and STS by hosts under
// acctest.TestDomain, which only a proxy can reach, at port.
func endpointsUnder(scheme, port string) string {
	return fmt.Sprintf(`  endpoints {
    ec2 = "%[1]s://ec2.%[2]s:%[3]s"
    sts = "%[1]s://sts.%[2]s:%[3]s"
  }`, scheme, acctest.TestDomain, port)
}

func emulatorPort(t *testing.T, emu *acctest.Emulator) string {
	t.Helper()
	u, err := url.Parse(emu.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Port()
}

// allowedAccount makes the provider call STS too (GetCallerIdentity), so
// that both services' calls are counted.
const allowedAccount = `  allowed_account_ids = ["123456789012"]`

// Every EC2 and STS call goes through http_proxy: the proxy served as many
// requests as the emulator logged from the provider.
func TestAccProvider_httpProxy(t *testing.T) {
	emu := acctest.RequireEmulator(t, "it compares the proxy's count with the emulator's request log")
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	proxy := acctest.NewForwardProxy(t)
	body := fmt.Sprintf("  region = %q\n  http_proxy = %q\n%s\n%s", acctest.EmulatorRegion, proxy.URL, allowedAccount,
		endpointsUnder("http", emulatorPort(t, emu)))
	calls := lookupCalls(t, emu, svc, body, nil)
	if calls.Count("GetCallerIdentity") == 0 || calls.Count("DescribeVpcEndpointServices") == 0 {
		t.Fatalf("the provider's calls lack STS or EC2: %v", actions(calls))
	}
	if got := proxy.Requests(); got != int64(len(calls)) {
		t.Errorf("the proxy served %d requests, the emulator logged %d calls from the provider: %v", got, len(calls), actions(calls))
	}
}

// https_proxy carries HTTPS calls in CONNECT tunnels to endpoints whose
// certificate only custom_ca_bundle vouches for.
func TestAccProvider_httpsProxyAndCABundle(t *testing.T) {
	emu := acctest.RequireEmulator(t, "it compares the TLS front's count with the emulator's request log")
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	proxy := acctest.NewForwardProxy(t)
	front := acctest.NewTLSFront(t)
	body := fmt.Sprintf("  region = %q\n  https_proxy = %q\n  custom_ca_bundle = %q\n%s\n%s", acctest.EmulatorRegion,
		proxy.URL, front.CABundle, allowedAccount, endpointsUnder("https", front.Port))
	calls := lookupCalls(t, emu, svc, body, nil)
	if calls.Count("GetCallerIdentity") == 0 || calls.Count("DescribeVpcEndpointServices") == 0 {
		t.Fatalf("the provider's calls lack STS or EC2: %v", actions(calls))
	}
	if proxy.Tunnels() == 0 || proxy.Requests() != 0 {
		t.Errorf("the proxy opened %d tunnels and served %d plain requests; want tunnels only", proxy.Tunnels(), proxy.Requests())
	}
	if got := front.Requests(); got != int64(len(calls)) {
		t.Errorf("the TLS front served %d requests, the emulator logged %d calls from the provider", got, len(calls))
	}
}

// custom_ca_bundle, or AWS_CA_BUNDLE, lets the provider call an HTTPS
// endpoint whose certificate no system trusts.
func TestAccProvider_customCABundle(t *testing.T) {
	emu := acctest.RequireEmulator(t, "it compares the TLS front's count with the emulator's request log")
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	for _, viaEnv := range []bool{false, true} {
		t.Run(map[bool]string{false: "custom_ca_bundle", true: "AWS_CA_BUNDLE"}[viaEnv], func(t *testing.T) {
			front := acctest.NewTLSFront(t)
			argument, env := fmt.Sprintf("  custom_ca_bundle = %q\n", front.CABundle), map[string]string(nil)
			if viaEnv {
				argument, env = "", map[string]string{"AWS_CA_BUNDLE": front.CABundle}
			}
			endpoint := "https://127.0.0.1:" + front.Port
			body := fmt.Sprintf("  region = %q\n%s%s\n  endpoints {\n    ec2 = %q\n    sts = %q\n  }",
				acctest.EmulatorRegion, argument, allowedAccount, endpoint, endpoint)
			calls := lookupCalls(t, emu, svc, body, env)
			if got := front.Requests(); got == 0 || got != int64(len(calls)) {
				t.Errorf("the TLS front served %d requests, the emulator logged %d calls from the provider", got, len(calls))
			}
		})
	}
}

// Files the provider block names are read at plan time; a missing one
// stops the plan with its path and the argument that names it.
func TestAccProvider_unreadableFiles(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"CA bundle", fmt.Sprintf("  region = \"us-east-1\"\n  custom_ca_bundle = %q", missing),
			[]string{"Cannot read the CA bundle", "custom_ca_bundle names " + missing}},
		{"web identity token", fmt.Sprintf(`  region = "us-east-1"
  assume_role_with_web_identity {
    role_arn                = "arn:aws:iam::123456789012:role/ci"
    web_identity_token_file = %q
  }`, missing), []string{"Cannot read the web identity token", "web_identity_token_file names " + missing}},
	} {
		t.Run(tc.name, func(t *testing.T) { expectPlanError(t, tc.body, tc.want...) })
	}
}

// FIPS and dual-stack give way to custom endpoints, as in the hashicorp/aws
// provider (the AWS SDK would refuse the combination).
func TestAccProvider_fipsAndDualStackWithCustomEndpoints(t *testing.T) {
	acctest.RequireEmulator(t, "on AWS the tests' endpoints may be the Region's public ones, which these settings change")
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	expectServiceLookup(t, svc, fmt.Sprintf("  region = %q\n  use_fips_endpoint = true\n  use_dualstack_endpoint = true",
		acctest.EmulatorRegion), nil)
}
