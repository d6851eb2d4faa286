package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/engflow/terraform-provider-engflow/internal/awsregion"
)

// The shapes of names and IDs are the framework's RegexMatches: its error
// reads "Attribute <argument> must be <mustBe>, got: <value>", so each
// mustBe says what to write instead.

func regionName() validator.String {
	return stringvalidator.RegexMatches(awsregion.Pattern, `must be an AWS Region's code, such as "us-east-1" or "eu-central-1" `+
		`(the same Region as in the EngFlow service name com.amazonaws.vpce.<region>.vpce-svc-...)`)
}

var roleARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$`)

func roleARN() validator.String {
	return stringvalidator.RegexMatches(roleARNPattern, "must be an IAM role ARN of the form arn:aws:iam::123456789012:role/NAME")
}

var accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)

func accountID() validator.String {
	return stringvalidator.RegexMatches(accountIDPattern, `must be an AWS account ID: write the account's 12 digits, `+
		`such as "123456789012" (keep leading zeros; it is a string, not a number)`)
}

// policyARNPattern is arn:<partition>:iam:<region>:<account>:policy/...,
// read as aws-sdk-go-v2's arn.Parse reads an ARN (sections split at ":",
// the resource takes the rest).
var policyARNPattern = regexp.MustCompile(`^arn:[^:]*:iam:[^:]*:[^:]*:policy/`)

func policyARN() validator.String {
	return stringvalidator.RegexMatches(policyARNPattern, "must be an IAM policy ARN of the form "+
		"arn:aws:iam::aws:policy/NAME (AWS managed) or arn:aws:iam::123456789012:policy/NAME")
}

// stsNamePattern is what STS accepts as a session name or source identity.
var stsNamePattern = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

func stsName() validator.String {
	return stringvalidator.RegexMatches(stsNamePattern, "must be what STS takes: 2 to 64 letters, digits and "+
		"the characters _+=,.@- (no spaces or slashes)")
}

// stringCheck is a validator built from one function that describes what is
// wrong with a value, or returns "" when nothing is; null and unknown
// values are skipped. Written by hand because the framework's validators
// cannot parse a value (a duration, a URL, JSON) and RegexMatches repeats
// the value in its error, which a proxy URL's password must never be.
// summary is the error's whole summary, written out here because the
// troubleshooting guide's test reads it; it doubles as the description.
type stringCheck struct {
	summary string
	problem func(string) string
}

func (c stringCheck) Description(context.Context) string         { return c.summary }
func (c stringCheck) MarkdownDescription(context.Context) string { return c.summary }

func (c stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if p := c.problem(req.ConfigValue.ValueString()); p != "" {
		resp.Diagnostics.AddAttributeError(req.Path, c.summary, p)
	}
}

// STS accepts 15 minutes up to 12 hours (the role's maximum session duration
// may be lower; STS then says so).
const (
	minAssumeRoleDuration = 15 * time.Minute
	maxAssumeRoleDuration = 12 * time.Hour
)

func roleSessionDuration() validator.String {
	return stringCheck{
		summary: "Invalid role session duration",
		problem: func(v string) string {
			d, err := time.ParseDuration(v)
			if err != nil {
				return fmt.Sprintf("%q is not a duration. Write it like \"1h\", \"45m\" or \"1h30m\".", v)
			}
			if d < minAssumeRoleDuration || d > maxAssumeRoleDuration {
				return fmt.Sprintf("%q is outside what STS accepts: use a duration from 15m to 12h.", v)
			}
			return ""
		},
	}
}

func endpointURL() validator.String {
	return stringCheck{
		summary: "Invalid endpoint URL",
		problem: func(v string) string {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return fmt.Sprintf("%q is not an endpoint URL. Give scheme and host, such as "+
					"\"https://ec2.us-east-1.amazonaws.com\" or \"http://127.0.0.1:4566\".", v)
			}
			return ""
		},
	}
}

// proxySchemes are those Go's HTTP transport can speak to a proxy.
var proxySchemes = []string{"http", "https", "socks5", "socks5h"}

// proxyURL accepts "" (no proxy, overriding the environment). Its messages
// never repeat the value: a proxy URL may hold a password.
func proxyURL() validator.String {
	return stringCheck{
		summary: "Invalid proxy URL",
		problem: func(v string) string {
			if v == "" {
				return ""
			}
			u, err := url.Parse(v)
			if err != nil || u.Host == "" || !slices.Contains(proxySchemes, u.Scheme) {
				return "The value is not a proxy URL. Give scheme, host and port, such as \"http://proxy.example.com:3128\" " +
					"(schemes: " + strings.Join(proxySchemes, ", ") + "), or \"\" for no proxy."
			}
			return ""
		},
	}
}

func policyJSON() validator.String {
	return stringCheck{
		summary: "Invalid IAM policy",
		problem: func(v string) string {
			var doc map[string]any
			if err := json.Unmarshal([]byte(v), &doc); err != nil {
				return fmt.Sprintf("The policy is not a JSON object (%s). Write it with jsonencode({ Version = \"2012-10-17\", "+
					"Statement = [...] }) or the aws_iam_policy_document data source's json.", err)
			}
			return ""
		},
	}
}
