package privatelink

import (
	"fmt"
	"strings"
	"testing"
)

// The seeds run as ordinary tests with `go test`; `go test -fuzz
// FuzzParseServiceName ./internal/privatelink` explores further.
func FuzzParseServiceName(f *testing.F) {
	for _, seed := range []string{
		"com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
		"com.amazonaws.vpce.us-gov-west-1.vpce-svc-01234567",
		"com.amazonaws.vpce.us-east-1.vpce-svc-0123456789ABCDEF0",
		"com.amazonaws.us-east-1.s3",
		"com.amazonaws.vpce..vpce-svc-0123456789abcdef0",
		"com.amazonaws.vpce.us-east-1.vpce-svc-",
		"",
		"com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		parsed, err := parseServiceName(name)
		if err != nil {
			if !strings.Contains(err.Error(), "com.amazonaws.vpce.<region>.vpce-svc-") {
				t.Errorf("error for %q does not show the expected form: %v", name, err)
			}
			return
		}
		// Whatever parses must rebuild to exactly the input.
		if rebuilt := fmt.Sprintf("com.amazonaws.vpce.%s.%s", parsed.Region, parsed.ServiceID); rebuilt != name {
			t.Errorf("%q parsed as %+v, which rebuilds to %q", name, parsed, rebuilt)
		}
		if !strings.HasPrefix(parsed.ServiceID, "vpce-svc-") || strings.ContainsAny(parsed.Region, ". \n") {
			t.Errorf("%q parsed as %+v", name, parsed)
		}
	})
}

func FuzzParseImportID(f *testing.F) {
	for _, seed := range []string{"vpce-0123456789abcdef0", " vpce-0123456789abcdef0\n", "vpce-01234567", "vpce-0123456789ABCDEF0",
		"vpc-0123456789abcdef0", "vpce-", "", "vpce-0123456789abcdef01", "vpce-0123456789abcdef0@us-west-2",
		"vpce-0123456789abcdef0@", "vpce-0123456789abcdef0@US-WEST-2", "vpce-0123456789abcdef0@us-west-2@eu-west-1"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		id, region, err := parseImportID(raw)
		if err != nil {
			if !strings.Contains(err.Error(), "terraform import") {
				t.Errorf("error for %q does not show how to import: %v", raw, err)
			}
			return
		}
		if want := strings.TrimSpace(raw); id+map[bool]string{true: "@" + region}[region != ""] != want || !endpointID.valid(id) {
			t.Errorf("%q accepted as %q in Region %q", raw, id, region)
		}
		if region != "" && !regionPattern.MatchString(region) {
			t.Errorf("%q accepted with Region %q", raw, region)
		}
	})
}
