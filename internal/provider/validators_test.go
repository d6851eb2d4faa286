package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestStringValidators(t *testing.T) {
	for _, tc := range []struct {
		name      string
		validator validator.String
		good, bad []string
	}{
		{"region", regionName(),
			[]string{"us-east-1", "eu-central-1", "us-gov-west-1", "cn-north-1", "ap-southeast-5", "eu-isoe-west-1"},
			[]string{"us-east", "US-EAST-1", "useast1", "us-east-1a", " us-east-1", ""}},
		{"role ARN", roleARN(),
			[]string{"arn:aws:iam::123456789012:role/engflow", "arn:aws-us-gov:iam::123456789012:role/path/r"},
			[]string{"engflow", "arn:aws:iam::123:role/x", "arn:aws:iam::123456789012:user/x"}},
		{"duration", roleSessionDuration(),
			[]string{"15m", "1h", "12h", "1h30m"},
			[]string{"2d", "10m", "13h", "soon"}},
		{"account ID", accountID(),
			[]string{"123456789012", "012345678901"},
			[]string{"12345678901", "1234567890123", "12345678901a", " 123456789012", ""}},
		{"proxy URL", proxyURL(),
			[]string{"", "http://proxy.example.com:3128", "https://user:pass@proxy:443", "socks5://127.0.0.1:1080"},
			[]string{"proxy.example.com:3128", "ftp://proxy", "http://", "http//proxy"}},
		{"policy", policyJSON(),
			[]string{`{"Version":"2012-10-17","Statement":[]}`, `{}`},
			[]string{`{"Version":`, `[]`, `"x"`, ``, `Version = "2012-10-17"`}},
		{"policy ARN", policyARN(),
			[]string{"arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws-us-gov:iam::123456789012:policy/path/p"},
			[]string{"ReadOnlyAccess", "arn:aws:iam::123456789012:role/r", "arn:aws:s3:::policy/x"}},
		{"STS name", stsName("session_name"),
			[]string{"ci", "gha-run_42@org.example", "a+b=c,d"},
			[]string{"x", "has space", "a/b", strings.Repeat("a", 65)}},
		{"endpoint URL", endpointURL(),
			[]string{"https://ec2.us-east-1.amazonaws.com", "http://127.0.0.1:4566"},
			[]string{"localhost:4566", "ec2.amazonaws.com", "ftp://host", "http://"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check := func(v string) bool {
				resp := &validator.StringResponse{}
				tc.validator.ValidateString(context.Background(), validator.StringRequest{
					Path: path.Root("x"), ConfigValue: types.StringValue(v),
				}, resp)
				return !resp.Diagnostics.HasError()
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
