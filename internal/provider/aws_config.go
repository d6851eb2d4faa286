package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"

	"github.com/engflow/terraform-provider-engflow/internal/awsclient"
)

const (
	retryModeStandard = "standard"
	retryModeAdaptive = "adaptive"

	// defaultMaxRetries matches the hashicorp/aws provider: EC2 throttles per
	// account and Region, and a plan of many endpoints must outlast it.
	defaultMaxRetries = 25

	// credentialsTimeout bounds the first credentials lookup at configure
	// time, so a missing instance role fails in seconds, not minutes.
	credentialsTimeout = 30 * time.Second
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
	EC2Endpoint            string
	STSEndpoint            string
}

type assumeRoleSettings struct {
	RoleARN     string
	SessionName string
	ExternalID  string
	Duration    time.Duration
}

// configError is a configure-time failure worded for the user: what went
// wrong and which argument or environment variable fixes it.
type configError struct {
	Summary string
	Detail  string
}

func (e *configError) Error() string { return e.Summary + ": " + e.Detail }

var errNoRegion = &configError{
	Summary: "No AWS Region configured",
	Detail: "The EngFlow provider needs the AWS Region of your VPC and of the EngFlow endpoint service. " +
		"Set region in the provider \"engflow\" block, or the AWS_REGION (or AWS_DEFAULT_REGION) environment " +
		"variable, or region in the profile you use in the shared config file (~/.aws/config, AWS_CONFIG_FILE " +
		"or shared_config_files).",
}

// loadAWSConfig resolves region, credentials chain and retry policy the way
// aws-sdk-go-v2 does for any AWS tool, with the provider's arguments taking
// precedence over environment variables and shared files.
func loadAWSConfig(ctx context.Context, s awsSettings, appID string) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{config.WithAppID(appID)}
	if s.Region != "" {
		opts = append(opts, config.WithRegion(s.Region))
	}
	if s.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(s.Profile))
	}
	if len(s.SharedConfigFiles) > 0 {
		opts = append(opts, config.WithSharedConfigFiles(s.SharedConfigFiles))
	}
	if len(s.SharedCredentialsFiles) > 0 {
		opts = append(opts, config.WithSharedCredentialsFiles(s.SharedCredentialsFiles))
	}

	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, &configError{
			Summary: "Cannot load AWS configuration",
			Detail: fmt.Sprintf("The AWS SDK could not read its configuration: %s.\n\nCheck that profile (or AWS_PROFILE) "+
				"names a profile that exists in the shared config or credentials files, and that the files named by "+
				"shared_config_files, shared_credentials_files, AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE exist.", err),
		}
	}
	if cfg.Region == "" {
		return aws.Config{}, errNoRegion
	}

	attempts, mode := retryPolicy(s, cfg.RetryMaxAttempts, cfg.RetryMode)
	cfg.Retryer = func() aws.Retryer { return newRetryer(mode, attempts) }

	if s.AssumeRole != nil {
		cfg.Credentials = aws.NewCredentialsCache(assumeRoleProvider(cfg, s))
	}
	return cfg, nil
}

// retryPolicy picks max attempts and mode: provider arguments first, then
// what the SDK read from AWS_MAX_ATTEMPTS / AWS_RETRY_MODE or the profile.
func retryPolicy(s awsSettings, sdkAttempts int, sdkMode aws.RetryMode) (int, string) {
	attempts := defaultMaxRetries + 1
	switch {
	case s.MaxRetries != nil:
		attempts = *s.MaxRetries + 1
	case sdkAttempts > 0:
		attempts = sdkAttempts
	}
	mode := retryModeStandard
	switch {
	case s.RetryMode != "":
		mode = s.RetryMode
	case sdkMode == aws.RetryModeAdaptive:
		mode = retryModeAdaptive
	}
	return attempts, mode
}

// newRetryer returns the SDK's own retryer with a raised attempt count. The
// SDK's retry token bucket is switched off: it stops retrying after a burst
// of throttles, exactly when an apply of many endpoints needs to keep going;
// the capped exponential backoff already spreads the attempts out.
func newRetryer(mode string, maxAttempts int) aws.Retryer {
	standard := func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.RateLimiter = ratelimit.None
	}
	if mode == retryModeAdaptive {
		return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
			o.StandardOptions = append(o.StandardOptions, standard)
		})
	}
	return retry.NewStandard(standard)
}

func assumeRoleProvider(cfg aws.Config, s awsSettings) aws.CredentialsProvider {
	role := s.AssumeRole
	return stscreds.NewAssumeRoleProvider(awsclient.NewSTS(cfg, s.STSEndpoint), role.RoleARN, func(o *stscreds.AssumeRoleOptions) {
		if role.SessionName != "" {
			o.RoleSessionName = role.SessionName
		}
		if role.ExternalID != "" {
			o.ExternalID = aws.String(role.ExternalID)
		}
		if role.Duration > 0 {
			o.Duration = role.Duration
		}
	})
}

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
			"AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials) or config file; an assume_role block; or, inside AWS, "+
			"an instance or container role.", cause),
	}
}
