package provider

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/engflow/terraform-provider-engflow/internal/acctest/testfile"
	"github.com/engflow/terraform-provider-engflow/internal/awsclient"
)

const (
	webRoleARN = "arn:aws:iam::123456789012:role/ci-oidc"
	ciToken    = "eyJhbGciOiJSUzI1NiJ9.ci-job-token.signature"
)

// credentialsFor loads the configuration and retrieves its credentials, as
// Configure does.
func credentialsFor(t *testing.T, s awsSettings) aws.Credentials {
	t.Helper()
	if s.Region == "" {
		s.Region = "us-east-1"
	}
	cfg, err := loadAWSConfig(context.Background(), s, "test")
	if err != nil {
		t.Fatal(err)
	}
	creds, err := checkCredentials(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return creds
}

// The block's token replaces the credentials of the environment, and every
// argument reaches STS in an unsigned AssumeRoleWithWebIdentity.
func TestLoadAWSConfig_webIdentityToken(t *testing.T) {
	isolateAWSEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDSTATIC")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "static-secret")
	sts := newFakeSTS(t)
	creds := credentialsFor(t, awsSettings{
		Endpoints: awsclient.Endpoints{STS: sts.URL},
		WebIdentity: &webIdentitySettings{
			roleSession: roleSession{RoleARN: webRoleARN, SessionName: "gha-42", Duration: 2 * time.Hour,
				Policy: `{"Version":"2012-10-17","Statement":[]}`, PolicyARNs: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}},
			Token: ciToken,
		},
	})
	if creds.AccessKeyID != webIdentityAccessKey {
		t.Errorf("access key = %q, want the web identity role's", creds.AccessKeyID)
	}
	// Unsigned: STS takes it so.
	sts.expectCall(t, "AssumeRoleWithWebIdentity", "", map[string]string{
		"RoleArn": webRoleARN, "RoleSessionName": "gha-42", "WebIdentityToken": ciToken, "DurationSeconds": "7200",
		"Policy": `{"Version":"2012-10-17","Statement":[]}`, "PolicyArns.member.1.arn": "arn:aws:iam::aws:policy/ReadOnlyAccess",
	})
}

// Without role_arn, session_name and token in the block, the web identity
// takes them from AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME and the file
// AWS_WEB_IDENTITY_TOKEN_FILE names, as the hashicorp/aws provider does.
func TestLoadAWSConfig_webIdentityFromEnvironment(t *testing.T) {
	isolateAWSEnv(t)
	sts := newFakeSTS(t)
	t.Setenv("AWS_ROLE_ARN", webRoleARN)
	t.Setenv("AWS_ROLE_SESSION_NAME", "from-env")
	t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", testfile.Temp(t, "token", ciToken))
	credentialsFor(t, awsSettings{Endpoints: awsclient.Endpoints{STS: sts.URL}, WebIdentity: &webIdentitySettings{}})
	sts.expectCall(t, "AssumeRoleWithWebIdentity", "", map[string]string{
		"RoleArn": webRoleARN, "RoleSessionName": "from-env", "WebIdentityToken": ciToken,
	})
}

// Without the block, AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE are the
// SDK's own route; it must still call STS where endpoints.sts says (here
// AWS_ENDPOINT_URL_STS points nowhere).
func TestLoadAWSConfig_webIdentityEnvironmentRouteHonoursSTSEndpoint(t *testing.T) {
	isolateAWSEnv(t)
	sts := newFakeSTS(t)
	t.Setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9")
	t.Setenv("AWS_ROLE_ARN", webRoleARN)
	t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", testfile.Temp(t, "token", ciToken))
	creds := credentialsFor(t, awsSettings{Endpoints: awsclient.Endpoints{STS: sts.URL}})
	if creds.AccessKeyID != webIdentityAccessKey {
		t.Errorf("access key = %q, want the web identity role's", creds.AccessKeyID)
	}
	sts.expectCall(t, "AssumeRoleWithWebIdentity", "", map[string]string{"RoleArn": webRoleARN, "WebIdentityToken": ciToken})
}

