// Package provider defines the engflow provider: its configuration schema,
// the AWS client it builds, and the resources and data sources it serves.
package provider

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/engflow/terraform-provider-engflow/internal/awsclient"
	"github.com/engflow/terraform-provider-engflow/internal/privatelink"
)

// TypeName is the provider's name in HCL and in every resource type name.
const TypeName = "engflow"

type engflowProvider struct {
	version string
}

var (
	_ provider.Provider                   = (*engflowProvider)(nil)
	_ provider.ProviderWithValidateConfig = (*engflowProvider)(nil)
)

// New returns a constructor for the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &engflowProvider{version: version} }
}

func (p *engflowProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = TypeName
	resp.Version = p.version
}

func (p *engflowProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.AssumeRole != nil && m.AssumeRole.RoleARN.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("assume_role").AtName("role_arn"),
			"assume_role needs role_arn",
			"The assume_role block names no role. Add role_arn = \"arn:aws:iam::<account-id>:role/<name>\" "+
				"inside it, or remove the block to use the credentials as they are.")
	}
}

func (p *engflowProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	settings, defaultTags, diags := settingsFromModel(ctx, m)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	cfg, err := loadAWSConfig(ctx, settings, awsclient.AppID)
	if err == nil {
		var creds aws.Credentials
		creds, err = checkCredentials(ctx, cfg)
		tflog.Info(ctx, "AWS configuration resolved", map[string]any{
			"region":            cfg.Region,
			"credential_source": creds.Source, // the provider's name only, never a key
			"ec2_endpoint":      settings.EC2Endpoint,
			"assume_role":       settings.AssumeRole != nil,
		})
	}
	if err != nil {
		addConfigError(&resp.Diagnostics, err)
		return
	}

	client := awsclient.New(cfg, settings.EC2Endpoint, settings.STSEndpoint, defaultTags)
	data := privatelink.NewRegions(client)
	resp.DataSourceData = data
	resp.ResourceData = data
}

func (p *engflowProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		privatelink.NewEndpointResource,
	}
}

func (p *engflowProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		privatelink.NewServiceDataSource,
		privatelink.NewEndpointDataSource,
	}
}

// elementsValue is what types.List and types.Map have in common.
type elementsValue interface {
	IsUnknown() bool
	ElementsAs(ctx context.Context, target any, allowUnhandled bool) diag.Diagnostics
}

const unknownDetail = "This argument depends on a value known only after apply. The provider must know it to reach AWS: " +
	"use a literal, a variable, or apply the resource it depends on first (terraform apply -target=...)."

func addConfigError(diags *diag.Diagnostics, err error) {
	var ce *configError
	if errors.As(err, &ce) {
		diags.AddError(ce.Summary, ce.Detail)
		return
	}
	diags.AddError("Configuring the EngFlow provider failed", err.Error())
}

// settingsFromModel turns the provider block into awsSettings. A value that
// is unknown at plan time (computed from another resource) cannot configure
// AWS access, so it is reported by name rather than silently ignored.
func settingsFromModel(ctx context.Context, m providerModel) (awsSettings, map[string]string, diag.Diagnostics) {
	var diags diag.Diagnostics
	var s awsSettings
	str := func(v types.String, at path.Path) string {
		if v.IsUnknown() {
			diags.AddAttributeError(at, "Provider argument not known yet", unknownDetail)
		}
		return v.ValueString()
	}
	s.Region = str(m.Region, path.Root("region"))
	s.Profile = str(m.Profile, path.Root("profile"))
	s.RetryMode = str(m.RetryMode, path.Root("retry_mode"))
	elements := func(v elementsValue, at path.Path, target any) {
		if v.IsUnknown() {
			diags.AddAttributeError(at, "Provider argument not known yet", unknownDetail)
			return
		}
		diags.Append(v.ElementsAs(ctx, target, false)...)
	}
	elements(m.SharedConfigFiles, path.Root("shared_config_files"), &s.SharedConfigFiles)
	elements(m.SharedCredentialsFiles, path.Root("shared_credentials_files"), &s.SharedCredentialsFiles)
	if !m.MaxRetries.IsNull() && !m.MaxRetries.IsUnknown() {
		n := int(m.MaxRetries.ValueInt64())
		s.MaxRetries = &n
	}
	if e := m.Endpoints; e != nil {
		s.EC2Endpoint = str(e.EC2, path.Root("endpoints").AtName("ec2"))
		s.STSEndpoint = str(e.STS, path.Root("endpoints").AtName("sts"))
	}
	if r := m.AssumeRole; r != nil {
		at := path.Root("assume_role")
		s.AssumeRole = &assumeRoleSettings{
			RoleARN:     str(r.RoleARN, at.AtName("role_arn")),
			SessionName: str(r.SessionName, at.AtName("session_name")),
			ExternalID:  str(r.ExternalID, at.AtName("external_id")),
		}
		if d := str(r.Duration, at.AtName("duration")); d != "" {
			s.AssumeRole.Duration, _ = time.ParseDuration(d) // validated in the schema
		}
	}
	var tags map[string]string
	if m.DefaultTags != nil {
		elements(m.DefaultTags.Tags, path.Root("default_tags").AtName("tags"), &tags)
	}
	return s, tags, diags
}
