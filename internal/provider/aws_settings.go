package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/engflow/terraform-provider-engflow/internal/awsclient"
)

// awsSettings is the provider block after unknown and null values were
// sorted out: zero values mean "not set, let the AWS SDK resolve it".
type awsSettings struct {
	Region                 string
	Profile                string
	SharedConfigFiles      []string
	SharedCredentialsFiles []string
	MaxRetries             *int
	RetryMode              string
	AssumeRole             *assumeRoleSettings
	WebIdentity            *webIdentitySettings
	Endpoints              awsclient.Endpoints
	Network                networkSettings
	UseFIPSEndpoint        *bool
	UseDualStackEndpoint   *bool
	AllowedAccountIDs      []string
	ForbiddenAccountIDs    []string
}

// roleSession is what both role blocks share.
type roleSession struct {
	RoleARN     string
	SessionName string
	Duration    time.Duration
	Policy      string
	PolicyARNs  []string
}

type assumeRoleSettings struct {
	roleSession
	ExternalID        string
	SourceIdentity    string
	Tags              map[string]string
	TransitiveTagKeys []string
}

type webIdentitySettings struct {
	roleSession
	Token     string
	TokenFile string
}

// networkSettings shape the HTTP client of every AWS call. A nil proxy
// means "not set": the environment decides; "" means "no proxy".
type networkSettings struct {
	HTTPProxy  *string
	HTTPSProxy *string
	NoProxy    string
	CABundle   string
}

// elementsValue is what types.List, types.Set and types.Map have in common.
type elementsValue interface {
	IsUnknown() bool
	ElementsAs(ctx context.Context, target any, allowUnhandled bool) diag.Diagnostics
}

const unknownDetail = "This argument depends on a value known only after apply. The provider must know it to reach AWS: " +
	"use a literal, a variable, or apply the resource it depends on first (terraform apply -target=...)."

// modelReader reads provider arguments, reporting by name each one that is
// unknown at plan time (computed from another resource): such a value
// cannot configure AWS access, and is not silently ignored.
type modelReader struct {
	ctx   context.Context
	diags diag.Diagnostics
}

func (r *modelReader) known(unknown bool, at path.Path) bool {
	if unknown {
		r.diags.AddAttributeError(at, "Provider argument not known yet", unknownDetail)
	}
	return !unknown
}

func (r *modelReader) str(v types.String, at path.Path) string {
	r.known(v.IsUnknown(), at)
	return v.ValueString()
}

// optionalStr tells "" from null, for arguments where "" means something.
func (r *modelReader) optionalStr(v types.String, at path.Path) *string {
	if !r.known(v.IsUnknown(), at) || v.IsNull() {
		return nil
	}
	s := v.ValueString()
	return &s
}

func (r *modelReader) boolean(v types.Bool, at path.Path) *bool {
	if !r.known(v.IsUnknown(), at) || v.IsNull() {
		return nil
	}
	b := v.ValueBool()
	return &b
}

func (r *modelReader) elements(v elementsValue, at path.Path, target any) {
	if r.known(v.IsUnknown(), at) {
		r.diags.Append(v.ElementsAs(r.ctx, target, false)...)
	}
}

func (r *modelReader) roleSession(m roleSessionModel, at path.Path) roleSession {
	s := roleSession{
		RoleARN:     r.str(m.RoleARN, at.AtName("role_arn")),
		SessionName: r.str(m.SessionName, at.AtName("session_name")),
		Policy:      r.str(m.Policy, at.AtName("policy")),
	}
	if d := r.str(m.Duration, at.AtName("duration")); d != "" {
		s.Duration, _ = time.ParseDuration(d) // validated in the schema
	}
	r.elements(m.PolicyARNs, at.AtName("policy_arns"), &s.PolicyARNs)
	return s
}

// settingsFromModel turns the provider block into awsSettings and the
// default tags.
func settingsFromModel(ctx context.Context, m providerModel) (awsSettings, map[string]string, diag.Diagnostics) {
	r := &modelReader{ctx: ctx}
	s := awsSettings{
		Region:               r.str(m.Region, path.Root("region")),
		Profile:              r.str(m.Profile, path.Root("profile")),
		RetryMode:            r.str(m.RetryMode, path.Root("retry_mode")),
		UseFIPSEndpoint:      r.boolean(m.UseFIPSEndpoint, path.Root("use_fips_endpoint")),
		UseDualStackEndpoint: r.boolean(m.UseDualStackEndpoint, path.Root("use_dualstack_endpoint")),
		Network: networkSettings{
			HTTPProxy:  r.optionalStr(m.HTTPProxy, path.Root("http_proxy")),
			HTTPSProxy: r.optionalStr(m.HTTPSProxy, path.Root("https_proxy")),
			NoProxy:    r.str(m.NoProxy, path.Root("no_proxy")),
			CABundle:   r.str(m.CustomCABundle, path.Root("custom_ca_bundle")),
		},
	}
	s.Endpoints.STSRegion = r.str(m.STSRegion, path.Root("sts_region"))
	r.elements(m.SharedConfigFiles, path.Root("shared_config_files"), &s.SharedConfigFiles)
	r.elements(m.SharedCredentialsFiles, path.Root("shared_credentials_files"), &s.SharedCredentialsFiles)
	r.elements(m.AllowedAccountIDs, path.Root("allowed_account_ids"), &s.AllowedAccountIDs)
	r.elements(m.ForbiddenAccountIDs, path.Root("forbidden_account_ids"), &s.ForbiddenAccountIDs)
	if r.known(m.MaxRetries.IsUnknown(), path.Root("max_retries")) && !m.MaxRetries.IsNull() {
		n := int(m.MaxRetries.ValueInt64())
		s.MaxRetries = &n
	}
	if e := m.Endpoints; e != nil {
		s.Endpoints.EC2 = r.str(e.EC2, path.Root("endpoints").AtName("ec2"))
		s.Endpoints.STS = r.str(e.STS, path.Root("endpoints").AtName("sts"))
		s.Endpoints.Route53 = r.str(e.Route53, path.Root("endpoints").AtName("route53"))
	}
	if a := m.AssumeRole; a != nil {
		at := path.Root("assume_role")
		s.AssumeRole = &assumeRoleSettings{
			roleSession:    r.roleSession(a.roleSessionModel, at),
			ExternalID:     r.str(a.ExternalID, at.AtName("external_id")),
			SourceIdentity: r.str(a.SourceIdentity, at.AtName("source_identity")),
		}
		r.elements(a.Tags, at.AtName("tags"), &s.AssumeRole.Tags)
		r.elements(a.TransitiveTagKeys, at.AtName("transitive_tag_keys"), &s.AssumeRole.TransitiveTagKeys)
	}
	if w := m.WebIdentity; w != nil {
		at := path.Root("assume_role_with_web_identity")
		s.WebIdentity = &webIdentitySettings{
			roleSession: r.roleSession(w.roleSessionModel, at),
			Token:       r.str(w.Token, at.AtName("web_identity_token")),
			TokenFile:   r.str(w.TokenFile, at.AtName("web_identity_token_file")),
		}
	}
	var tags map[string]string
	if m.DefaultTags != nil {
		r.elements(m.DefaultTags.Tags, path.Root("default_tags").AtName("tags"), &tags)
	}
	return s, tags, r.diags
}
