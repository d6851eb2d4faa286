package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestSettingsFromModel(t *testing.T) {
	ctx := context.Background()
	m := providerModel{
		Region:                 types.StringValue("us-east-1"),
		Profile:                types.StringNull(),
		SharedConfigFiles:      types.ListValueMust(types.StringType, []attr.Value{types.StringValue("/a")}),
		SharedCredentialsFiles: types.ListNull(types.StringType),
		MaxRetries:             types.Int64Value(3),
		RetryMode:              types.StringValue("adaptive"),
		AssumeRole: &assumeRoleModel{
			RoleARN: types.StringValue("arn:aws:iam::123456789012:role/r"), SessionName: types.StringNull(),
			ExternalID: types.StringNull(), Duration: types.StringValue("30m"),
		},
		Endpoints:   &endpointsModel{EC2: types.StringValue("http://127.0.0.1:1"), STS: types.StringNull()},
		DefaultTags: &defaultTagsModel{Tags: types.MapValueMust(types.StringType, map[string]attr.Value{"team": types.StringValue("build")})},
	}
	s, tags, diags := settingsFromModel(ctx, m)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if s.Region != "us-east-1" || s.RetryMode != "adaptive" || *s.MaxRetries != 3 || s.EC2Endpoint != "http://127.0.0.1:1" {
		t.Errorf("settings = %+v", s)
	}
	if len(s.SharedConfigFiles) != 1 || s.SharedConfigFiles[0] != "/a" || s.SharedCredentialsFiles != nil {
		t.Errorf("shared files = %v / %v", s.SharedConfigFiles, s.SharedCredentialsFiles)
	}
	if s.AssumeRole == nil || s.AssumeRole.Duration != 30*time.Minute || s.AssumeRole.RoleARN != "arn:aws:iam::123456789012:role/r" {
		t.Errorf("assume role = %+v", s.AssumeRole)
	}
	if tags["team"] != "build" || len(tags) != 1 {
		t.Errorf("default tags = %v", tags)
	}
}

func TestSettingsFromModel_unknownValuesAreNamed(t *testing.T) {
	m := providerModel{
		Region:                 types.StringUnknown(),
		SharedConfigFiles:      types.ListUnknown(types.StringType),
		SharedCredentialsFiles: types.ListNull(types.StringType),
	}
	_, _, diags := settingsFromModel(context.Background(), m)
	if diags.ErrorsCount() != 2 {
		t.Fatalf("want one error per unknown argument, got %v", diags)
	}
	for _, d := range diags.Errors() {
		if d.Summary() != "Provider argument not known yet" {
			t.Errorf("summary = %q", d.Summary())
		}
	}
}
