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
	AssumeRole             *assumeRoleModel  `tfsdk:"assume_role"`
	Endpoints              *endpointsModel   `tfsdk:"endpoints"`
	DefaultTags            *defaultTagsModel `tfsdk:"default_tags"`
}

type assumeRoleModel struct {
	RoleARN     types.String `tfsdk:"role_arn"`
	SessionName types.String `tfsdk:"session_name"`
	ExternalID  types.String `tfsdk:"external_id"`
	Duration    types.String `tfsdk:"duration"`
}

type endpointsModel struct {
	EC2 types.String `tfsdk:"ec2"`
	STS types.String `tfsdk:"sts"`
}

type defaultTagsModel struct {
	Tags types.Map `tfsdk:"tags"`
}
