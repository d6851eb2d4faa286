package acctest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// FaultProxy stands between the provider and the emulator, on 127.0.0.1,
// and does to EC2 and Route 53 calls what busy accounts and flaky networks
// do: throttle them, fail them, slow them, reset the connection, or carry a
// call out and lose its answer; and, to Route 53 calls, what a hosted zone
// still busy with an earlier change does (see FaultKind). Calls of other
// services (STS) pass unharmed. Every fault lands in the emulator's request
// log with its kind in APIRequest.Fault: on the call itself when it reached
// the emulator, else as an entry of its own.
type FaultProxy struct {
	URL string

	emu     *Emulator
	plan    *faultPlan
	seed    uint64
	server  *http.Server
	forward *httputil.ReverseProxy

	captureMu sync.Mutex
	capture   map[string][][]byte
}

// faultHeader tells the emulator which fault a call it serves is part of.
const faultHeader = "X-Emulator-Fault"

// StartFaultProxy serves on a free loopback port in front of emu. The
// seed drives the rules' random decisions; 0 takes ENGFLOW_EMULATOR_SEED
// or the clock.
func StartFaultProxy(emu *Emulator, seed uint64, rules ...FaultRule) (*FaultProxy, error) {
	target, err := url.Parse(emu.URL)
	if err != nil {
		return nil, err
	}
	if seed == 0 {
		seed = faultSeed()
	}
	p := &FaultProxy{emu: emu, plan: newFaultPlan(seed), seed: seed, capture: map[string][][]byte{}}
	if err := p.plan.set(rules); err != nil {
		return nil, err
	}
	p.forward = &httputil.ReverseProxy{
		Rewrite:        func(r *httputil.ProxyRequest) { r.SetURL(target) },
		ModifyResponse: p.keepAnswer,
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p.URL = "http://" + ln.Addr().String()
	p.server = &http.Server{Handler: http.HandlerFunc(p.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.server.Serve(ln) }()
	return p, nil
}

// NewFaultProxy starts a fault proxy in front of the running emulator for
// one test, prints its seed, and stops it when the test ends.
func NewFaultProxy(t testing.TB, rules ...FaultRule) *FaultProxy {
	t.Helper()
	if running == nil {
		t.Fatal("the fault proxy needs the local EC2 emulator (acctest.RunTests, TF_ACC=1)")
	}
	p, err := StartFaultProxy(running, 0, rules...)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fault proxy %s in front of the emulator, seed %d", p.URL, p.seed)
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func faultSeed() uint64 {
	if s, err := strconv.ParseUint(strings.TrimSpace(os.Getenv(EnvEmulatorSeed)), 10, 64); err == nil && s > 0 {
		return s
	}
	return uint64(time.Now().UnixNano())
}

// SetRules replaces the rules, and forgets their counts, e.g. between the
// steps of a test.
func (p *FaultProxy) SetRules(rules ...FaultRule) error { return p.plan.set(rules) }

// Injected lists the faults injected so far.
func (p *FaultProxy) Injected() []InjectedFault { return p.plan.report() }

// Capture keeps the answers of action (e.g. AssumeRole) from now on.
func (p *FaultProxy) Capture(action string) {
	p.captureMu.Lock()
	defer p.captureMu.Unlock()
	if _, ok := p.capture[action]; !ok {
		p.capture[action] = nil
	}
}

// Captured returns the kept answers of action.
func (p *FaultProxy) Captured(action string) [][]byte {
	p.captureMu.Lock()
	defer p.captureMu.Unlock()
	return append([][]byte(nil), p.capture[action]...)
}

// Close stops the proxy and drops its connections.
func (p *FaultProxy) Close() error { return p.server.Close() }

// Env points the AWS SDK of a terraform run at the proxy, for EC2, STS
// and Route 53.
func (p *FaultProxy) Env() []string {
	return []string{"AWS_ENDPOINT_URL=" + p.URL, "AWS_ENDPOINT_URL_EC2=" + p.URL, "AWS_ENDPOINT_URL_STS=" + p.URL,
		"AWS_ENDPOINT_URL_ROUTE_53=" + p.URL}
}

// call is what the proxy knows of one request. form is what the emulator
// logs its parameters from: the form body of a query-protocol call (EC2,
// STS), the query string of a Route 53 call.
type call struct {
	service, action, form, userAgent string
	params                           url.Values
	started                          time.Time
}

// SigV4 scope: Credential=AKID/20240101/us-east-1/ec2/aws4_request -> "ec2".
var scopeService = regexp.MustCompile(`Credential=[^/,\s]+/\d{8}/[^/]+/([^/]+)/aws4_request`)

func (p *FaultProxy) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c := call{userAgent: r.UserAgent(), started: time.Now()}
	if m := scopeService.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		c.service = m[1]
	}
	if c.service == ServiceRoute53 {
		c.form = r.URL.RawQuery
		c.action, c.params = route53Call(r.Method, r.URL)
	} else {
		c.form = string(body)
		c.params, _ = url.ParseQuery(c.form)
		c.action = firstValue(c.params, "Action")
	}
	c.params.Set(OncePerCall, callDigest(r, body))

	r = r.WithContext(context.WithValue(r.Context(), actionKey{}, c.action))
	r.Body = io.NopCloser(bytes.NewReader(body))
	rule, fire := FaultRule{}, false
	if c.service == ServiceEC2 || c.service == ServiceRoute53 {
		rule, fire = p.plan.decideFor(c.service, c.action, c.params)
	}
	if !fire {
		p.forward.ServeHTTP(w, r)
		return
	}
	switch rule.Fault {
	case FaultThrottle:
		if c.service == ServiceRoute53 {
			p.record(c, rule.Fault, http.StatusBadRequest, route53ThrottleCode)
			writeRoute53Error(w, http.StatusBadRequest, route53ThrottleCode, route53ThrottleMessage)
			return
		}
		p.record(c, rule.Fault, http.StatusServiceUnavailable, "RequestLimitExceeded")
		writeEC2Error(w, http.StatusServiceUnavailable, "RequestLimitExceeded", "Request limit exceeded.")
	case FaultPriorRequestNotComplete: // Route 53 only (FaultRule.validate)
		p.record(c, rule.Fault, http.StatusBadRequest, route53PriorCode)
		writeRoute53Error(w, http.StatusBadRequest, route53PriorCode, route53PriorMessage)
	case FaultInternalError: // EC2 only (FaultRule.validate)
		p.record(c, rule.Fault, http.StatusInternalServerError, "InternalError")
		writeEC2Error(w, http.StatusInternalServerError, "InternalError", "An internal error has occurred.")
	case FaultDeny: // EC2 only (FaultRule.validate)
		p.record(c, rule.Fault, http.StatusForbidden, "UnauthorizedOperation")
		writeEC2Error(w, http.StatusForbidden, "UnauthorizedOperation",
			"You are not authorized to perform this operation. Encoded authorization failure message: "+encodedDenial)
	case FaultReset:
		p.record(c, rule.Fault, 0, "")
		resetConnection(w)
	case FaultLatency:
		select {
		case <-time.After(rule.Latency):
		case <-r.Context().Done():
			return
		}
		r.Header.Set(faultHeader, fmt.Sprintf("%s %s", rule.Fault, rule.Latency))
		p.forward.ServeHTTP(w, r)
	case FaultLoseAnswer:
		r.Header.Set(faultHeader, string(rule.Fault))
		p.forward.ServeHTTP(httptest.NewRecorder(), r) // carried out; the answer goes nowhere
		resetConnection(w)
	}
}

// callDigest identifies a call as its retries send it again: method, path,
// query and body (the signature and the SDK's attempt headers differ from
// one attempt to the next, so headers are left out). For OncePerCall.
func callDigest(r *http.Request, body []byte) string {
	sum := sha256.Sum256(body)
	return r.Method + " " + r.URL.RequestURI() + " " + hex.EncodeToString(sum[:])
}

// actionKey carries a call's action to keepAnswer through the request context.
type actionKey struct{}

// keepAnswer keeps the answer of a captured action.
func (p *FaultProxy) keepAnswer(resp *http.Response) error {
	action, _ := resp.Request.Context().Value(actionKey{}).(string)
	p.captureMu.Lock()
	_, wanted := p.capture[action]
	p.captureMu.Unlock()
	if !wanted {
		return nil
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	p.captureMu.Lock()
	p.capture[action] = append(p.capture[action], data)
	p.captureMu.Unlock()
	return nil
}

// record puts a call the proxy answered or dropped itself in the
// emulator's request log. The log is how tests count calls; a failure to
// record is printed, not fatal to the call.
func (p *FaultProxy) record(c call, fault FaultKind, status int, code string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	entry := map[string]any{
		"service": c.service, "action": c.action, "form": c.form, "status": status, "error_code": code,
		"fault": string(fault), "user_agent": c.userAgent, "time": float64(c.started.UnixNano()) / 1e9,
	}
	if err := p.emu.control(ctx, http.MethodPost, "/_emulator/requests/record", entry, nil); err != nil {
		fmt.Fprintf(os.Stderr, "fault proxy: recording a %s fault of %s: %v\n", fault, c.action, err)
	}
}

// encodedDenial stands for the opaque, encoded explanation EC2 attaches to
// UnauthorizedOperation (readable only with sts:DecodeAuthorizationMessage).
const encodedDenial = "fp3Qx0c4Hn-EnGfLoWFaULt2dN1yR8s_vBq7ZkOiTmJwA5uYhXe6rP9gDS0lCVtb"

// writeEC2Error answers as EC2 does: <Response><Errors><Error>...
func writeEC2Error(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>fault-proxy-%d</RequestID></Response>`,
		code, message, time.Now().UnixNano())
}

// resetConnection drops the client's connection with a TCP reset, as a
// middlebox or a dying host does; the client sees "connection reset by
// peer" (or EOF) and no answer.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // net/http closes the connection
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // close with RST, not FIN
	}
	_ = conn.Close()
}
