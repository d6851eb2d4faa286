package provider

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// blockConfig is block m as Terraform hands it to the provider.
func blockConfig(t *testing.T, ctx context.Context, p *engflowProvider, m providerModel) tfsdk.Config {
	t.Helper()
	var schema provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &schema)
	block := tfsdk.State{Schema: schema.Schema, Raw: tftypes.NewValue(schema.Schema.Type().TerraformType(ctx), nil)}
	if diags := block.Set(ctx, &m); diags.HasError() {
		t.Fatalf("building the provider block: %v", diags)
	}
	return tfsdk.Config{Schema: schema.Schema, Raw: block.Raw}
}

// configure runs the provider's Configure on block m, as Terraform would,
// and returns its diagnostics and the provider's log (JSON lines).
func configure(t *testing.T, m providerModel) (diag.Diagnostics, string) {
	t.Helper()
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	p := &engflowProvider{version: "test"}
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: blockConfig(t, ctx, p, m)}, &resp)
	return resp.Diagnostics, logs.String()
}

// STS passes on only session tags: a transitive key must be one of them.
func TestValidateConfig_transitiveTagKeys(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		keys      []string
		wantError []string
	}{
		{name: "session tags", keys: []string{"team"}},
		{name: "not a session tag", keys: []string{"team", "cost-center"},
			wantError: []string{"Transitive tag key is not a session tag", `"cost-center"`, "add"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			role := nullRoleSession()
			role.RoleARN = types.StringValue("arn:aws:iam::123456789012:role/r")
			m := nullModel()
			m.AssumeRole = &assumeRoleModel{roleSessionModel: role, ExternalID: types.StringNull(), SourceIdentity: types.StringNull(),
				Tags:              types.MapValueMust(types.StringType, map[string]attr.Value{"team": types.StringValue("build")}),
				TransitiveTagKeys: types.SetValueMust(types.StringType, stringValues(tc.keys...))}
			p := &engflowProvider{}
			var resp provider.ValidateConfigResponse
			p.ValidateConfig(ctx, provider.ValidateConfigRequest{Config: blockConfig(t, ctx, p, m)}, &resp)
			expectDiagnostics(t, resp.Diagnostics, tc.wantError...)
		})
	}
}

func accountIDs(ids ...string) types.Set {
	return types.SetValueMust(types.StringType, stringValues(ids...))
}

func withSTS(m providerModel, url string) providerModel {
	m.Region = types.StringValue("us-east-1")
	m.Endpoints = &endpointsModel{EC2: types.StringValue(deadEndpoint), STS: types.StringValue(url)}
	return m
}

// deadEndpoint is a loopback port nothing listens on: no test call may
// reach EC2.
const deadEndpoint = "http://127.0.0.1:9"

// allowed_account_ids and forbidden_account_ids are checked against the
// account STS reports, and a refusal names the account and the list.
func TestConfigure_accountLists(t *testing.T) {
	for _, tc := range []struct {
		name               string
		allowed, forbidden types.Set
		wantError          []string
	}{
		{name: "allowed", allowed: accountIDs("111111111111", "123456789012"), forbidden: types.SetNull(types.StringType)},
		{name: "not allowed", allowed: accountIDs("111111111111", "222222222222"), forbidden: types.SetNull(types.StringType),
			wantError: []string{"AWS account 123456789012 is not allowed", "allowed_account_ids [111111111111, 222222222222]", "before calling EC2"}},
		{name: "forbidden", allowed: types.SetNull(types.StringType), forbidden: accountIDs("123456789012"),
			wantError: []string{"AWS account 123456789012 is forbidden", "forbidden_account_ids [123456789012]"}},
		{name: "not forbidden", allowed: types.SetNull(types.StringType), forbidden: accountIDs("111111111111")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			isolateAWSEnvWith(t, baseKeys)
			sts := newFakeSTS(t)
			m := withSTS(nullModel(), sts.URL)
			m.AllowedAccountIDs, m.ForbiddenAccountIDs = tc.allowed, tc.forbidden
			diags, _ := configure(t, m)
			if n := len(sts.Calls("GetCallerIdentity")); n != 1 {
				t.Errorf("STS saw %d GetCallerIdentity calls, want 1", n)
			}
			expectDiagnostics(t, diags, tc.wantError...)
		})
	}
}

// Without account lists the provider does not ask STS who it is.
func TestConfigure_noAccountListsNoSTSCall(t *testing.T) {
	isolateAWSEnvWith(t, baseKeys)
	sts := newFakeSTS(t)
	diags, _ := configure(t, withSTS(nullModel(), sts.URL))
	expectDiagnostics(t, diags)
	if n := len(sts.Calls("GetCallerIdentity")); n != 0 {
		t.Errorf("STS saw %d GetCallerIdentity calls, want none", n)
	}
}

