package pipeline_test

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"testing"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
	"github.com/engflow/terraform-provider-engflow/internal/tfcli"
)

// Distinctive fake credentials: the emulator accepts any, and a leak of
// these shows up by plain search.
const (
	leakAccessKey    = "AKIAENGFLOWLEAKTEST7"
	leakSecretKey    = "engflow+leak/test/SecretAccessKey0123456789"
	leakSessionToken = "EngflowLeakTestSessionToken/0123456789+abcdefghijklmnopqrstuvwxyz"
	leakExternalID   = "engflow-leak-test-external-id-5150"
)

// assumeRoleOverride adds an assume_role block to the root module's
// provider "engflow" (a Terraform override file merges into it).
const assumeRoleOverride = `provider "engflow" {
  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/engflow-ci"
    session_name = "pipeline-test"
    external_id  = "` + leakExternalID + `"
  }
}
`

// assumeRoleResponse is the part of STS's AssumeRole answer that holds the
// assumed role's credentials.
type assumeRoleResponse struct {
	Credentials struct {
		AccessKeyID     string `xml:"AccessKeyId"`
		SecretAccessKey string `xml:"SecretAccessKey"`
		SessionToken    string `xml:"SessionToken"`
	} `xml:"AssumeRoleResult>Credentials"`
}

// The access key, secret key and session token the provider runs with, and
// the credentials of the role it assumes, appear neither in TF_LOG=trace
// output nor in any diagnostic: of a successful apply, of a failing plan
// (a service that does not exist) and of a destroy.
func TestAccSecrets_notInLogsOrDiagnostics(t *testing.T) {
	tf := newRootModule(t)
	p := acctest.NewFaultProxy(t) // no faults: it only keeps STS's answers
	p.Capture("AssumeRole")
	logPath := filepath.Join(t.TempDir(), "trace.log")
	tf.Setenv(p.Env()...)
	tf.Setenv("AWS_ACCESS_KEY_ID="+leakAccessKey, "AWS_SECRET_ACCESS_KEY="+leakSecretKey, "AWS_SESSION_TOKEN="+leakSessionToken,
		"TF_LOG=trace", "TF_LOG_PATH="+logPath)
	tf.WriteFile(t, "assume_role_override.tf", []byte(assumeRoleOverride))

	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	good := endpointVars(svc, vpc)
	bad := good
	bad.ServiceName = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
	destroyOnCleanup(t, tf)

	var outputs [][]byte
	tf.WriteEndpoints(t, map[string]tfcli.EndpointVars{"ci": good})
	outputs = append(outputs, mustRun(t, tf, apply...).Output)
	tf.WriteEndpoints(t, map[string]tfcli.EndpointVars{"ci": good, "typo": bad})
	failed := run(t, tf, "plan", "-input=false")
	if failed.ExitCode == 0 || !bytes.Contains(failed.Output, []byte("Error")) {
		t.Fatalf("a plan with an unknown service should fail with a diagnostic; exit code %d:\n%s", failed.ExitCode, failed.Output)
	}
	outputs = append(outputs, failed.Output)
	tf.WriteEndpoints(t, map[string]tfcli.EndpointVars{"ci": good})
	outputs = append(outputs, mustRun(t, tf, destroy...).Output)

	secrets := map[string]string{
		"access key": leakAccessKey, "secret key": leakSecretKey, "session token": leakSessionToken,
	}
	answers := p.Captured("AssumeRole")
	if len(answers) == 0 {
		t.Fatal("the provider never assumed the role: the test would prove nothing about the assumed credentials")
	}
	for _, answer := range answers {
		var ar assumeRoleResponse
		if err := xml.Unmarshal(answer, &ar); err != nil || ar.Credentials.SecretAccessKey == "" {
			t.Fatalf("cannot read the assumed role's credentials from STS's answer (%v):\n%s", err, answer)
		}
		secrets["assumed access key "+ar.Credentials.AccessKeyID] = ar.Credentials.AccessKeyID
		secrets["assumed secret key"] = ar.Credentials.SecretAccessKey
		secrets["assumed session token"] = ar.Credentials.SessionToken
	}

	trace, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	// The log must be the provider's trace, or finding nothing proves nothing.
	for _, want := range []string{"AWS configuration resolved", "created VPC endpoint", "@module=engflow"} {
		if !bytes.Contains(trace, []byte(want)) {
			t.Fatalf("the TF_LOG=trace output (%d bytes) lacks %q: it is not the provider's trace", len(trace), want)
		}
	}
	t.Logf("searched %d bytes of trace log and %d command outputs for %d secrets", len(trace), len(outputs), len(secrets))
	for what, secret := range secrets {
		if bytes.Contains(trace, []byte(secret)) {
			t.Errorf("the TF_LOG=trace output holds the %s", what)
		}
		for i, out := range outputs {
			if bytes.Contains(out, []byte(secret)) {
				t.Errorf("the output (diagnostics) of command %d holds the %s", i+1, what)
			}
		}
	}
}