// With both blocks, the web identity's role assumes assume_role's role.
func TestLoadAWSConfig_webIdentityThenAssumeRole(t *testing.T) {
	isolateAWSEnv(t)
	sts := newFakeSTS(t)
	creds := credentialsFor(t, awsSettings{
		Endpoints:   awsclient.Endpoints{STS: sts.URL},
		WebIdentity: &webIdentitySettings{roleSession: roleSession{RoleARN: webRoleARN}, Token: ciToken},
		AssumeRole:  &assumeRoleSettings{roleSession: roleSession{RoleARN: "arn:aws:iam::210987654321:role/network"}},
	})
	if creds.AccessKeyID != assumedAccessKey {
		t.Errorf("access key = %q, want assume_role's", creds.AccessKeyID)
	}
	sts.expectCall(t, "AssumeRoleWithWebIdentity", "", nil)
	sts.expectCall(t, "AssumeRole", webIdentityAccessKey, map[string]string{"RoleArn": "arn:aws:iam::210987654321:role/network"})
}

// sts_region is the Region STS calls are signed for, the provider's own
// Region notwithstanding.
func TestLoadAWSConfig_stsRegion(t *testing.T) {
	isolateAWSEnvWith(t, baseKeys)
	sts := newFakeSTS(t)
	s := awsSettings{
		Endpoints:  awsclient.Endpoints{STS: sts.URL, STSRegion: "eu-west-1"},
		AssumeRole: &assumeRoleSettings{roleSession: roleSession{RoleARN: "arn:aws:iam::123456789012:role/engflow"}},
	}
	credentialsFor(t, s)
	cfg, err := loadAWSConfig(context.Background(), awsSettings{Region: "us-east-1", Endpoints: s.Endpoints, AssumeRole: s.AssumeRole}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := awsclient.New(cfg, s.Endpoints, nil).AccountID(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{"AssumeRole", "GetCallerIdentity"} {
		for _, c := range sts.Calls(action) {
			if c.Region != "eu-west-1" {
				t.Errorf("%s signed for %q, want sts_region eu-west-1", action, c.Region)
			}
		}
	}
	if len(sts.Calls("GetCallerIdentity")) != 1 {
		t.Errorf("STS saw %d GetCallerIdentity calls, want 1", len(sts.Calls("GetCallerIdentity")))
	}
}

func TestLoadAWSConfig_webIdentityNeedsRoleAndToken(t *testing.T) {
	missing := "/nonexistent/engflow/token"
	for _, tc := range []struct {
		name string
		w    webIdentitySettings
		env  map[string]string
		want []string
	}{
		{"no role", webIdentitySettings{Token: ciToken}, nil,
			[]string{"needs a role ARN", "role_arn", "AWS_ROLE_ARN"}},
		{"no token", webIdentitySettings{roleSession: roleSession{RoleARN: webRoleARN}}, nil,
			[]string{"needs a token", "web_identity_token", "AWS_WEB_IDENTITY_TOKEN_FILE"}},
		{"token file missing", webIdentitySettings{roleSession: roleSession{RoleARN: webRoleARN}, TokenFile: missing}, nil,
			[]string{"Cannot read the web identity token", "web_identity_token_file names " + missing}},
		{"environment's token file missing", webIdentitySettings{roleSession: roleSession{RoleARN: webRoleARN}},
			map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": missing},
			[]string{"Cannot read the web identity token", "AWS_WEB_IDENTITY_TOKEN_FILE names " + missing}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			isolateAWSEnvWith(t, tc.env)
			_, err := loadAWSConfig(context.Background(), awsSettings{Region: "us-east-1", WebIdentity: &tc.w}, "test")
			expectConfigError(t, err, tc.want...)
		})
	}
}

// expectConfigError checks that err is a configError whose summary and
// detail hold each phrase.
func expectConfigError(t *testing.T, err error, phrases ...string) {
	t.Helper()
	var ce *configError
	if !errors.As(err, &ce) {
		t.Fatalf("error = %v, want a configError", err)
	}
	for _, p := range phrases {
		if !strings.Contains(ce.Summary+"\n"+ce.Detail, p) {
			t.Errorf("error does not say %q:\n%s\n%s", p, ce.Summary, ce.Detail)
		}
	}
}