func TestConfigure_accountUnknown(t *testing.T) {
	isolateAWSEnvWith(t, baseKeys)
	m := withSTS(nullModel(), deadEndpoint)
	m.AllowedAccountIDs = accountIDs("123456789012")
	diags, _ := configure(t, m)
	expectDiagnostics(t, diags, "Cannot check the AWS account", "sts:GetCallerIdentity", "endpoints.sts")
}

// Neither the log nor the diagnostics of Configure hold a key, a token or
// a proxy password, whichever credentials were used.
func TestConfigure_logsNoSecrets(t *testing.T) {
	isolateAWSEnv(t)
	const (
		accessKey  = "AKIAENGFLOWUNITLEAK1"
		secretKey  = "engflow/unit+leak/SecretAccessKey"
		token      = "eyJhbGciOiJSUzI1NiJ9.engflow-unit-leak.token"
		proxyPass  = "engflow-unit-leak-proxy-password"
		externalID = "engflow-unit-leak-external-id"
	)
	t.Setenv("AWS_ACCESS_KEY_ID", accessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secretKey)
	sts := newFakeSTS(t)
	m := withSTS(nullModel(), sts.URL)
	m.HTTPProxy = types.StringValue("http://ci:" + proxyPass + "@proxy.example:3128") // loopback calls bypass it
	m.AllowedAccountIDs = accountIDs("123456789012")
	web := nullRoleSession()
	web.RoleARN = types.StringValue(webRoleARN)
	m.WebIdentity = &webIdentityModel{roleSessionModel: web, Token: types.StringValue(token), TokenFile: types.StringNull()}
	role := nullRoleSession()
	role.RoleARN = types.StringValue("arn:aws:iam::123456789012:role/network")
	m.AssumeRole = &assumeRoleModel{roleSessionModel: role, ExternalID: types.StringValue(externalID),
		SourceIdentity: types.StringNull(), Tags: types.MapNull(types.StringType), TransitiveTagKeys: types.SetNull(types.StringType)}

	diags, logs := configure(t, m)
	expectDiagnostics(t, diags)
	if sts.only(t, "AssumeRoleWithWebIdentity").Params.Get("WebIdentityToken") != token {
		t.Fatal("the web identity token never reached STS: the test would prove nothing")
	}
	for _, want := range []string{"AWS configuration resolved", `"account_id":"123456789012"`, `"web_identity":true`} {
		if !strings.Contains(logs, want) {
			t.Fatalf("the log lacks %s; log:\n%s", want, logs)
		}
	}
	for what, secret := range map[string]string{
		"access key": accessKey, "secret key": secretKey, "web identity token": token, "proxy password": proxyPass,
		"assumed secret key": assumedSecretKey, "assumed session token": assumedSessionToken,
	} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds the %s", what)
		}
		for _, d := range diags {
			if strings.Contains(d.Summary()+d.Detail(), secret) {
				t.Errorf("a diagnostic holds the %s", what)
			}
		}
	}
}

// http_proxy without https_proxy serves HTTPS too; the provider says so.
func TestConfigure_httpProxyWarning(t *testing.T) {
	isolateAWSEnvWith(t, baseKeys)
	m := withSTS(nullModel(), deadEndpoint)
	m.HTTPProxy = types.StringValue("http://proxy.example:3128")
	diags, _ := configure(t, m)
	if diags.HasError() || diags.WarningsCount() != 1 || !strings.Contains(diags.Warnings()[0].Detail(), `https_proxy = ""`) {
		t.Errorf("diagnostics = %v, want one warning that says how to send HTTPS directly", diags)
	}
}

// expectDiagnostics checks that diags holds no error when phrases is
// empty, else an error that says each phrase.
func expectDiagnostics(t *testing.T, diags diag.Diagnostics, phrases ...string) {
	t.Helper()
	if len(phrases) == 0 {
		if diags.HasError() {
			t.Fatalf("unexpected errors: %v", diags)
		}
		return
	}
	if diags.ErrorsCount() != 1 {
		t.Fatalf("want one error, got %v", diags)
	}
	text := diags.Errors()[0].Summary() + "\n" + diags.Errors()[0].Detail()
	for _, p := range phrases {
		if !strings.Contains(text, p) {
			t.Errorf("error does not say %q:\n%s", p, text)
		}
	}
}
