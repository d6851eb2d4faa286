// Package provider defines the engflow provider: its configuration schema,
// the AWS client it builds, and the resources and data sources it serves.
package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/engflow/terraform-provider-engflow/internal/awsclient"
	"github.com/engflow/terraform-provider-engflow/internal/privatelink"
	"github.com/engflow/terraform-provider-engflow/internal/shareddns"
)

// TypeName is the provider's name in HCL and in every resource type name.
const TypeName = "engflow"

type engflowProvider struct {
	version string
}

var (
	_ provider.Provider                   = (*engflowProvider)(nil)
	_ provider.ProviderWithValidateConfig = (*engflowProvider)(nil)
	_ provider.ProviderWithListResources  = (*engflowProvider)(nil)
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
	if a := m.AssumeRole; a != nil {
		validateAssumeRole(ctx, *a, &resp.Diagnostics)
	}
}

// validateAssumeRole checks what no attribute validator can: role_arn
// present, and transitive_tag_keys among the tags (STS refuses others).
func validateAssumeRole(ctx context.Context, a assumeRoleModel, diags *diag.Diagnostics) {
	at := path.Root("assume_role")
	if a.RoleARN.IsNull() {
		diags.AddAttributeError(at.AtName("role_arn"),
			"assume_role needs role_arn",
			"The assume_role block names no role. Add role_arn = \"arn:aws:iam::<account-id>:role/<name>\" "+
				"inside it, or remove the block to use the credentials as they are.")
	}
	if a.Tags.IsUnknown() || a.TransitiveTagKeys.IsUnknown() {
		return
	}
	var tags map[string]types.String
	var transitive []types.String
	diags.Append(a.Tags.ElementsAs(ctx, &tags, false)...)
	diags.Append(a.TransitiveTagKeys.ElementsAs(ctx, &transitive, false)...)
	for _, k := range transitive {
		if _, ok := tags[k.ValueString()]; !k.IsUnknown() && !ok {
			diags.AddAttributeError(at.AtName("transitive_tag_keys"),
				"Transitive tag key is not a session tag",
				fmt.Sprintf("transitive_tag_keys lists %q, which tags does not set. STS passes on only session tags: "+
					"add %q to tags, or remove it from transitive_tag_keys.", k.ValueString(), k.ValueString()))
		}
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
	if warning := httpProxyServesHTTPS(settings.Network); warning != "" {
		resp.Diagnostics.AddAttributeWarning(path.Root("http_proxy"), "http_proxy also serves HTTPS calls", warning)
	}

	client, err := connect(ctx, settings, defaultTags)
	if err != nil {
		addConfigError(&resp.Diagnostics, err)
		return
	}
	data := privatelink.NewRegions(client)
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.ListResourceData = data
}

// connect resolves configuration and credentials, builds the clients and,
// when the block limits accounts, checks the caller's account before any
// EC2 call can happen.
func connect(ctx context.Context, s awsSettings, defaultTags map[string]string) (*awsclient.Client, error) {
	cfg, err := loadAWSConfig(ctx, s, awsclient.AppID)
	if err != nil {
		return nil, err
	}
	creds, err := checkCredentials(ctx, cfg)
	if err != nil {
		return nil, err
	}
	client := awsclient.New(cfg, s.Endpoints, defaultTags)
	fields := map[string]any{
		"region":            cfg.Region,
		"credential_source": creds.Source, // the provider's name only, never a key or token
		"ec2_endpoint":      s.Endpoints.EC2,
		"sts_endpoint":      s.Endpoints.STS,
		"route53_endpoint":  s.Endpoints.Route53,
		"sts_region":        s.Endpoints.STSRegion,
		"assume_role":       s.AssumeRole != nil,
		"web_identity":      s.WebIdentity != nil,
		"custom_ca_bundle":  s.Network.CABundle,
		// Whether proxies are set, not their URLs: those may hold a password.
		"http_proxy_set":  s.Network.HTTPProxy != nil,
		"https_proxy_set": s.Network.HTTPSProxy != nil,
	}
	if len(s.AllowedAccountIDs)+len(s.ForbiddenAccountIDs) > 0 {
		id, err := client.AccountID(ctx)
		if err != nil {
			return nil, accountUnknown(err)
		}
		fields["account_id"] = id
		if err := checkAccount(id, s.AllowedAccountIDs, s.ForbiddenAccountIDs); err != nil {
			return nil, err
		}
	}
	tflog.Info(ctx, "AWS configuration resolved", fields)
	return client, nil
}

func (p *engflowProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		privatelink.NewEndpointResource,
		shareddns.NewResource,
	}
}

// ListResources serves `terraform query` (Terraform 1.14+).
func (p *engflowProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{privatelink.NewEndpointListResource}
}

func (p *engflowProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		privatelink.NewServiceDataSource,
		func() datasource.DataSource { return privatelink.NewEndpointDataSource(shareddns.CheckHub) },
	}
}

func addConfigError(diags *diag.Diagnostics, err error) {
	var ce *configError
	if errors.As(err, &ce) {
		diags.AddError(ce.Summary, ce.Detail)
		return
	}
	diags.AddError("Configuring the EngFlow provider failed", err.Error())
}
