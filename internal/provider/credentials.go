package provider

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/engflow/terraform-provider-engflow/internal/awsclient"
)

// roleCredentials applies the role blocks to the credentials the SDK
// resolved, in the hashicorp/aws provider's order: a web identity replaces
// them, then assume_role assumes its role with whatever came before.
func roleCredentials(cfg aws.Config, s awsSettings) (aws.CredentialsProvider, error) {
	if w := s.WebIdentity; w != nil {
		p, err := webIdentityProvider(cfg, s.Endpoints, *w)
		if err != nil {
			return nil, err
		}
		cfg.Credentials = aws.NewCredentialsCache(p)
	}
	if r := s.AssumeRole; r != nil {
		cfg.Credentials = aws.NewCredentialsCache(assumeRoleProvider(cfg, s.Endpoints, *r))
	}
	return cfg.Credentials, nil
}

// roleProvider words a failure to assume a role for the user: which role,
// and what to check. (Keyed fields: the troubleshooting guide's test reads
// summary from them.)
type roleProvider struct {
	aws.CredentialsProvider
	summary, advice string
}

func (p roleProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	creds, err := p.CredentialsProvider.Retrieve(ctx)
	if err != nil {
		return creds, &configError{Summary: p.summary, Detail: fmt.Sprintf("STS answered: %s.\n\n%s", err, p.advice)}
	}
	return creds, nil
}

// Environment variables the web identity block falls back to, as the SDK's
// own web identity route and the hashicorp/aws provider read them.
const (
	envRoleARN     = "AWS_ROLE_ARN"
	envSessionName = "AWS_ROLE_SESSION_NAME"
	envTokenFile   = "AWS_WEB_IDENTITY_TOKEN_FILE"
)

func webIdentityProvider(cfg aws.Config, e awsclient.Endpoints, w webIdentitySettings) (aws.CredentialsProvider, error) {
	w.RoleARN = cmp.Or(w.RoleARN, os.Getenv(envRoleARN))
	w.SessionName = cmp.Or(w.SessionName, os.Getenv(envSessionName))
	if w.RoleARN == "" {
		return nil, &configError{
			Summary: "assume_role_with_web_identity needs a role ARN",
			Detail: "Neither role_arn in the assume_role_with_web_identity block nor the " + envRoleARN + " environment " +
				"variable names the role to assume. Add role_arn = \"arn:aws:iam::<account-id>:role/<name>\" to the block.",
		}
	}
	token, err := webIdentityToken(w)
	if err != nil {
		return nil, err
	}
	p := stscreds.NewWebIdentityRoleProvider(anonymousSTS(cfg, e), w.RoleARN, token, func(o *stscreds.WebIdentityRoleOptions) {
		o.RoleSessionName = w.SessionName
		o.Duration = w.Duration
		if w.Policy != "" {
			o.Policy = aws.String(w.Policy)
		}
		o.PolicyARNs = policyDescriptors(w.PolicyARNs)
	})
	return roleProvider{CredentialsProvider: p, summary: "Cannot assume role " + w.RoleARN + " with a web identity",
		advice: "Check that the role's trust policy trusts your CI system's OIDC identity provider, with the token's audience " +
			"(aud) and subject (sub), and that the token has not expired; duration must not exceed the role's maximum " +
			"session duration."}, nil
}

// webIdentityToken picks the token source: the token itself, else its file
// (the block's, else AWS_WEB_IDENTITY_TOKEN_FILE's), which stscreds reads
// again at every renewal, as CI systems rotate it.
func webIdentityToken(w webIdentitySettings) (stscreds.IdentityTokenRetriever, error) {
	if w.Token != "" {
		return staticToken(w.Token), nil
	}
	source, file := "web_identity_token_file", w.TokenFile
	if file == "" {
		source, file = envTokenFile, os.Getenv(envTokenFile)
	}
	if file == "" {
		return nil, &configError{
			Summary: "assume_role_with_web_identity needs a token",
			Detail: "The assume_role_with_web_identity block has neither web_identity_token nor web_identity_token_file, " +
				"and " + envTokenFile + " is not set. Give the token of your CI job's identity provider, or the path of " +
				"the file it is written to.",
		}
	}
	file, err := readableFile(source, file, "the web identity token")
	if err != nil {
		return nil, err
	}
	return stscreds.IdentityTokenFile(file), nil
}

