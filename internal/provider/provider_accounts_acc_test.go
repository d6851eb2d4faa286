package provider_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// allowed_account_ids and forbidden_account_ids stop the provider when the
// account STS reports is refused, with an error that names the account and
// the list, before any EC2 call.
func TestAccProvider_accountListsStopBeforeEC2(t *testing.T) {
	emu := acctest.RequireEmulator(t, "the emulator's account is known (123456789012) and its request log shows that no EC2 call was made")
	region := fmt.Sprintf("  region = %q\n", acctest.EmulatorRegion)
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"not allowed", region + `  allowed_account_ids = ["111111111111", "222222222222"]`,
			[]string{"AWS account 123456789012 is not allowed", "allowed_account_ids [111111111111, 222222222222]"}},
		{"forbidden", region + `  forbidden_account_ids = ["123456789012"]`,
			[]string{"AWS account 123456789012 is forbidden", "forbidden_account_ids [123456789012]"}},
		// The account checked is the one of the role finally assumed.
		{"assumed role's account", region + `  allowed_account_ids = ["123456789012"]
  assume_role_with_web_identity {
    role_arn           = "arn:aws:iam::210987654321:role/engflow-ci-oidc"
    web_identity_token = "eyJhbGciOiJSUzI1NiJ9.engflow-acc-accounts.signature"
  }`, []string{"AWS account 210987654321 is not allowed", "allowed_account_ids [123456789012]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			mark, err := emu.Mark(ctx)
			if err != nil {
				t.Fatal(err)
			}
			expectPlanError(t, tc.body, tc.want...)
			calls, err := acctest.CallsSince(ctx, emu, mark)
			if err != nil {
				t.Fatal(err)
			}
			if n := calls.FromProvider("sts").Count("GetCallerIdentity"); n == 0 {
				t.Errorf("the provider never asked STS for its account; calls seen: %v", actions(calls))
			}
			if ec2 := calls.FromProvider("ec2"); len(ec2) > 0 {
				t.Errorf("the provider called EC2 although its account is refused: %v", actions(ec2))
			}
		})
	}
}
