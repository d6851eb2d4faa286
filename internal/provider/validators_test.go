package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestStringValidators(t *testing.T) {
	for _, tc := range []struct {
		name      string
		validator validator.String
		good, bad []string
		says      []string // phrases the error for bad[0] holds, in order: what is wrong and what to write
	}{
		{"region", regionName(),
			[]string{"us-east-1", "eu-central-1", "us-gov-west-1", "cn-north-1", "ap-southeast-5", "eu-isoe-west-1"},
			[]string{"us-east", "US-EAST-1", "useast1", "us-east-1a", " us-east-1", ""},
			[]string{"x must be an AWS Region's code", `"us-east-1"`, "got: us-east"}},
		{"role ARN", roleARN(),
			[]string{"arn:aws:iam::123456789012:role/engflow", "arn:aws-us-gov:iam::123456789012:role/path/r"},
			[]string{"engflow", "arn:aws:iam::123:role/x", "arn:aws:iam::123456789012:user/x"},
			[]string{"x must be an IAM role ARN", "arn:aws:iam::123456789012:role/NAME", "got: engflow"}},
		{"duration", roleSessionDuration(),
			[]string{"15m", "1h", "12h", "1h30m"},
			[]string{"2d", "10m", "13h", "soon"},
			[]string{`"2d" is not a duration`, `"1h30m"`}},
		{"account ID", accountID(),
			[]string{"123456789012", "012345678901"},
			[]string{"12345678901", "1234567890123", "12345678901a", " 123456789012", ""},
			[]string{"x must be an AWS account ID", "12 digits", "got: 12345678901"}},
		{"proxy URL", proxyURL(),
			[]string{"", "http://proxy.example.com:3128", "https://user:pass@proxy:443", "socks5://127.0.0.1:1080"},
			[]string{"proxy.example.com:3128", "ftp://proxy", "http://", "http//proxy"},
			[]string{"not a proxy URL", `"http://proxy.example.com:3128"`}},
		{"policy", policyJSON(),
			[]string{`{"Version":"2012-10-17","Statement":[]}`, `{}`},
			[]string{`{"Version":`, `[]`, `"x"`, ``, `Version = "2012-10-17"`},
			[]string{"not a JSON object", "jsonencode"}},
		{"policy ARN", policyARN(),
			[]string{"arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws-us-gov:iam::123456789012:policy/path/p"},
			[]string{"ReadOnlyAccess", "arn:aws:iam::123456789012:role/r", "arn:aws:s3:::policy/x", "arn:aws:iam::aws:policy",
				"arn:aws:iam::123456789012:user/policy/p", "iam::aws:policy/ReadOnlyAccess"},
			[]string{"x must be an IAM policy ARN", "arn:aws:iam::aws:policy/NAME", "got: ReadOnlyAccess"}},
		{"STS name", stsName(),
			[]string{"ci", "gha-run_42@org.example", "a+b=c,d", strings.Repeat("a", 64)},
			[]string{"has space", "x", "a/b", strings.Repeat("a", 65)},
			[]string{"x must be what STS takes", "no spaces", "got: has space"}},
		{"endpoint URL", endpointURL(),
			[]string{"https://ec2.us-east-1.amazonaws.com", "http://127.0.0.1:4566"},
			[]string{"localhost:4566", "ec2.amazonaws.com", "ftp://host", "http://"},
			[]string{`"localhost:4566" is not an endpoint URL`, `"https://ec2.us-east-1.amazonaws.com"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check := func(v string) bool {
				resp := &validator.StringResponse{}
				tc.validator.ValidateString(context.Background(), validator.StringRequest{
					Path: path.Root("x"), ConfigValue: types.StringValue(v),
				}, resp)
				return !resp.Diagnostics.HasError()
			}
			resp := &validator.StringResponse{}
			tc.validator.ValidateString(context.Background(), validator.StringRequest{
				Path: path.Root("x"), ConfigValue: types.StringValue(tc.bad[0]),
			}, resp)
			if msg := diagText(resp.Diagnostics); !saysInOrder(msg, tc.says) {
				t.Errorf("error for %q is\n%s\nwant it to say, in order: %q", tc.bad[0], msg, tc.says)
			}
			for _, v := range tc.good {
				if !check(v) {
					t.Errorf("%q refused, want accepted", v)
				}
			}
			for _, v := range tc.bad {
				if check(v) {
					t.Errorf("%q accepted, want refused", v)
				}
			}
			for _, v := range []types.String{types.StringNull(), types.StringUnknown()} {
				resp := &validator.StringResponse{}
				tc.validator.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: v}, resp)
				if resp.Diagnostics.HasError() {
					t.Errorf("%s value refused; it must be left for later", v)
				}
			}
		})
	}
}

func diagText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Summary() + "\n" + d.Detail() + "\n")
	}
	return b.String()
}

// saysInOrder reports whether text holds each phrase, one after the other.
func saysInOrder(text string, phrases []string) bool {
	for _, p := range phrases {
		_, rest, ok := strings.Cut(text, p)
		if !ok {
			return false
		}
		text = rest
	}
	return true
}