// staticToken is a web identity token given inline.
type staticToken string

func (t staticToken) GetIdentityToken() ([]byte, error) { return []byte(t), nil }

func assumeRoleProvider(cfg aws.Config, e awsclient.Endpoints, r assumeRoleSettings) aws.CredentialsProvider {
	p := stscreds.NewAssumeRoleProvider(awsclient.NewSTS(cfg, e), r.RoleARN, func(o *stscreds.AssumeRoleOptions) {
		if r.SessionName != "" {
			o.RoleSessionName = r.SessionName
		}
		if r.ExternalID != "" {
			o.ExternalID = aws.String(r.ExternalID)
		}
		if r.Duration > 0 {
			o.Duration = r.Duration
		}
		if r.Policy != "" {
			o.Policy = aws.String(r.Policy)
		}
		if r.SourceIdentity != "" {
			o.SourceIdentity = aws.String(r.SourceIdentity)
		}
		o.PolicyARNs = policyDescriptors(r.PolicyARNs)
		for k, v := range r.Tags {
			o.Tags = append(o.Tags, ststypes.Tag{Key: aws.String(k), Value: aws.String(v)})
		}
		o.TransitiveTagKeys = r.TransitiveTagKeys
	})
	return roleProvider{CredentialsProvider: p, summary: "Cannot assume role " + r.RoleARN,
		advice: "Check that the role exists and that its trust policy lets the credentials the provider starts from assume it " +
			"(with this external_id, session tags and source_identity, if set); duration must not exceed the role's " +
			"maximum session duration."}
}

func policyDescriptors(arns []string) []ststypes.PolicyDescriptorType {
	var out []ststypes.PolicyDescriptorType
	for _, a := range arns {
		out = append(out, ststypes.PolicyDescriptorType{Arn: aws.String(a)})
	}
	return out
}

// anonymousSTS is the STS client of AssumeRoleWithWebIdentity, which STS
// takes unsigned: it must not try to sign with the very credentials it is
// fetching.
func anonymousSTS(cfg aws.Config, e awsclient.Endpoints) *sts.Client {
	cfg.Credentials = nil
	return awsclient.NewSTS(cfg, e)
}

// stsLater is the STS client of the SDK's own web identity route
// (AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE, or a profile's
// web_identity_token_file), so that it honours endpoints.sts, sts_region
// and the proxies too. The SDK builds that route while it loads the
// configuration, before a client can be built from it; loadAWSConfig sets
// Client right after, and the SDK calls it only when credentials are
// first retrieved.
type stsLater struct{ *sts.Client }

// checkCredentials fetches credentials once, so that a missing or broken
// credential source fails at configure time with advice, not later in the
// middle of an apply. For static or environment credentials this makes no
// network call.
func checkCredentials(ctx context.Context, cfg aws.Config) (aws.Credentials, error) {
	if cfg.Credentials == nil {
		return aws.Credentials{}, noCredentials(errors.New("no credential source is configured"))
	}
	ctx, cancel := context.WithTimeout(ctx, credentialsTimeout)
	defer cancel()
	creds, err := cfg.Credentials.Retrieve(ctx)
	var roleFailed *configError
	if errors.As(err, &roleFailed) {
		return aws.Credentials{}, roleFailed
	}
	if err != nil {
		return aws.Credentials{}, noCredentials(err)
	}
	return creds, nil
}

func noCredentials(cause error) error {
	return &configError{
		Summary: "No usable AWS credentials",
		Detail: fmt.Sprintf("The AWS SDK could not get credentials: %s.\n\nGive the provider credentials in one of these ways: "+
			"the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY environment variables (plus AWS_SESSION_TOKEN for temporary "+
			"credentials); a profile (profile argument or AWS_PROFILE) from the shared credentials file (shared_credentials_files, "+
			"AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials) or config file; an assume_role_with_web_identity block or "+
			"AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE; an assume_role block; or, inside AWS, an instance or container role.", cause),
	}
}
