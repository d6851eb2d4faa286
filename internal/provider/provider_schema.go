package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Schema mirrors the hashicorp/aws provider's argument names so that a
// platform team can copy its existing provider block. Every argument is
// optional and falls back to the standard AWS environment variables and
// shared files, resolved by aws-sdk-go-v2's config loader.
func (p *engflowProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Declares the AWS PrivateLink connection from a VPC to an EngFlow remote-execution cluster. " +
			"Credentials and Region resolve like the hashicorp/aws provider: arguments here, then the standard AWS " +
			"environment variables, then the shared config and credentials files.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional: true,
				Description: "AWS Region of the VPC and of the EngFlow endpoint service, for example `us-east-1`. " +
					"Falls back to `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region` in the shared config file.",
				Validators: []validator.String{regionName()},
			},
			"profile": schema.StringAttribute{
				Optional:    true,
				Description: "Named profile in the shared config and credentials files. Falls back to `AWS_PROFILE`.",
			},
			"shared_config_files": schema.ListAttribute{
				Optional:    true,
				ElementType: types.StringType,
				Description: "Paths of shared config files. Falls back to `AWS_CONFIG_FILE`, then `~/.aws/config`.",
			},
			"shared_credentials_files": schema.ListAttribute{
				Optional:    true,
				ElementType: types.StringType,
				Description: "Paths of shared credentials files. Falls back to `AWS_SHARED_CREDENTIALS_FILE`, then `~/.aws/credentials`.",
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				Description: "How many times one EC2 or STS call is retried after a throttling (`RequestLimitExceeded`) or " +
					"transient error, with capped exponential backoff. Falls back to `AWS_MAX_ATTEMPTS` minus one, " +
					"then 25 (the hashicorp/aws provider's default).",
				Validators: []validator.Int64{int64validator.Between(0, 100)},
			},
			"retry_mode": schema.StringAttribute{
				Optional: true,
				Description: "`standard` (default) or `adaptive`, which also slows requests down on the client side " +
					"while AWS throttles. Falls back to `AWS_RETRY_MODE`.",
				Validators: []validator.String{stringvalidator.OneOf(retryModeStandard, retryModeAdaptive)},
			},
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.SingleNestedBlock{
				Description: "Assume an IAM role before calling EC2, as the hashicorp/aws provider's `assume_role` block does.",
				Attributes: map[string]schema.Attribute{
					"role_arn": schema.StringAttribute{
						Optional:    true, // required when the block is present; checked in ValidateConfig with a clearer message
						Description: "ARN of the IAM role to assume. Required when the block is present.",
						Validators:  []validator.String{roleARN()},
					},
					"session_name": schema.StringAttribute{
						Optional:    true,
						Description: "Session name recorded in CloudTrail. Defaults to one chosen by the AWS SDK.",
					},
					"external_id": schema.StringAttribute{
						Optional:    true,
						Description: "External ID the role's trust policy asks for.",
					},
					"duration": schema.StringAttribute{
						Optional:    true,
						Description: "How long the assumed-role credentials last, as a duration such as `1h` or `30m` (15m to 12h). Defaults to 15m.",
						Validators:  []validator.String{assumeRoleDuration()},
					},
				},
			},
			"endpoints": schema.SingleNestedBlock{
				Description: "Custom service endpoints, for example a VPC interface endpoint for EC2 or a local emulator. " +
					"Fall back to `AWS_ENDPOINT_URL_EC2`, `AWS_ENDPOINT_URL_STS` and `AWS_ENDPOINT_URL`.",
				Attributes: map[string]schema.Attribute{
					"ec2": schema.StringAttribute{
						Optional:    true,
						Description: "Endpoint URL for EC2, for example `https://ec2.us-east-1.amazonaws.com`.",
						Validators:  []validator.String{endpointURL()},
					},
					"sts": schema.StringAttribute{
						Optional:    true,
						Description: "Endpoint URL for STS, used to assume a role and to read the caller's account ID.",
						Validators:  []validator.String{endpointURL()},
					},
				},
			},
			"default_tags": schema.SingleNestedBlock{
				Description: "Tags merged into the tags of every resource this provider creates; a resource's own `tags` win on conflict.",
				Attributes: map[string]schema.Attribute{
					"tags": schema.MapAttribute{
						Optional:    true,
						ElementType: types.StringType,
						Description: "Tag keys and values.",
					},
				},
			},
		},
	}
}
