package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Schema mirrors the hashicorp/aws provider's argument names and meaning so
// that a platform team can copy its existing provider block. Every argument
// is optional and falls back to the standard AWS environment variables and
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
			"allowed_account_ids": schema.SetAttribute{
				Optional:    true,
				ElementType: types.StringType,
				Description: "AWS account IDs the provider may work in. When set, the provider asks STS " +
					"(`sts:GetCallerIdentity`) which account its credentials belong to, after any role is assumed, " +
					"and stops before any EC2 call if that account is not listed. Conflicts with `forbidden_account_ids`.",
				Validators: []validator.Set{
					setvalidator.ValueStringsAre(accountID()),
					setvalidator.ConflictsWith(path.MatchRoot("forbidden_account_ids")),
				},
			},
			"forbidden_account_ids": schema.SetAttribute{
				Optional:    true,
				ElementType: types.StringType,
				Description: "AWS account IDs the provider must not work in, checked like `allowed_account_ids`. " +
					"Conflicts with `allowed_account_ids`.",
				Validators: []validator.Set{setvalidator.ValueStringsAre(accountID())},
			},
			"custom_ca_bundle": schema.StringAttribute{
				Optional: true,
				Description: "Path of a PEM file with the certificates that AWS calls trust instead of the system's, " +
					"for a TLS-intercepting proxy or a private endpoint. Falls back to `AWS_CA_BUNDLE`. " +
					"A missing or unreadable file stops `terraform plan`.",
			},
			"http_proxy": schema.StringAttribute{
				Optional: true,
				Description: "URL of the proxy for AWS calls over HTTP, such as `http://proxy.example.com:3128`. " +
					"Falls back to `HTTP_PROXY` / `http_proxy`. As in the hashicorp/aws provider, it also serves HTTPS " +
					"calls unless `https_proxy` or `HTTPS_PROXY` is set; set `https_proxy = \"\"` to send HTTPS calls directly.",
				Validators: []validator.String{proxyURL()},
			},
			"https_proxy": schema.StringAttribute{
				Optional: true,
				Description: "URL of the proxy for AWS calls over HTTPS (all of them, unless an endpoint is `http://`). " +
					"Falls back to `HTTPS_PROXY` / `https_proxy`. An empty string means no proxy for HTTPS.",
				Validators: []validator.String{proxyURL()},
			},
			"no_proxy": schema.StringAttribute{
				Optional: true,
				Description: "Comma-separated hosts, domains (`.example.com`), IP addresses or CIDR blocks reached without " +
					"a proxy; `*` turns proxies off. Falls back to `NO_PROXY` / `no_proxy`. Loopback addresses and " +
					"`localhost` are always reached directly.",
			},
			"use_fips_endpoint": schema.BoolAttribute{
				Optional: true,
				Description: "Call the FIPS endpoints of EC2 and STS. Falls back to `AWS_USE_FIPS_ENDPOINT`. Ignored for a " +
					"service with a custom endpoint (`endpoints` or `AWS_ENDPOINT_URL_*`).",
			},
			"use_dualstack_endpoint": schema.BoolAttribute{
				Optional: true,
				Description: "Call the dual-stack (IPv4 and IPv6) endpoints of EC2 and STS. Falls back to " +
					"`AWS_USE_DUALSTACK_ENDPOINT`. Ignored for a service with a custom endpoint.",
			},
			"sts_region": schema.StringAttribute{
				Optional: true,
				Description: "AWS Region of the provider's STS calls (assuming roles, reading the account ID), when it " +
					"is not `region`: for example the Region of an STS VPC endpoint.",
				Validators: []validator.String{regionName()},
			},
		},
		Blocks: map[string]schema.Block{
			"assume_role":                   assumeRoleBlock(),
			"assume_role_with_web_identity": webIdentityBlock(),
			"endpoints": schema.SingleNestedBlock{
				Description: "Custom service endpoints, for example a VPC interface endpoint for EC2 or a local emulator. " +
					"Fall back to `AWS_ENDPOINT_URL_EC2`, `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_ROUTE_53` and `AWS_ENDPOINT_URL`.",
				Attributes: map[string]schema.Attribute{
					"ec2": schema.StringAttribute{
						Optional:    true,
						Description: "Endpoint URL for EC2, for example `https://ec2.us-east-1.amazonaws.com`.",
						Validators:  []validator.String{endpointURL()},
					},
					"sts": schema.StringAttribute{
						Optional:    true,
						Description: "Endpoint URL for STS, used to assume roles and to read the caller's account ID.",
						Validators:  []validator.String{endpointURL()},
					},
					"route53": schema.StringAttribute{
						Optional: true,
						Description: "Endpoint URL for Route 53, used by `engflow_privatelink_shared_dns`. Route 53 is global: " +
							"calls are signed for the partition's Region (us-east-1 in the `aws` partition).",
						Validators: []validator.String{endpointURL()},
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
