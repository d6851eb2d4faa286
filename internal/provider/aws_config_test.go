package provider

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
)

// isolateAWSEnv clears every variable and file the AWS SDK would read, so a
// test sees only what it sets itself.
func isolateAWSEnv(t *testing.T) {
	t.Helper()
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{
		"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
		"AWS_SESSION_TOKEN", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EC2",
		"AWS_ENDPOINT_URL_STS", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
	} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_CONFIG_FILE", empty)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", empty)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

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
	configFile := writeFile(t, "config", "[profile build]\nregion = eu-west-1\n")
	credsFile := writeFile(t, "credentials", "[build]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = secretfromfile\n")
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

// TestLoadAWSConfig_assumeRole checks that the assume_role arguments reach
// STS, by answering AssumeRole from a test server on 127.0.0.1.
func TestLoadAWSConfig_assumeRole(t *testing.T) {
	isolateAWSEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDBASE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "base-secret")
	var got url.Values
	sts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got, _ = url.ParseQuery(string(body))
		w.Header().Set("Content-Type", "text/xml")
		_, _ = io.WriteString(w, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>AKIDASSUMED</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>
<Expiration>`+time.Now().Add(time.Hour).UTC().Format(time.RFC3339)+`</Expiration></Credentials>
<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/engflow/ci</Arn><AssumedRoleId>AROA:ci</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult></AssumeRoleResponse>`)
	}))
	defer sts.Close()

	cfg, err := loadAWSConfig(context.Background(), awsSettings{
		Region:      "us-east-1",
		STSEndpoint: sts.URL,
		AssumeRole: &assumeRoleSettings{
			RoleARN: "arn:aws:iam::123456789012:role/engflow", SessionName: "ci", ExternalID: "ext-1", Duration: time.Hour,
		},
	}, "test")
	if err != nil {
		t.Fatal(err)
	}
	creds, err := checkCredentials(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccessKeyID != "AKIDASSUMED" {
		t.Errorf("access key = %q, want the assumed role's", creds.AccessKeyID)
	}
	want := map[string]string{
		"Action": "AssumeRole", "RoleArn": "arn:aws:iam::123456789012:role/engflow",
		"RoleSessionName": "ci", "ExternalId": "ext-1", "DurationSeconds": "3600",
	}
	for k, v := range want {
		if got.Get(k) != v {
			t.Errorf("STS received %s=%q, want %q", k, got.Get(k), v)
		}
	}
}
