package acctest

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestDomain is a domain that never resolves (RFC 2606). Tests give the
// provider endpoints under it, such as http://ec2.emulator.test:<port>,
// because Go never proxies calls to loopback addresses or localhost: only
// a proxy can reach such an endpoint, and ForwardProxy maps every host
// under it to 127.0.0.1.
const TestDomain = "emulator.test"

// ForwardProxy is an HTTP forward proxy on 127.0.0.1, as a corporate
// network puts between CI runners and AWS: it serves absolute-URI requests
// (http:// endpoints) and CONNECT tunnels (https:// endpoints) to hosts
// under TestDomain, on the same port of 127.0.0.1, and counts both.
type ForwardProxy struct {
	URL string

	requests, tunnels atomic.Int64
	server            *http.Server
	forward           *httputil.ReverseProxy

	mu     sync.Mutex
	hijack []net.Conn
}

// NewForwardProxy starts a forward proxy for one test and stops it, and
// every tunnel through it, when the test ends.
func NewForwardProxy(t testing.TB) *ForwardProxy {
	t.Helper()
	p := &ForwardProxy{}
	// A forward proxy passes the absolute URI on as it came; the
	// transport's dialer does the mapping to 127.0.0.1.
	p.forward = &httputil.ReverseProxy{
		Rewrite:   func(*httputil.ProxyRequest) {},
		Transport: &http.Transport{DialContext: p.dial},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.URL = "http://" + ln.Addr().String()
	p.server = &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.server.Serve(ln) }()
	t.Cleanup(p.close)
	return p
}

// Requests counts the absolute-URI requests served, Tunnels the CONNECT
// tunnels opened (one tunnel carries many HTTPS requests).
func (p *ForwardProxy) Requests() int64 { return p.requests.Load() }
func (p *ForwardProxy) Tunnels() int64  { return p.tunnels.Load() }

func (p *ForwardProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodConnect:
		p.tunnels.Add(1)
		p.tunnel(w, r)
	case r.URL.IsAbs():
		p.requests.Add(1)
		p.forward.ServeHTTP(w, r)
	default:
		http.Error(w, "forward proxy: send absolute-URI requests or CONNECT", http.StatusBadRequest)
	}
}

func (p *ForwardProxy) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(host, "."+TestDomain) {
		return nil, fmt.Errorf("forward proxy: %s is not under %s", host, TestDomain)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
}

// tunnel joins the client to the target for CONNECT, which the standard
// library serves no handler for.
func (p *ForwardProxy) tunnel(w http.ResponseWriter, r *http.Request) {
	upstream, err := p.dial(r.Context(), "tcp", r.Host)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	client, buffered, err := http.NewResponseController(w).Hijack()
	if err != nil {
		upstream.Close()
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	p.mu.Lock()
	p.hijack = append(p.hijack, client, upstream)
	p.mu.Unlock()
	if _, err := io.WriteString(client, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		client.Close()
		upstream.Close()
		return
	}
	// buffered holds whatever the client sent right after its CONNECT.
	go pipe(upstream, buffered.Reader, client)
	go pipe(client, upstream, upstream)
}

// pipe copies until either side ends, then closes both directions.
func pipe(dst net.Conn, src io.Reader, srcConn net.Conn) {
	_, _ = io.Copy(dst, src)
	dst.Close()
	srcConn.Close()
}

func (p *ForwardProxy) close() {
	_ = p.server.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.hijack {
		c.Close()
	}
}
