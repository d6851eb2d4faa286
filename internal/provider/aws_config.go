package provider

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
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
// precedence over environment variables and shared files, then applies the
// role blocks.
//
// This is aws-sdk-go-v2's own loader plus some 400 lines (this file,
// credentials.go, http_client.go, files.go, account_check.go), not the
// hashicorp/aws provider's github.com/hashicorp/aws-sdk-go-base/v2, which
// implements the same arguments. Measured on a plan against the emulator
// (peak resident memory of the busiest provider process, budget 40 MB):
// 31.7 MB before these settings, 33.5 MB with them as written here, 34.8 MB
// with aws-sdk-go-base in place of the loader even before them; it adds
// 1.8 MB of binary where this adds 0.2 MB. It would also validate
// credentials with an STS call in every provider process by default, and
// bring its own retryer, logging and error wording; its v2 has had only
// beta releases.
func loadAWSConfig(ctx context.Context, s awsSettings, appID string) (aws.Config, error) {
	httpClient, caBundle, err := newHTTPClient(s.Network)
	if err != nil {
		return aws.Config{}, err
	}
	webIdentitySTS := &stsLater{}
	opts := append(loadOptions(s),
		config.WithAppID(appID),
		config.WithHTTPClient(httpClient),
		config.WithWebIdentityRoleCredentialOptions(func(o *stscreds.WebIdentityRoleOptions) { o.Client = webIdentitySTS }),
	)
	if caBundle != nil {
		// Or the SDK would also add AWS_CA_BUNDLE's certificates when
		// custom_ca_bundle names another file.
		opts = append(opts, config.WithCustomCABundle(bytes.NewReader(caBundle)))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, &configError{
			Summary: "Cannot load AWS configuration",
			Detail: fmt.Sprintf("The AWS SDK could not read its configuration: %s.\n\nCheck that profile (or AWS_PROFILE) "+
				"names a profile that exists in the shared config or credentials files, and that the files named by "+
				"shared_config_files, shared_credentials_files, AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE exist; and "+
				"that AWS_WEB_IDENTITY_TOKEN_FILE, if set, comes with AWS_ROLE_ARN.", err),
		}
	}
	if cfg.Region == "" {
		return aws.Config{}, errNoRegion
	}

	attempts, mode := retryPolicy(s, cfg.RetryMaxAttempts, cfg.RetryMode)
	cfg.Retryer = func() aws.Retryer { return newRetryer(mode, attempts) }
	webIdentitySTS.Client = anonymousSTS(cfg, s.Endpoints)

	cfg.Credentials, err = roleCredentials(cfg, s)
	return cfg, err
}

// loadOptions are the SDK loader's options for the arguments that are set.
func loadOptions(s awsSettings) []func(*config.LoadOptions) error {
	var opts []func(*config.LoadOptions) error
	if s.WebIdentity != nil {
		// The block replaces the credentials the SDK would resolve, and
		// resolving them anyway can fail: the SDK refuses
		// AWS_WEB_IDENTITY_TOKEN_FILE without AWS_ROLE_ARN, which the
		// block may supply.
		opts = append(opts, config.WithCredentialsProvider(aws.AnonymousCredentials{}))
	}
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
	// Set false, they override AWS_USE_FIPS_ENDPOINT and friends too.
	if v := s.UseFIPSEndpoint; v != nil {
		state := aws.FIPSEndpointStateDisabled
		if *v {
			state = aws.FIPSEndpointStateEnabled
		}
		opts = append(opts, config.WithUseFIPSEndpoint(state))
	}
	if v := s.UseDualStackEndpoint; v != nil {
		state := aws.DualStackEndpointStateDisabled
		if *v {
			state = aws.DualStackEndpointStateEnabled
		}
		opts = append(opts, config.WithUseDualStackEndpoint(state))
	}
	return opts
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
