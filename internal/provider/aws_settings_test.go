package provider

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/engflow/terraform-provider-engflow/internal/awsclient"
)

func stringValues(vs ...string) []attr.Value {
	out := make([]attr.Value, len(vs))
	for i, v := range vs {
		out[i] = types.StringValue(v)
	}
	return out
}

// nullModel is a provider block with no argument set, as Terraform hands
// it over: typed nulls, no blocks.
func nullModel() providerModel {
	null := types.StringNull()
	nullSet := types.SetNull(types.StringType)
	return providerModel{
		Region: null, Profile: null, RetryMode: null, CustomCABundle: null, HTTPProxy: null, HTTPSProxy: null,
		NoProxy: null, STSRegion: null, MaxRetries: types.Int64Null(),
		SharedConfigFiles: types.ListNull(types.StringType), SharedCredentialsFiles: types.ListNull(types.StringType),
		AllowedAccountIDs: nullSet, ForbiddenAccountIDs: nullSet,
		UseFIPSEndpoint: types.BoolNull(), UseDualStackEndpoint: types.BoolNull(),
	}
}

func nullRoleSession() roleSessionModel {
	null := types.StringNull()
	return roleSessionModel{RoleARN: null, SessionName: null, Duration: null, Policy: null, PolicyARNs: types.SetNull(types.StringType)}
}

func TestSettingsFromModel(t *testing.T) {
	ctx := context.Background()
	m := nullModel()
	m.Region = types.StringValue("us-east-1")
	m.SharedConfigFiles = types.ListValueMust(types.StringType, stringValues("/a"))
	m.MaxRetries = types.Int64Value(3)
	m.RetryMode = types.StringValue("adaptive")
	m.AllowedAccountIDs = types.SetValueMust(types.StringType, stringValues("123456789012"))
	m.CustomCABundle = types.StringValue("/etc/ca.pem")
	m.HTTPSProxy = types.StringValue("")
	m.NoProxy = types.StringValue(".internal")
	m.UseFIPSEndpoint = types.BoolValue(false)
	m.STSRegion = types.StringValue("eu-west-1")
	role := nullRoleSession()
	role.RoleARN = types.StringValue("arn:aws:iam::123456789012:role/r")
	role.Duration = types.StringValue("30m")
	role.PolicyARNs = types.SetValueMust(types.StringType, stringValues("arn:aws:iam::aws:policy/ReadOnlyAccess"))
	m.AssumeRole = &assumeRoleModel{
		roleSessionModel: role, ExternalID: types.StringNull(), SourceIdentity: types.StringNull(),
		Tags:              types.MapValueMust(types.StringType, map[string]attr.Value{"team": types.StringValue("build")}),
		TransitiveTagKeys: types.SetValueMust(types.StringType, stringValues("team")),
	}
	web := nullRoleSession()
	web.RoleARN = types.StringValue("arn:aws:iam::123456789012:role/ci")
	m.WebIdentity = &webIdentityModel{roleSessionModel: web, Token: types.StringNull(), TokenFile: types.StringValue("/run/token")}
	m.Endpoints = &endpointsModel{EC2: types.StringValue("http://127.0.0.1:1"), STS: types.StringNull()}
	m.DefaultTags = &defaultTagsModel{Tags: types.MapValueMust(types.StringType, map[string]attr.Value{"team": types.StringValue("build")})}

	s, tags, diags := settingsFromModel(ctx, m)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if s.Region != "us-east-1" || s.RetryMode != "adaptive" || *s.MaxRetries != 3 {
		t.Errorf("settings = %+v", s)
	}
	if want := (awsclient.Endpoints{EC2: "http://127.0.0.1:1", STSRegion: "eu-west-1"}); s.Endpoints != want {
		t.Errorf("endpoints = %+v, want %+v", s.Endpoints, want)
	}
	if len(s.SharedConfigFiles) != 1 || s.SharedConfigFiles[0] != "/a" || s.SharedCredentialsFiles != nil {
		t.Errorf("shared files = %v / %v", s.SharedConfigFiles, s.SharedCredentialsFiles)
	}
	if !reflect.DeepEqual(s.AllowedAccountIDs, []string{"123456789012"}) || s.ForbiddenAccountIDs != nil {
		t.Errorf("account lists = %v / %v", s.AllowedAccountIDs, s.ForbiddenAccountIDs)
	}
	// https_proxy = "" (no proxy for HTTPS) must stay apart from an unset http_proxy.
	if n := s.Network; n.HTTPProxy != nil || n.HTTPSProxy == nil || *n.HTTPSProxy != "" || n.NoProxy != ".internal" || n.CABundle != "/etc/ca.pem" {
		t.Errorf("network = %+v", n)
	}
	if s.UseFIPSEndpoint == nil || *s.UseFIPSEndpoint || s.UseDualStackEndpoint != nil {
		t.Errorf("FIPS %v, dual-stack %v: want false and unset", s.UseFIPSEndpoint, s.UseDualStackEndpoint)
	}
	wantRole := assumeRoleSettings{
		roleSession: roleSession{RoleARN: "arn:aws:iam::123456789012:role/r", Duration: 30 * time.Minute,
			PolicyARNs: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}},
		Tags: map[string]string{"team": "build"}, TransitiveTagKeys: []string{"team"},
	}
	if s.AssumeRole == nil || !reflect.DeepEqual(*s.AssumeRole, wantRole) {
		t.Errorf("assume role = %+v, want %+v", s.AssumeRole, wantRole)
	}
	if w := s.WebIdentity; w == nil || w.RoleARN != "arn:aws:iam::123456789012:role/ci" || w.TokenFile != "/run/token" || w.Token != "" {
		t.Errorf("web identity = %+v", w)
	}
	if tags["team"] != "build" || len(tags) != 1 {
		t.Errorf("default tags = %v", tags)
	}
}

func TestSettingsFromModel_unknownValuesAreNamed(t *testing.T) {
	m := nullModel()
	m.Region = types.StringUnknown()
	m.SharedConfigFiles = types.ListUnknown(types.StringType)
	m.HTTPProxy = types.StringUnknown()
	m.UseFIPSEndpoint = types.BoolUnknown()
	m.AllowedAccountIDs = types.SetUnknown(types.StringType)
	m.WebIdentity = &webIdentityModel{roleSessionModel: nullRoleSession(), Token: types.StringUnknown(), TokenFile: types.StringNull()}
	_, _, diags := settingsFromModel(context.Background(), m)
	want := []string{"region", "shared_config_files", "http_proxy", "use_fips_endpoint", "allowed_account_ids",
		"assume_role_with_web_identity.web_identity_token"}
	var got []string
	for _, d := range diags.Errors() {
		if p, ok := d.(diag.DiagnosticWithPath); ok && d.Summary() == "Provider argument not known yet" {
			got = append(got, p.Path().String())
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) || diags.ErrorsCount() != len(want) {
		t.Fatalf("want one error per unknown argument %v, got %v", want, diags)
	}
}
