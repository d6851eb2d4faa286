package privatelink

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// moveFrom runs the resource's mover on an aws_vpc_endpoint state.
func moveFrom(t *testing.T, provider string, version int64, stateJSON string) (endpointModel, *resource.MoveStateResponse) {
	t.Helper()
	ctx := context.Background()
	r := &endpointResource{}
	r.regions = newRegions("eu-west-1", func(string) *Client { return nil })
	var sch resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sch)
	var ident resource.IdentitySchemaResponse
	r.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &ident)
	resp := &resource.MoveStateResponse{
		TargetState:    tfsdk.State{Schema: sch.Schema, Raw: tftypes.NewValue(sch.Schema.Type().TerraformType(ctx), nil)},
		TargetIdentity: &tfsdk.ResourceIdentity{Schema: ident.IdentitySchema, Raw: tftypes.NewValue(ident.IdentitySchema.Type().TerraformType(ctx), nil)},
	}
	r.moveFromAWS(ctx, resource.MoveStateRequest{SourceTypeName: "aws_vpc_endpoint", SourceProviderAddress: provider,
		SourceSchemaVersion: version, SourceRawState: &tfprotov6.RawState{JSON: []byte(stateJSON)}}, resp)
	var m endpointModel
	if !resp.Diagnostics.HasError() && !resp.TargetState.Raw.IsNull() {
		resp.Diagnostics.Append(resp.TargetState.Get(ctx, &m)...)
	}
	return m, resp
}

const awsV5Interface = `{"id": "vpce-0123456789abcdef0", "vpc_endpoint_type": "Interface", "vpc_id": "vpc-0123456789abcdef0",
  "service_name": "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0", "subnet_ids": ["subnet-0a"], "security_group_ids": ["sg-0a"],
  "private_dns_enabled": true, "ip_address_type": "ipv4", "dns_options": [{"dns_record_ip_type": "ipv4"}],
  "subnet_configuration": [{"subnet_id": "subnet-0a", "ipv4": "10.0.0.10", "ipv6": ""}],
  "tags": {"team": "build"}, "tags_all": {"team": "build", "env": "ci"}, "policy": "{}", "state": "available"}`

func TestMoveFromAWS(t *testing.T) {
	m, resp := moveFrom(t, "registry.terraform.io/hashicorp/aws", 0, awsV5Interface)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	for name, got := range map[string]string{
		"id": m.ID.String(), "region (v5: the provider's)": m.Region.String(), "vpc_id": m.VpcID.String(),
		"subnet_ids": m.SubnetIDs.String(), "security_group_ids": m.SecurityGroupIDs.String(),
		"dns_record_ip_type": m.DNSRecordIPType.String(), "tags_all": m.TagsAll.String(), "subnet_configuration": m.SubnetConfiguration.String(),
		"service_name (left to the refresh)": m.ServiceName.String(),
	} {
		want := map[string]string{
			"id": `"vpce-0123456789abcdef0"`, "region (v5: the provider's)": `"eu-west-1"`, "vpc_id": `"vpc-0123456789abcdef0"`,
			"subnet_ids": `["subnet-0a"]`, "security_group_ids": `["sg-0a"]`, "dns_record_ip_type": `"ipv4"`,
			"tags_all": `{"env":"ci","team":"build"}`, "subnet_configuration": `[{"ipv4":"10.0.0.10","ipv6":<null>,"subnet_id":"subnet-0a"}]`,
			"service_name (left to the refresh)": "<null>",
		}[name]
		if got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
	if !m.PrivateDNSEnabled.ValueBool() {
		t.Error("private_dns_enabled lost")
	}
	var ident endpointIdentity
	resp.TargetIdentity.Get(context.Background(), &ident)
	if ident.ID.ValueString() != "vpce-0123456789abcdef0" || ident.Region.ValueString() != "eu-west-1" {
		t.Errorf("identity %v", ident)
	}

	v6 := strings.Replace(awsV5Interface, `"id":`, `"region": "us-east-2", "id":`, 1)
	if m, _ := moveFrom(t, "registry.terraform.io/hashicorp/aws", 0, v6); m.Region.ValueString() != "us-east-2" {
		t.Errorf("v6 region = %s, want the state's us-east-2", m.Region)
	}
}

func TestMoveFromAWS_refused(t *testing.T) {
	for _, tc := range []struct {
		name, provider, state string
		version               int64
		want                  string // "" when the mover leaves the request to others
	}{
		{"a Gateway endpoint", "registry.terraform.io/hashicorp/aws", strings.Replace(awsV5Interface, `"Interface"`, `"Gateway"`, 1), 0,
			"is a Gateway endpoint"},
		{"an AWS service", "registry.terraform.io/hashicorp/aws",
			strings.Replace(awsV5Interface, "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0", "com.amazonaws.eu-west-1.s3", 1), 0,
			"not an endpoint service"},
		{"another schema version", "registry.terraform.io/hashicorp/aws", awsV5Interface, 1, "schema version 1"},
		{"another provider's resource", "registry.terraform.io/acme/aws", awsV5Interface, 0, ""},
	} {
		_, resp := moveFrom(t, tc.provider, tc.version, tc.state)
		switch {
		case tc.want == "" && (resp.Diagnostics.HasError() || !resp.TargetState.Raw.IsNull()):
			t.Errorf("%s: the mover took it: %v", tc.name, resp.Diagnostics)
		case tc.want != "" && (!resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), tc.want)):
			t.Errorf("%s: want an error saying %q, got %v", tc.name, tc.want, resp.Diagnostics)
		}
	}
}
