package acctest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// answer is one reply of fakeEC2 to DescribeVpcEndpoints: an error code
// (with its HTTP status), else the endpoint in state, else an empty list.
type answer struct {
	status int
	code   string
	state  string
}

var (
	notFound     = answer{status: 400, code: codeEndpointIDNotFound}
	emptyList    = answer{}
	denied       = answer{status: 403, code: "UnauthorizedOperation"}
	serverError  = answer{status: 500, code: "InternalError"}
	throttled    = answer{status: 503, code: "RequestLimitExceeded"}
	vpcNotFound  = answer{status: 400, code: "InvalidVpcID.NotFound"}
	stateAnswer  = func(s string) answer { return answer{status: 200, state: s} }
	available    = stateAnswer("available")
	deleting     = stateAnswer("deleting")
	deletedState = stateAnswer("deleted")
)

// fakeEC2 answers DescribeVpcEndpoints from a script per Region and
// endpoint ID: the n-th call gets the n-th answer, the last one repeats.
// A Region and ID without a script answers NotFound. It is the "could
// not ask" half of CheckDestroy that the emulator cannot be made to show
// on demand: access denied, a server error, throttling past retries.
type fakeEC2 struct {
	mu      sync.Mutex
	scripts map[string][]answer // "region/id" -> answers
	calls   map[string]int
}

var signedRegion = regexp.MustCompile(`Credential=[^/]+/[0-9]+/([a-z0-9-]+)/ec2/aws4_request`)

