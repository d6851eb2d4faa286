package provider

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"

	"github.com/engflow/terraform-provider-engflow/internal/acctest/testfile"
	"github.com/engflow/terraform-provider-engflow/internal/awsclient"
)

// isolateAWSEnv clears every variable and file the AWS SDK would read, so a
// test sees only what it sets itself.
func isolateAWSEnv(t *testing.T) {
	t.Helper()
	empty := testfile.Temp(t, "empty", "")
	for _, k := range []string{
		"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
		"AWS_SESSION_TOKEN", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EC2",
		"AWS_ENDPOINT_URL_STS", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_CA_BUNDLE",
		"AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT",
		"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy",
	} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_CONFIG_FILE", empty)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", empty)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

// isolateAWSEnvWith is isolateAWSEnv plus the variables in env.
func isolateAWSEnvWith(t *testing.T, env map[string]string) {
	t.Helper()
	isolateAWSEnv(t)
	for k, v := range env {
		t.Setenv(k, v)
	}
}

// baseKeys are static credentials for tests whose calls go to a fake STS
// or nowhere.
var baseKeys = map[string]string{"AWS_ACCESS_KEY_ID": "AKIDBASE", "AWS_SECRET_ACCESS_KEY": "base-secret"}

func TestLoadAWSConfig_regionArgumentBeatsEnvironment(t *testing.T) {
	isolateAWSEnv(t)
	t.Setenv("AWS_REGION", "us-west-2")
	cfg, err := loadAWSConfig(context.Background(), awsSettings{Region: "eu-central-1"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Region != "eu-central-1" {
		t.Errorf("region = %q, want the argument's eu-central-1", cfg.Region)
	}
}

func TestLoadAWSConfig_regionFromDefaultRegionEnv(t *testing.T) {
	isolateAWSEnv(t)
	t.Setenv("AWS_DEFAULT_REGION", "ap-southeast-2")
	cfg, err := loadAWSConfig(context.Background(), awsSettings{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Region != "ap-southeast-2" {
		t.Errorf("region = %q, want ap-southeast-2 from AWS_DEFAULT_REGION", cfg.Region)
	}
}

func TestLoadAWSConfig_profileFromSharedFiles(t *testing.T) {
	isolateAWSEnv(t)
	configFile := testfile.Temp(t, "config", "[profile build]\nregion = eu-west-1\n")
	credsFile := testfile.Temp(t, "credentials", "[build]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = secretfromfile\n")
	cfg, err := loadAWSConfig(context.Background(), awsSettings{
		Profile: "build", SharedConfigFiles: []string{configFile}, SharedCredentialsFiles: []string{credsFile},
	}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Region != "eu-west-1" {
		t.Errorf("region = %q, want eu-west-1 from the profile", cfg.Region)
	}
	creds, err := checkCredentials(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccessKeyID != "AKIDFROMFILE" {
		t.Errorf("access key = %q, want the one from the credentials file", creds.AccessKeyID)
	}
}

func TestLoadAWSConfig_missingRegionSaysHowToSetIt(t *testing.T) {
	isolateAWSEnv(t)
	_, err := loadAWSConfig(context.Background(), awsSettings{}, "test")
	var ce *configError
	if !errors.As(err, &ce) {
		t.Fatalf("error = %v, want a configError", err)
	}
	for _, want := range []string{"region", "AWS_REGION", "AWS_DEFAULT_REGION", "shared_config_files"} {
		if !strings.Contains(ce.Detail, want) {
			t.Errorf("detail does not mention %s: %s", want, ce.Detail)
		}
	}
}

func TestLoadAWSConfig_unknownProfile(t *testing.T) {
	isolateAWSEnv(t)
	_, err := loadAWSConfig(context.Background(), awsSettings{Region: "us-east-1", Profile: "nope"}, "test")
	var ce *configError
	if !errors.As(err, &ce) || !strings.Contains(ce.Detail, "nope") || !strings.Contains(ce.Detail, "AWS_PROFILE") {
		t.Fatalf("error = %v, want a configError naming the profile and AWS_PROFILE", err)
	}
}

func TestCheckCredentials_noneFoundSaysWhereToPutThem(t *testing.T) {
	isolateAWSEnv(t)
	cfg, err := loadAWSConfig(context.Background(), awsSettings{Region: "us-east-1"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	_, err = checkCredentials(context.Background(), cfg)
	var ce *configError
	if !errors.As(err, &ce) {
		t.Fatalf("error = %v, want a configError", err)
	}
	for _, want := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "assume_role"} {
		if !strings.Contains(ce.Detail, want) {
			t.Errorf("detail does not mention %s: %s", want, ce.Detail)
		}
	}
}

func TestRetryPolicy(t *testing.T) {
	five := 5
	for _, tc := range []struct {
		name         string
		settings     awsSettings
		sdkAttempts  int
		sdkMode      aws.RetryMode
		wantAttempts int
		wantMode     string
	}{
		{name: "defaults", wantAttempts: defaultMaxRetries + 1, wantMode: retryModeStandard},
		{name: "environment", sdkAttempts: 7, sdkMode: aws.RetryModeAdaptive, wantAttempts: 7, wantMode: retryModeAdaptive},
		{name: "arguments beat environment", settings: awsSettings{MaxRetries: &five, RetryMode: retryModeStandard},
			sdkAttempts: 7, sdkMode: aws.RetryModeAdaptive, wantAttempts: 6, wantMode: retryModeStandard},
	} {
		t.Run(tc.name, func(t *testing.T) {
			attempts, mode := retryPolicy(tc.settings, tc.sdkAttempts, tc.sdkMode)
			if attempts != tc.wantAttempts || mode != tc.wantMode {
				t.Errorf("got (%d, %s), want (%d, %s)", attempts, mode, tc.wantAttempts, tc.wantMode)
			}
		})
	}
}

func TestLoadAWSConfig_retryerFromEnvironment(t *testing.T) {
	isolateAWSEnv(t)
	t.Setenv("AWS_MAX_ATTEMPTS", "9")
	t.Setenv("AWS_RETRY_MODE", "adaptive")
	cfg, err := loadAWSConfig(context.Background(), awsSettings{Region: "us-east-1"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	r := cfg.Retryer()
	if _, ok := r.(*retry.AdaptiveMode); !ok {
		t.Errorf("retryer is %T, want adaptive mode", r)
	}
	if r.MaxAttempts() != 9 {
		t.Errorf("max attempts = %d, want 9", r.MaxAttempts())
	}
}

func TestNewRetryer_keepsRetryingThroughThrottleBursts(t *testing.T) {
	r := newRetryer(retryModeStandard, 26)
	throttle := &smithy.GenericAPIError{Code: "RequestLimitExceeded", Message: "Request limit exceeded."}
	// The SDK's default token bucket holds 500 tokens at 5 per retry: a burst
	// of more than 100 throttles would exhaust it. Ours must never run dry.
	for i := 0; i < 1000; i++ {
		if _, err := r.GetRetryToken(context.Background(), throttle); err != nil {
			t.Fatalf("retry %d refused: %v", i, err)
		}
	}
	if r.MaxAttempts() != 26 {
		t.Errorf("max attempts = %d, want 26", r.MaxAttempts())
	}
}

// TestLoadAWSConfig_assumeRole checks that every assume_role argument
// reaches STS, signed with the credentials the provider starts from.
func TestLoadAWSConfig_assumeRole(t *testing.T) {
	isolateAWSEnvWith(t, baseKeys)
	sts := newFakeSTS(t)

	cfg, err := loadAWSConfig(context.Background(), awsSettings{
		Region:    "us-east-1",
		Endpoints: awsclient.Endpoints{STS: sts.URL},
		AssumeRole: &assumeRoleSettings{
			roleSession: roleSession{
				RoleARN: "arn:aws:iam::123456789012:role/engflow", SessionName: "ci", Duration: time.Hour,
				Policy:     `{"Version":"2012-10-17","Statement":[]}`,
				PolicyARNs: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"},
			},
			ExternalID: "ext-1", SourceIdentity: "alice",
			Tags:              map[string]string{"team": "build"},
			TransitiveTagKeys: []string{"team"},
		},
	}, "test")
	if err != nil {
		t.Fatal(err)
	}
	creds, err := checkCredentials(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccessKeyID != assumedAccessKey {
		t.Errorf("access key = %q, want the assumed role's", creds.AccessKeyID)
	}
	sts.expectCall(t, "AssumeRole", baseKeys["AWS_ACCESS_KEY_ID"], map[string]string{
		"RoleArn": "arn:aws:iam::123456789012:role/engflow", "RoleSessionName": "ci", "ExternalId": "ext-1",
		"DurationSeconds": "3600", "Policy": `{"Version":"2012-10-17","Statement":[]}`,
		"PolicyArns.member.1.arn": "arn:aws:iam::aws:policy/ReadOnlyAccess", "SourceIdentity": "alice",
		"Tags.member.1.Key": "team", "Tags.member.1.Value": "build", "TransitiveTagKeys.member.1": "team",
	})
}

// A role STS refuses to hand out is named in the error, with what to check.
func TestCheckCredentials_refusedRoleIsNamed(t *testing.T) {
	isolateAWSEnvWith(t, baseKeys)
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, `<ErrorResponse><Error><Code>AccessDenied</Code><Message>not trusted</Message></Error></ErrorResponse>`)
	}))
	defer refusing.Close()
	cfg, err := loadAWSConfig(context.Background(), awsSettings{
		Region: "us-east-1", Endpoints: awsclient.Endpoints{STS: refusing.URL},
		AssumeRole: &assumeRoleSettings{roleSession: roleSession{RoleARN: "arn:aws:iam::123456789012:role/engflow"}},
	}, "test")
	if err != nil {
		t.Fatal(err)
	}
	_, err = checkCredentials(context.Background(), cfg)
	var ce *configError
	if !errors.As(err, &ce) || ce.Summary != "Cannot assume role arn:aws:iam::123456789012:role/engflow" {
		t.Fatalf("error = %v, want one naming the role", err)
	}
	for _, want := range []string{"AccessDenied", "trust policy"} {
		if !strings.Contains(ce.Detail, want) {
			t.Errorf("detail lacks %q: %s", want, ce.Detail)
		}
	}
}
