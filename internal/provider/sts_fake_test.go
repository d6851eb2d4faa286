package provider

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sync"
	"testing"
	"time"
)

// Access keys the fake STS hands out, by action.
const (
	assumedAccessKey     = "AKIDASSUMEDROLE"
	webIdentityAccessKey = "AKIDWEBIDENTITY"
	assumedSecretKey     = "fake-sts-secret/0123456789"
	assumedSessionToken  = "fake-sts-session-token/abcdefghij"
)

// fakeSTS answers AssumeRole, AssumeRoleWithWebIdentity and
// GetCallerIdentity on 127.0.0.1 and records every call, so that tests
// assert on what the provider sent.
type fakeSTS struct {
	URL     string
	Account string // GetCallerIdentity's answer

	mu    sync.Mutex
	calls []stsCall
}

// stsCall is one request as the fake STS saw it.
type stsCall struct {
	Action string
	Params url.Values
	// Signer is the access key that signed the call, "" if unsigned;
	// Region the Region of its signature.
	Signer, Region string
}

var sigV4Scope = regexp.MustCompile(`Credential=([^/]+)/\d{8}/([^/]+)/sts/`)

func newFakeSTS(t *testing.T) *fakeSTS {
	t.Helper()
	f := &fakeSTS{Account: "123456789012"}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

func (f *fakeSTS) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	params, _ := url.ParseQuery(string(body))
	c := stsCall{Action: params.Get("Action"), Params: params}
	if m := sigV4Scope.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		c.Signer, c.Region = m[1], m[2]
	}
	f.mu.Lock()
	f.calls = append(f.calls, c)
	f.mu.Unlock()

	expires := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	creds := func(key string) string {
		return fmt.Sprintf(`<Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey>`+
			`<SessionToken>%s</SessionToken><Expiration>%s</Expiration></Credentials>`, key, assumedSecretKey, assumedSessionToken, expires)
	}
	w.Header().Set("Content-Type", "text/xml")
	switch c.Action {
	case "AssumeRole", "AssumeRoleWithWebIdentity":
		key := assumedAccessKey
		if c.Action == "AssumeRoleWithWebIdentity" {
			key = webIdentityAccessKey
		}
		fmt.Fprintf(w, `<%[1]sResponse><%[1]sResult>%s<AssumedRoleUser><Arn>arn:aws:sts::%s:assumed-role/r/s</Arn>`+
			`<AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser></%[1]sResult></%[1]sResponse>`, c.Action, creds(key), f.Account)
	case "GetCallerIdentity":
		fmt.Fprintf(w, `<GetCallerIdentityResponse><GetCallerIdentityResult><Account>%s</Account>`+
			`<Arn>arn:aws:iam::%[1]s:user/ci</Arn><UserId>AIDA</UserId></GetCallerIdentityResult></GetCallerIdentityResponse>`, f.Account)
	default:
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `<ErrorResponse><Error><Code>InvalidAction</Code><Message>%s</Message></Error></ErrorResponse>`, c.Action)
	}
}

// Calls returns the calls of one action, in order.
func (f *fakeSTS) Calls(action string) []stsCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []stsCall
	for _, c := range f.calls {
		if c.Action == action {
			out = append(out, c)
		}
	}
	return out
}

// only returns the one call of action, failing the test otherwise.
func (f *fakeSTS) only(t *testing.T, action string) stsCall {
	t.Helper()
	calls := f.Calls(action)
	if len(calls) != 1 {
		t.Fatalf("STS received %d %s calls, want 1", len(calls), action)
	}
	return calls[0]
}

// expectCall checks the one call of action: who signed it ("" for
// unsigned) and its form parameters.
func (f *fakeSTS) expectCall(t *testing.T, action, signer string, params map[string]string) {
	t.Helper()
	c := f.only(t, action)
	if c.Signer != signer {
		t.Errorf("%s signed by %q, want %q", action, c.Signer, signer)
	}
	expectParams(t, c, params)
}

// expectParams checks the form parameters of a call.
func expectParams(t *testing.T, c stsCall, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got := c.Params.Get(k); got != v {
			t.Errorf("%s sent %s=%q, want %q", c.Action, k, got, v)
		}
	}
}
