package provider

import (
	"maps"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// STS's limits on session tags.
const (
	maxSessionTags      = 50
	maxSessionTagKey    = 128
	maxSessionTagValue  = 256
	maxSessionPolicyARN = 10
)

// roleSessionAttributes are the arguments both role blocks share, as in the
// hashicorp/aws provider; the descriptions say where role_arn and
// session_name fall back to.
func roleSessionAttributes(roleARNFallback, sessionNameFallback string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"role_arn": schema.StringAttribute{
			Optional:    true, // required, or its environment variable; checked with a clearer message than the framework's
			Description: "ARN of the IAM role to assume. " + roleARNFallback,
			Validators:  []validator.String{roleARN()},
		},
		"session_name": schema.StringAttribute{
			Optional:    true,
			Description: "Session name recorded in CloudTrail. " + sessionNameFallback,
			Validators:  []validator.String{stsName()},
		},
		"duration": schema.StringAttribute{
			Optional: true,
			Description: "How long the role's credentials last, as a duration such as `1h` or `2h45m` (15m to 12h, " +
				"and at most the role's maximum session duration). Defaults to 15m for `assume_role`, 1h for the web identity.",
			Validators: []validator.String{roleSessionDuration()},
		},
		"policy": schema.StringAttribute{
			Optional:    true,
			Description: "IAM policy, as JSON, that further restricts what the session may do (an inline session policy).",
			Validators:  []validator.String{policyJSON()},
		},
		"policy_arns": schema.SetAttribute{
			Optional:    true,
			ElementType: types.StringType,
			Description: "ARNs of managed IAM policies that further restrict what the session may do (at most 10).",
			Validators: []validator.Set{
				setvalidator.ValueStringsAre(policyARN()),
				setvalidator.SizeAtMost(maxSessionPolicyARN),
			},
		},
	}
}

func assumeRoleBlock() schema.SingleNestedBlock {
	attrs := roleSessionAttributes("Required when the block is present.", "Defaults to one chosen by the AWS SDK.")
	maps.Copy(attrs, map[string]schema.Attribute{
		"external_id": schema.StringAttribute{
			Optional:    true,
			Description: "External ID the role's trust policy asks for.",
		},
		"source_identity": schema.StringAttribute{
			Optional:    true,
			Description: "Source identity recorded with every action of the session, and of roles it assumes in turn.",
			Validators:  []validator.String{stsName()},
		},
		"tags": schema.MapAttribute{
			Optional:    true,
			ElementType: types.StringType,
			Description: "Session tags: keys and values the role's policies can match (`aws:PrincipalTag`).",
			Validators: []validator.Map{
				mapvalidator.SizeAtMost(maxSessionTags),
				mapvalidator.KeysAre(stringvalidator.LengthBetween(1, maxSessionTagKey)),
				mapvalidator.ValueStringsAre(stringvalidator.LengthAtMost(maxSessionTagValue)),
			},
		},
		"transitive_tag_keys": schema.SetAttribute{
			Optional:    true,
			ElementType: types.StringType,
			Description: "Keys of `tags` that carry over to roles this session assumes in turn.",
		},
	})
	return schema.SingleNestedBlock{
		Description: "Assume an IAM role before calling EC2, as the hashicorp/aws provider's `assume_role` block does. " +
			"With `assume_role_with_web_identity` too, the web identity's role assumes this one.",
		Attributes: attrs,
	}
}

func webIdentityBlock() schema.SingleNestedBlock {
	attrs := roleSessionAttributes("Falls back to `AWS_ROLE_ARN`; one of the two is required.",
		"Falls back to `AWS_ROLE_SESSION_NAME`, then one chosen by the AWS SDK.")
	maps.Copy(attrs, map[string]schema.Attribute{
		"web_identity_token": schema.StringAttribute{
			Optional:  true,
			Sensitive: true,
			Description: "OpenID Connect (OIDC) or OAuth token of the CI job, as issued by its identity provider. " +
				"Give this or `web_identity_token_file`, not both.",
			Validators: []validator.String{
				stringvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("web_identity_token_file")),
			},
		},
		"web_identity_token_file": schema.StringAttribute{
			Optional: true,
			Description: "Path of a file holding the token, read again whenever the credentials are renewed. " +
				"Falls back to `AWS_WEB_IDENTITY_TOKEN_FILE`.",
		},
	})
	return schema.SingleNestedBlock{
		Description: "Assume an IAM role with a web identity token, the way CI systems (GitHub Actions, GitLab CI, " +
			"Kubernetes service accounts) reach AWS without stored keys, as the hashicorp/aws provider's block of " +
			"the same name does. Without this block the provider still uses `AWS_ROLE_ARN` and " +
			"`AWS_WEB_IDENTITY_TOKEN_FILE` when no access keys are set.",
		Attributes: attrs,
	}
}
