package provider_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
	"github.com/engflow/terraform-provider-engflow/internal/acctest/testfile"
)

// assumedRoleARN is how STS names the caller of an assumed role's session.
func assumedRoleARN(account, role, session string) string {
	return fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", account, role, session)
}

// lookupCalls runs one lookup of svc (see expectServiceLookup) and returns
// the provider's calls the emulator logged meanwhile.
func lookupCalls(t *testing.T, emu *acctest.Emulator, svc *acctest.Service, providerBody string, env map[string]string) acctest.Calls {
	t.Helper()
	ctx := context.Background()
	mark, err := emu.Mark(ctx)
	if err != nil {
		t.Fatal(err)
	}
	expectServiceLookup(t, svc, providerBody, env)
	calls, err := acctest.CallsSince(ctx, emu, mark)
	if err != nil {
		t.Fatal(err)
	}
	var fromProvider acctest.Calls
	for _, c := range calls {
		if c.FromProvider() {
			fromProvider = append(fromProvider, c)
		}
	}
	return fromProvider
}

// expectCallers checks that the provider made calls of service and that
// the emulator saw each signed by caller.
func expectCallers(t *testing.T, calls acctest.Calls, service, caller string) {
	t.Helper()
	var n int
	for _, c := range calls {
		if c.Service != service {
			continue
		}
		n++
		if c.Caller != caller {
			t.Errorf("%s %s was signed by %q, want %q", service, c.Action, c.Caller, caller)
		}
	}
	if n == 0 {
		t.Errorf("the provider made no %s call; calls seen: %v", service, actions(calls))
	}
}

func writeToken(t *testing.T) string {
	t.Helper()
	return testfile.Temp(t, "token", "eyJhbGciOiJSUzI1NiJ9.engflow-acc-web-identity.signature")
}

const webIdentityRole = "arn:aws:iam::123456789012:role/engflow-ci-oidc"

// emulatorSTSOnly says why the web identity tests skip on real AWS.
const emulatorSTSOnly = "it assumes made-up roles with made-up tokens, which only the emulator's STS accepts, " +
	"and reads who signed each call from its request log"

// The block's web identity replaces the environment's keys: STS gets the
// block's arguments, and every EC2 call is signed as the assumed role.
func TestAccProvider_webIdentity(t *testing.T) {
	emu := acctest.RequireEmulator(t, emulatorSTSOnly)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	body := fmt.Sprintf(`  region = %q
  assume_role_with_web_identity {
    role_arn                = %q
    session_name            = "gha-run-42"
    web_identity_token_file = %q
    duration                = "1h"
  }`, acctest.EmulatorRegion, webIdentityRole, writeToken(t))
	calls := lookupCalls(t, emu, svc, body, nil)
	if n := len(acctest.FindCalls(calls, "AssumeRoleWithWebIdentity", map[string]string{
		"RoleArn": webIdentityRole, "RoleSessionName": "gha-run-42", "DurationSeconds": "3600",
	})); n == 0 {
		t.Errorf("no AssumeRoleWithWebIdentity with the block's arguments; calls seen: %v", actions(calls))
	}
	expectCallers(t, calls, "ec2", assumedRoleARN("123456789012", "engflow-ci-oidc", "gha-run-42"))
}

// With both blocks, as in the hashicorp/aws provider, the web identity's
// role assumes assume_role's role, which signs the EC2 calls.
func TestAccProvider_webIdentityThenAssumeRole(t *testing.T) {
	emu := acctest.RequireEmulator(t, emulatorSTSOnly)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	body := fmt.Sprintf(`  region = %q
  assume_role_with_web_identity {
    role_arn           = %q
    session_name       = "gha-run-43"
    web_identity_token = "eyJhbGciOiJSUzI1NiJ9.engflow-acc-inline.signature"
  }
  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/engflow-network"
    session_name = "terraform"
  }`, acctest.EmulatorRegion, webIdentityRole)
	calls := lookupCalls(t, emu, svc, body, nil)
	expectCallers(t, acctest.Calls(acctest.FindCalls(calls, "AssumeRole", nil)), "sts",
		assumedRoleARN("123456789012", "engflow-ci-oidc", "gha-run-43"))
	expectCallers(t, calls, "ec2", assumedRoleARN("123456789012", "engflow-network", "terraform"))
}

// Without the block, AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE (as
// GitHub Actions' and EKS's setups export them) are the SDK's own route.
func TestAccProvider_webIdentityFromEnvironment(t *testing.T) {
	emu := acctest.RequireEmulator(t, emulatorSTSOnly)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	calls := lookupCalls(t, emu, svc, "", map[string]string{
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "",
		"AWS_ROLE_ARN": webIdentityRole, "AWS_ROLE_SESSION_NAME": "eks-pod", "AWS_WEB_IDENTITY_TOKEN_FILE": writeToken(t),
	})
	expectCallers(t, calls, "ec2", assumedRoleARN("123456789012", "engflow-ci-oidc", "eks-pod"))
}
