package acctest

import (
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/engflow/terraform-provider-engflow/internal/testcert"
)

// TLSFront serves the emulator over HTTPS on 127.0.0.1, with a certificate
// of its own for 127.0.0.1 and every host under TestDomain that no system
// trusts: only a client given CABundle (custom_ca_bundle, AWS_CA_BUNDLE)
// can call it.
type TLSFront struct {
	// Port is the front's port, for endpoints such as
	// https://ec2.emulator.test:<Port> or https://127.0.0.1:<Port>.
	Port string
	// CABundle is the path of a PEM file with the front's certificate.
	CABundle string

	requests atomic.Int64
}

// NewTLSFront starts a TLS front of the running emulator for one test and
// stops it when the test ends.
func NewTLSFront(t testing.TB) *TLSFront {
	t.Helper()
	if running == nil {
		t.Fatal("the TLS front needs the local EC2 emulator (acctest.RunTests, TF_ACC=1)")
	}
	target, err := url.Parse(running.URL)
	if err != nil {
		t.Fatal(err)
	}
	cert, certPEM := testcert.New(t, "*."+TestDomain)
	f := &TLSFront{CABundle: filepath.Join(t.TempDir(), "ca-bundle.pem")}
	if err := os.WriteFile(f.CABundle, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	forward := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(target) }}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.requests.Add(1)
		forward.ServeHTTP(w, r)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	_, f.Port, _ = net.SplitHostPort(srv.Listener.Addr().String())
	return f
}

// Requests counts the HTTPS requests the front served.
func (f *TLSFront) Requests() int64 { return f.requests.Load() }