func (f *fakeEC2) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.Form.Get("Action") != "DescribeVpcEndpoints" {
		http.Error(w, "fakeEC2 answers DescribeVpcEndpoints only", http.StatusBadRequest)
		return
	}
	m := signedRegion.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		http.Error(w, "unsigned request", http.StatusBadRequest)
		return
	}
	id := r.Form.Get("VpcEndpointId.1")
	key := m[1] + "/" + id
	f.mu.Lock()
	script, n := f.scripts[key], f.calls[key]
	f.calls[key]++
	f.mu.Unlock()
	a := notFound
	if len(script) > 0 {
		a = script[min(n, len(script)-1)]
	}
	w.Header().Set("Content-Type", "text/xml")
	switch {
	case a.code != "":
		w.WriteHeader(a.status)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>%s</Code><Message>fake %s for %s</Message></Error></Errors><RequestID>fake</RequestID></Response>`,
			a.code, a.code, id)
	case a.state != "":
		fmt.Fprintf(w, `<DescribeVpcEndpointsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake</requestId><vpcEndpointSet><item><vpcEndpointId>%s</vpcEndpointId><vpcEndpointType>Interface</vpcEndpointType><state>%s</state></item></vpcEndpointSet></DescribeVpcEndpointsResponse>`,
			id, a.state)
	default:
		fmt.Fprint(w, `<DescribeVpcEndpointsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake</requestId><vpcEndpointSet/></DescribeVpcEndpointsResponse>`)
	}
}

func (f *fakeEC2) callsTo(region, id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[region+"/"+id]
}

// newFakeAWS is the fixture's AWS in us-east-1, its EC2 calls answered by
// fake (and not retried: a failed describe fails at once).
func newFakeAWS(t *testing.T, scripts map[string][]answer) (*AWS, *fakeEC2) {
	t.Helper()
	fake := &fakeEC2{scripts: scripts, calls: map[string]int{}}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return newAWS(aws.Config{
		Region:       EmulatorRegion,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDFAKE", "fake-secret", ""),
		BaseEndpoint: aws.String(srv.URL),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}), fake
}

// state is a CheckDestroy state: endpoint resources by address (in the
// root module unless the address starts with module.NAME.), each with its
// ID and region attribute.
func state(endpoints map[string][2]string) *terraform.State {
	s := &terraform.State{Modules: []*terraform.ModuleState{{Path: []string{"root"}, Resources: map[string]*terraform.ResourceState{}}}}
	for addr, idRegion := range endpoints {
		path := []string{"root"}
		key := addr
		if rest, ok := strings.CutPrefix(addr, "module."); ok {
			name, inner, _ := strings.Cut(rest, ".")
			path, key = append(path, name), inner
		}
		var m *terraform.ModuleState
		for _, have := range s.Modules {
			if strings.Join(have.Path, ".") == strings.Join(path, ".") {
				m = have
			}
		}
		if m == nil {
			m = &terraform.ModuleState{Path: path, Resources: map[string]*terraform.ResourceState{}}
			s.Modules = append(s.Modules, m)
		}
		attrs := map[string]string{"id": idRegion[0]}
		if idRegion[1] != "" {
			attrs["region"] = idRegion[1]
		}
		m.Resources[key] = &terraform.ResourceState{
			Type:    EndpointType,
			Primary: &terraform.InstanceState{ID: idRegion[0], Attributes: attrs},
		}
	}
	return s
}

// A describe that failed is "cannot tell", never "destroyed"; only EC2
// saying deleted, or NotFound for a while, is.
func TestCheckEndpointsDestroyed_goneOrCouldNotAsk(t *testing.T) {
	if Target() != TargetEmulator {
		t.Skip("waits notFoundSettle, which is long on real AWS")
	}
	for _, tc := range []struct {
		name    string
		answers []answer
		want    string // "" for destroyed; else a phrase of the error
	}{
		{"access denied", []answer{denied}, "cannot tell whether endpoint vpce-1 is gone: .*UnauthorizedOperation"},
		{"server error", []answer{serverError}, "cannot tell whether endpoint vpce-1 is gone: .*InternalError"},
		{"throttled past retries", []answer{throttled}, "cannot tell whether endpoint vpce-1 is gone: .*RequestLimitExceeded"},
		{"NotFound, then access denied", []answer{notFound, denied}, "cannot tell .*UnauthorizedOperation"},
		{"deleting, then access denied", []answer{deleting, denied}, "cannot tell .*UnauthorizedOperation"},
		{"another resource's NotFound", []answer{vpcNotFound}, "cannot tell .*InvalidVpcID.NotFound"},
		{"still available", []answer{available}, "vpce-1 still exists in state available"},
		{"NotFound, then found again", []answer{notFound, available}, "still exists in state available"},
		{"deleted", []answer{deletedState}, ""},
		{"NotFound for a while", []answer{notFound}, ""},
		{"an empty answer for a while", []answer{emptyList}, ""},
		{"deleting, then deleted", []answer{deleting, deleting, deletedState}, ""},
		{"deleting, then NotFound", []answer{deleting, notFound}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, fake := newFakeAWS(t, map[string][]answer{"us-east-1/vpce-1": tc.answers})
			start := time.Now()
			err := CheckEndpointsDestroyed(a)(state(map[string][2]string{"engflow_privatelink_endpoint.test": {"vpce-1", ""}}))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("CheckDestroy = %v, want nil (destroyed)", err)
				}
				if last := tc.answers[len(tc.answers)-1]; last != deletedState && time.Since(start) < notFoundSettle() {
					t.Errorf("took NotFound for gone after %s, before it persisted for %s", time.Since(start), notFoundSettle())
				}
				return
			}
			if err == nil {
				t.Fatalf("CheckDestroy = nil (destroyed) after %d describes answered %v; want an error matching %q", fake.callsTo("us-east-1", "vpce-1"), tc.answers, tc.want)
			}
			if !regexp.MustCompile(tc.want).MatchString(err.Error()) || !strings.Contains(err.Error(), "engflow_privatelink_endpoint.test") {
				t.Errorf("CheckDestroy = %q, want the address and %q", err, tc.want)
			}
		})
	}
}

// Each endpoint is asked about in the Region of its region attribute (the
// provider's when empty), in any module; data sources are not checked.
func TestCheckEndpointsDestroyed_asksEachEndpointsRegion(t *testing.T) {
	if Target() != TargetEmulator {
		t.Skip("waits notFoundSettle, which is long on real AWS")
	}
	west := EmulatorSecondRegion
	scripts := map[string][]answer{
		"us-east-1/vpce-home":   {deletedState},
		"us-east-1/vpce-remote": {deletedState}, // the wrong Region says gone
		west + "/vpce-remote":   {available},    // its own says it lives
		west + "/vpce-module":   {deletedState},
		"us-east-1/vpce-read":   {available}, // read by a data source only
	}
	a, fake := newFakeAWS(t, scripts)
	s := state(map[string][2]string{
		"engflow_privatelink_endpoint.home":                 {"vpce-home", ""},
		"engflow_privatelink_endpoint.remote":               {"vpce-remote", west},
		"module.engflow.engflow_privatelink_endpoint.other": {"vpce-module", west},
	})
	s.RootModule().Resources["data.engflow_privatelink_endpoint.read"] = &terraform.ResourceState{
		Type: EndpointType, Primary: &terraform.InstanceState{ID: "vpce-read", Attributes: map[string]string{"id": "vpce-read"}},
	}
	err := CheckEndpointsDestroyed(a)(s)
	if err == nil || !strings.Contains(err.Error(), "engflow_privatelink_endpoint.remote: endpoint vpce-remote still exists in state available") {
		t.Errorf("CheckDestroy = %v, want vpce-remote reported alive by %s", err, west)
	}
	if err != nil && strings.Count(err.Error(), "\n") > 0 {
		t.Errorf("CheckDestroy reports more than vpce-remote:\n%v", err)
	}
	for _, c := range []struct {
		region, id string
		want       bool
	}{
		{"us-east-1", "vpce-home", true},
		{west, "vpce-remote", true},
		{"us-east-1", "vpce-remote", false},
		{west, "vpce-module", true},
		{"us-east-1", "vpce-read", false},
	} {
		if got := fake.callsTo(c.region, c.id) > 0; got != c.want {
			t.Errorf("asked %s about %s: %t, want %t", c.region, c.id, got, c.want)
		}
	}

	// All gone in their own Regions: nothing to report.
	scripts[west+"/vpce-remote"] = []answer{deletedState}
	a, _ = newFakeAWS(t, scripts)
	if err := CheckEndpointsDestroyed(a)(s); err != nil {
		t.Errorf("CheckDestroy = %v, want nil: every endpoint is deleted in its own Region", err)
	}
}

// An endpoint that stays deleting is still there when the time is up.
func TestCheckEndpointDestroyed_deletingUntilTimeIsUp(t *testing.T) {
	a, _ := newFakeAWS(t, map[string][]answer{"us-east-1/vpce-1": {deleting}})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := a.CheckEndpointDestroyed(ctx, "vpce-1")
	if err == nil || !strings.Contains(err.Error(), "endpoint vpce-1 still exists: EC2 last reported it deleting") {
		t.Errorf("CheckEndpointDestroyed = %v, want: still deleting when the time was up", err)
	}
}
