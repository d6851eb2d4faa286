package provider

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"

	"github.com/engflow/terraform-provider-engflow/internal/acctest/testfile"
	"github.com/engflow/terraform-provider-engflow/internal/testcert"
)

func ptr(s string) *string { return &s }

// proxiesOf returns the proxy the client picks for an http:// and an
// https:// AWS endpoint ("" for none).
func proxiesOf(t *testing.T, n networkSettings) (httpProxy, httpsProxy string) {
	t.Helper()
	client, _, err := newHTTPClient(n)
	if err != nil {
		t.Fatal(err)
	}
	tr := client.GetTransport()
	pick := func(u string) string {
		req, _ := http.NewRequest(http.MethodPost, u, nil)
		p, err := tr.Proxy(req)
		if err != nil {
			t.Fatalf("proxy for %s: %v", u, err)
		}
		if p == nil {
			return ""
		}
		return p.String()
	}
	return pick("http://ec2.us-east-1.amazonaws.com/"), pick("https://ec2.us-east-1.amazonaws.com/")
}

// The hashicorp/aws provider's proxy rules: arguments over environment,
// http_proxy for HTTPS too unless an HTTPS proxy (even "") is set,
// no_proxy exempts hosts.
func TestNewHTTPClient_proxies(t *testing.T) {
	const (
		argHTTP  = "http://arg-http.example:3128"
		argHTTPS = "http://arg-https.example:3128"
		envHTTP  = "http://env-http.example:3128"
		envHTTPS = "http://env-https.example:3128"
	)
	for _, tc := range []struct {
		name                string
		n                   networkSettings
		env                 map[string]string
		wantHTTP, wantHTTPS string
		warns               bool
	}{
		{name: "none"},
		{name: "environment only", env: map[string]string{"HTTP_PROXY": envHTTP, "HTTPS_PROXY": envHTTPS},
			wantHTTP: envHTTP, wantHTTPS: envHTTPS},
		{name: "http_proxy serves HTTPS too", n: networkSettings{HTTPProxy: ptr(argHTTP)},
			wantHTTP: argHTTP, wantHTTPS: argHTTP, warns: true},
		{name: "https_proxy empty: HTTPS direct", n: networkSettings{HTTPProxy: ptr(argHTTP), HTTPSProxy: ptr("")},
			env: map[string]string{"HTTPS_PROXY": envHTTPS}, wantHTTP: argHTTP},
		{name: "HTTPS_PROXY keeps HTTPS", n: networkSettings{HTTPProxy: ptr(argHTTP)},
			env: map[string]string{"HTTPS_PROXY": envHTTPS}, wantHTTP: argHTTP, wantHTTPS: envHTTPS},
		{name: "arguments beat environment", n: networkSettings{HTTPProxy: ptr(argHTTP), HTTPSProxy: ptr(argHTTPS)},
			env: map[string]string{"HTTP_PROXY": envHTTP, "HTTPS_PROXY": envHTTPS}, wantHTTP: argHTTP, wantHTTPS: argHTTPS},
		{name: "http_proxy empty overrides environment", n: networkSettings{HTTPProxy: ptr("")},
			env: map[string]string{"HTTP_PROXY": envHTTP, "HTTPS_PROXY": envHTTPS}, wantHTTPS: envHTTPS},
		{name: "no_proxy", n: networkSettings{HTTPSProxy: ptr(argHTTPS), NoProxy: ".amazonaws.com"}},
		{name: "NO_PROXY", n: networkSettings{HTTPSProxy: ptr(argHTTPS)}, env: map[string]string{"NO_PROXY": "amazonaws.com"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			isolateAWSEnvWith(t, tc.env)
			gotHTTP, gotHTTPS := proxiesOf(t, tc.n)
			if gotHTTP != tc.wantHTTP || gotHTTPS != tc.wantHTTPS {
				t.Errorf("proxies (http, https) = (%q, %q), want (%q, %q)", gotHTTP, gotHTTPS, tc.wantHTTP, tc.wantHTTPS)
			}
			if warning := httpProxyServesHTTPS(tc.n); (warning != "") != tc.warns {
				t.Errorf("warning %q, want one: %v", warning, tc.warns)
			}
		})
	}
}

// tlsServer is a TLS server on 127.0.0.1 whose certificate no system
// trusts, and a PEM file of that certificate.
func tlsServer(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	cert, certPEM := testcert.New(t)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, testfile.Temp(t, "bundle.pem", string(certPEM))
}

func get(t *testing.T, n networkSettings, url string) error {
	t.Helper()
	client, _, err := newHTTPClient(n)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	return err
}

// custom_ca_bundle, else AWS_CA_BUNDLE, is what AWS calls trust.
func TestNewHTTPClient_caBundle(t *testing.T) {
	isolateAWSEnv(t)
	srv, bundle := tlsServer(t)
	if err := get(t, networkSettings{}, srv.URL); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("without a bundle: %v, want a certificate error", err)
	}
	if err := get(t, networkSettings{CABundle: bundle}, srv.URL); err != nil {
		t.Errorf("with custom_ca_bundle: %v", err)
	}
	t.Setenv("AWS_CA_BUNDLE", bundle)
	if err := get(t, networkSettings{}, srv.URL); err != nil {
		t.Errorf("with AWS_CA_BUNDLE: %v", err)
	}
}

// The SDK reads AWS_CA_BUNDLE on its own too: the argument must still win,
// in every service client's copy of the HTTP client.
func TestLoadAWSConfig_caBundleArgumentBeatsEnvironment(t *testing.T) {
	isolateAWSEnv(t)
	srv, bundle := tlsServer(t)
	otherSrv, other := tlsServer(t)
	t.Setenv("AWS_CA_BUNDLE", other)
	cfg, err := loadAWSConfig(context.Background(), awsSettings{Region: "us-east-1", Network: networkSettings{CABundle: bundle}}, "test")
	if err != nil {
		t.Fatal(err)
	}
	call := func(url string) error {
		// As each service client does: a copy with options of its own,
		// which builds its own transport.
		client := cfg.HTTPClient.(*awshttp.BuildableClient).WithTransportOptions(func(*http.Transport) {})
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	for i := range 3 {
		if err := call(srv.URL); err != nil {
			t.Fatalf("client %d: %v", i+1, err)
		}
	}
	if err := call(otherSrv.URL); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("the server AWS_CA_BUNDLE vouches for: %v, want a certificate error (custom_ca_bundle wins)", err)
	}
}

func TestNewHTTPClient_badCABundle(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.pem")
	notPEM := testfile.Temp(t, "not.pem", "just text")
	for _, tc := range []struct {
		name   string
		n      networkSettings
		env    string
		phrase []string
	}{
		{"missing file", networkSettings{CABundle: missing}, "", []string{"Cannot read the CA bundle", "custom_ca_bundle names " + missing}},
		{"missing AWS_CA_BUNDLE file", networkSettings{}, missing, []string{"Cannot read the CA bundle", "AWS_CA_BUNDLE names " + missing}},
		{"a directory", networkSettings{CABundle: t.TempDir()}, "", []string{"Cannot read the CA bundle", "directory"}},
		{"no certificate", networkSettings{CABundle: notPEM}, "", []string{"holds no certificate", notPEM}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			isolateAWSEnv(t)
			t.Setenv("AWS_CA_BUNDLE", tc.env)
			_, _, err := newHTTPClient(tc.n)
			expectConfigError(t, err, tc.phrase...)
		})
	}
}
