package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// providerModel is the provider block as Terraform hands it to Configure.
type providerModel struct {
	Region                 types.String      `tfsdk:"region"`
	Profile                types.String      `tfsdk:"profile"`
	SharedConfigFiles      types.List        `tfsdk:"shared_config_files"`
	SharedCredentialsFiles types.List        `tfsdk:"shared_credentials_files"`
	MaxRetries             types.Int64       `tfsdk:"max_retries"`
	RetryMode              types.String      `tfsdk:"retry_mode"`
	AllowedAccountIDs      types.Set         `tfsdk:"allowed_account_ids"`
	ForbiddenAccountIDs    types.Set         `tfsdk:"forbidden_account_ids"`
	CustomCABundle         types.String      `tfsdk:"custom_ca_bundle"`
	HTTPProxy              types.String      `tfsdk:"http_proxy"`
	HTTPSProxy             types.String      `tfsdk:"https_proxy"`
	NoProxy                types.String      `tfsdk:"no_proxy"`
	UseFIPSEndpoint        types.Bool        `tfsdk:"use_fips_endpoint"`
	UseDualStackEndpoint   types.Bool        `tfsdk:"use_dualstack_endpoint"`
	STSRegion              types.String      `tfsdk:"sts_region"`
	AssumeRole             *assumeRoleModel  `tfsdk:"assume_role"`
	WebIdentity            *webIdentityModel `tfsdk:"assume_role_with_web_identity"`
	Endpoints              *endpointsModel   `tfsdk:"endpoints"`
	DefaultTags            *defaultTagsModel `tfsdk:"default_tags"`
}

// roleSessionModel holds the arguments both role blocks share.
type roleSessionModel struct {
	RoleARN     types.String `tfsdk:"role_arn"`
	SessionName types.String `tfsdk:"session_name"`
	Duration    types.String `tfsdk:"duration"`
	Policy      types.String `tfsdk:"policy"`
	PolicyARNs  types.Set    `tfsdk:"policy_arns"`
}

type assumeRoleModel struct {
	roleSessionModel
	ExternalID        types.String `tfsdk:"external_id"`
	SourceIdentity    types.String `tfsdk:"source_identity"`
	Tags              types.Map    `tfsdk:"tags"`
	TransitiveTagKeys types.Set    `tfsdk:"transitive_tag_keys"`
}

type webIdentityModel struct {
	roleSessionModel
	Token     types.String `tfsdk:"web_identity_token"`
	TokenFile types.String `tfsdk:"web_identity_token_file"`
}

type endpointsModel struct {
	EC2     types.String `tfsdk:"ec2"`
	STS     types.String `tfsdk:"sts"`
	Route53 types.String `tfsdk:"route53"`
}

type defaultTagsModel struct {
	Tags types.Map `tfsdk:"tags"`
}
