package acctest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// clientsVia returns EC2 and STS clients that reach the emulator through
// the fault proxy, with the SDK's standard retries (3 attempts).
func clientsVia(t *testing.T, p *acctest.FaultProxy) (*ec2.Client, *sts.Client) {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(p.URL) }),
		sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(p.URL) })
}

// callsOf returns the logged calls of action after mark.
func callsOf(t *testing.T, emu *acctest.Emulator, mark int, action string) []acctest.APIRequest {
	t.Helper()
	reqs, _, err := emu.Requests(context.Background(), mark)
	if err != nil {
		t.Fatal(err)
	}
	return acctest.FindCalls(reqs, action, nil)
}

// summary is "fault|error code|HTTP status" per logged call.
func summary(reqs []acctest.APIRequest) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = fmt.Sprintf("%s|%s|%d", r.Fault, r.ErrorCode, r.Status)
	}
	return out
}

// TestEmulator_FaultProxy: each fault does to the SDK what EC2 and the
// network do, the SDK's own retries get through, and the emulator's request
// log shows every attempt with its fault.
func TestEmulator_FaultProxy(t *testing.T) {
	emu := acctest.RequireEmulator(t, "the fault proxy stands in front of the emulator")
	ctx := context.Background()
	p := acctest.NewFaultProxy(t)
	c, stsClient := clientsVia(t, p)

	for _, tc := range []struct {
		fault acctest.FaultKind
		want  []string
	}{
		{acctest.FaultThrottle, []string{"throttle|RequestLimitExceeded|503", "||200"}},
		{acctest.FaultInternalError, []string{"internal-error|InternalError|500", "||200"}},
		{acctest.FaultReset, []string{"reset||0", "||200"}},
	} {
		t.Run(string(tc.fault), func(t *testing.T) {
			if err := p.SetRules(acctest.FaultRule{Fault: tc.fault, Actions: []string{"DescribeAvailabilityZones"}, Count: 1}); err != nil {
				t.Fatal(err)
			}
			mark, err := emu.Mark(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{}); err != nil {
				t.Fatalf("the SDK's retry did not get past one %s: %v", tc.fault, err)
			}
			got := summary(callsOf(t, emu, mark, "DescribeAvailabilityZones"))
			if !slices.Equal(got, tc.want) {
				t.Errorf("request log of DescribeAvailabilityZones = %q, want %q", got, tc.want)
			}
			if n := acctest.CountFaults(p.Injected())[string(tc.fault)+" DescribeAvailabilityZones"]; n != 1 {
				t.Errorf("proxy reports %d %s faults, want 1", n, tc.fault)
			}
		})
	}

	t.Run("rate", func(t *testing.T) {
		if err := p.SetRules(acctest.FaultRule{Fault: acctest.FaultThrottle, Actions: []string{"DescribeVpcs"}, Rate: 0.5}); err != nil {
			t.Fatal(err)
		}
		mark, _ := emu.Mark(ctx)
		for range 40 {
			_, _ = c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}, func(o *ec2.Options) { o.RetryMaxAttempts = 1 })
		}
		throttled := 0
		for _, r := range callsOf(t, emu, mark, "DescribeVpcs") {
			if r.Fault == string(acctest.FaultThrottle) {
				throttled++
			}
		}
		if throttled < 8 || throttled > 32 {
			t.Errorf("%d of 40 calls throttled at rate 0.5, want about 20", throttled)
		}
	})

	t.Run("latency", func(t *testing.T) {
		if err := p.SetRules(acctest.FaultRule{Fault: acctest.FaultLatency, Latency: 400 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
		mark, _ := emu.Mark(ctx)
		start := time.Now()
		if _, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took < 400*time.Millisecond {
			t.Errorf("the call took %s, want at least the 400ms added", took)
		}
		if got := summary(callsOf(t, emu, mark, "DescribeVpcs")); !slices.Equal(got, []string{"latency 400ms||200"}) {
			t.Errorf("request log = %q", got)
		}
	})

	// An IAM denial is final: the SDK does not retry it, and the caller
	// sees EC2's code and its 403.
	t.Run("deny", func(t *testing.T) {
		if err := p.SetRules(acctest.FaultRule{Fault: acctest.FaultDeny, Actions: []string{"DescribeVpcs"}}); err != nil {
			t.Fatal(err)
		}
		mark, _ := emu.Mark(ctx)
		_, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
		if err == nil || !strings.Contains(err.Error(), "UnauthorizedOperation") || !strings.Contains(err.Error(), "not authorized") {
			t.Fatalf("DescribeVpcs through a deny rule: %v, want UnauthorizedOperation", err)
		}
		if got := summary(callsOf(t, emu, mark, "DescribeVpcs")); !slices.Equal(got, []string{"deny|UnauthorizedOperation|403"}) {
			t.Errorf("request log = %q, want one denied call", got)
		}
	})

	t.Run("other services pass", func(t *testing.T) {
		if err := p.SetRules(acctest.FaultRule{Fault: acctest.FaultThrottle}); err != nil {
			t.Fatal(err)
		}
		p.Capture("GetCallerIdentity")
		out, err := stsClient.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, func(o *sts.Options) { o.RetryMaxAttempts = 1 })
		if err != nil {
			t.Fatalf("STS call through a proxy that throttles only EC2: %v", err)
		}
		captured := p.Captured("GetCallerIdentity")
		if len(captured) != 1 || !strings.Contains(string(captured[0]), aws.ToString(out.Account)) {
			t.Errorf("captured answers %q do not hold account %s", captured, aws.ToString(out.Account))
		}
	})
}

// TestEmulator_FaultProxyLostAnswer: a create whose answer is lost was
// carried out; the SDK's retry, with the same ClientToken, gets the
// original answer back and EC2 holds one endpoint, not two.
func TestEmulator_FaultProxyLostAnswer(t *testing.T) {
	emu := acctest.RequireEmulator(t, "the fault proxy stands in front of the emulator")
	ctx := context.Background()
	p := acctest.NewFaultProxy(t, acctest.FaultRule{Fault: acctest.FaultLoseAnswer, Actions: []string{"CreateVpcEndpoint"}, OncePer: "ClientToken"})
	c, _ := clientsVia(t, p)
	a := acctest.TestAWS(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	in := interfaceEndpoint(svc, vpc)
	in.ClientToken = aws.String(acctest.RandomName("token"))

	mark, _ := emu.Mark(ctx)
	ep := mustCreateEndpoint(t, c, in)
	calls := callsOf(t, emu, mark, "CreateVpcEndpoint")
	if got := summary(calls); !slices.Equal(got, []string{"lose-answer||200", "||200"}) {
		t.Fatalf("request log of CreateVpcEndpoint = %q, want the lost answer, then the retry", got)
	}
	for _, r := range calls {
		if r.Params["ClientToken"] != aws.ToString(in.ClientToken) {
			t.Errorf("a CreateVpcEndpoint call was logged with ClientToken %q, want %q", r.Params["ClientToken"], aws.ToString(in.ClientToken))
		}
	}
	emu.ConfigureForTest(t, map[string]any{acctest.KnobFlickerRate: 0.0})
	acctest.WaitForEndpointsListed(t, a, vpc.ID, aws.ToString(ep.VpcEndpointId))
	endpoints, err := a.Endpoints(ctx, &ec2.DescribeVpcEndpointsInput{
		Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpc.ID}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if ids := pick(endpoints, func(e ec2types.VpcEndpoint) *string { return e.VpcEndpointId }); !slices.Equal(ids, []string{aws.ToString(ep.VpcEndpointId)}) {
		t.Errorf("the VPC has endpoints %q, want only %s", ids, aws.ToString(ep.VpcEndpointId))
	}
}

// fakeRoute53 stands in for the emulator behind a fault proxy in unit
// tests: it answers the few Route 53 calls below as Route 53 does, and
// keeps what the proxy records of the calls it answered itself.
type fakeRoute53 struct {
	mu       sync.Mutex
	recorded []map[string]any
	served   []string // "METHOD path" of the calls that reached it
}

func (f *fakeRoute53) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.URL.Path == "/_emulator/requests/record" {
		var entry map[string]any
		_ = json.NewDecoder(r.Body).Decode(&entry)
		f.recorded = append(f.recorded, entry)
		_, _ = w.Write([]byte(`{"ok": true}`))
		return
	}
	f.served = append(f.served, r.Method+" "+r.URL.Path)
	w.Header().Set("Content-Type", "text/xml")
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/2013-04-01/hostedzonesbyname":
		_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>
<ListHostedZonesByNameResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HostedZones/><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListHostedZonesByNameResponse>`))
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/rrset"):
		_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>
<ChangeResourceRecordSetsResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeInfo><Id>/change/C0123456789</Id><Status>PENDING</Status><SubmittedAt>2024-01-01T00:00:00Z</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>`))
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeRoute53) log() ([]map[string]any, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.recorded), slices.Clone(f.served)
}

// route53ViaFake starts a fault proxy with rules in front of a fakeRoute53
// and returns a Route 53 client through it with the SDK's standard
// retryer (its own list of retryable errors), without the waits between
// attempts.
func route53ViaFake(t *testing.T, rules ...acctest.FaultRule) (*route53.Client, *acctest.FaultProxy, *fakeRoute53) {
	t.Helper()
	fake := &fakeRoute53{}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	p, err := acctest.StartFaultProxy(&acctest.Emulator{URL: srv.URL}, 1, rules...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	c := route53.New(route53.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(p.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		}),
	})
	return c, p, fake
}

func changeInput(zone, name, value string) *route53.ChangeResourceRecordSetsInput {
	return &route53.ChangeResourceRecordSetsInput{
		HostedZoneId: aws.String(zone),
		ChangeBatch: &r53types.ChangeBatch{Changes: []r53types.Change{{Action: r53types.ChangeActionUpsert, ResourceRecordSet: &r53types.ResourceRecordSet{
			Name: aws.String(name), Type: r53types.RRTypeA, TTL: aws.Int64(60),
			ResourceRecords: []r53types.ResourceRecord{{Value: aws.String(value)}},
		}}}},
	}
}

// TestFaultProxy_route53Throttle: a throttled Route 53 call gets Route
// 53's answer (HTTP 400, Throttling, "Rate exceeded", in its XML error
// shape), which aws-sdk-go-v2 parses and its standard retryer takes as a
// throttle and retries; the proxy records the fault under the action's
// Route 53 name with the call's query parameters.
func TestFaultProxy_route53Throttle(t *testing.T) {
	c, p, fake := route53ViaFake(t, acctest.FaultRule{Service: acctest.ServiceRoute53, Fault: acctest.FaultThrottle, Actions: []string{"ListHostedZonesByName"}, Count: 1})
	ctx := context.Background()
	in := &route53.ListHostedZonesByNameInput{DNSName: aws.String("acme.cluster.engflow.com")}

	_, err := c.ListHostedZonesByName(ctx, in, func(o *route53.Options) { o.RetryMaxAttempts = 1 })
	var apiErr smithy.APIError
	var httpErr *awshttp.ResponseError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "Throttling" || apiErr.ErrorMessage() != "Rate exceeded" ||
		!errors.As(err, &httpErr) || httpErr.HTTPStatusCode() != http.StatusBadRequest {
		t.Fatalf("throttled ListHostedZonesByName: %v, want HTTP 400 Throttling: Rate exceeded", err)
	}
	if !retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err).Bool() {
		t.Errorf("the SDK does not take %v for a throttle", err)
	}

	if err := p.SetRules(acctest.FaultRule{Service: acctest.ServiceRoute53, Fault: acctest.FaultThrottle, Actions: []string{"ListHostedZonesByName"}, Count: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListHostedZonesByName(ctx, in); err != nil {
		t.Fatalf("the SDK's retries did not get past two throttles: %v", err)
	}
	recorded, served := fake.log()
	if len(recorded) != 3 || len(served) != 1 {
		t.Fatalf("proxy recorded %d faults and forwarded %v; want 3 faults, then one call through", len(recorded), served)
	}
	for _, e := range recorded {
		if e["service"] != "route53" || e["action"] != "ListHostedZonesByName" || e["fault"] != "throttle" ||
			e["error_code"] != "Throttling" || e["status"] != float64(400) || !strings.Contains(e["form"].(string), "dnsname=acme.cluster.engflow.com") {
			t.Errorf("recorded fault %v, want route53 ListHostedZonesByName throttle Throttling 400 with the call's dnsname", e)
		}
	}
	if n := acctest.CountFaults(p.Injected())["throttle ListHostedZonesByName"]; n != 3 {
		t.Errorf("proxy reports %d throttles, want 3", n)
	}
	for _, f := range p.Injected() {
		if f.Service != acctest.ServiceRoute53 {
			t.Errorf("injected fault %+v not marked as Route 53's", f)
		}
	}
}

// TestFaultProxy_route53PriorRequestNotComplete: once per change, a
// ChangeResourceRecordSets gets Route 53's PriorRequestNotComplete, which
// the SDK parses into its modelled error type and retries; the retry of the
// same change goes through, another change gets its own fault.
func TestFaultProxy_route53PriorRequestNotComplete(t *testing.T) {
	c, p, fake := route53ViaFake(t, acctest.FaultRule{Service: acctest.ServiceRoute53, Fault: acctest.FaultPriorRequestNotComplete,
		Actions: []string{"ChangeResourceRecordSets"}, OncePer: acctest.OncePerCall})
	ctx := context.Background()

	_, err := c.ChangeResourceRecordSets(ctx, changeInput("Z0123456789ABC", "acme.cluster.engflow.com", "10.0.0.5"), func(o *route53.Options) { o.RetryMaxAttempts = 1 })
	var prior *r53types.PriorRequestNotComplete
	var httpErr *awshttp.ResponseError
	if !errors.As(err, &prior) || prior.ErrorMessage() != "The request was rejected because Route 53 was still processing a prior request." ||
		!errors.As(err, &httpErr) || httpErr.HTTPStatusCode() != http.StatusBadRequest {
		t.Fatalf("ChangeResourceRecordSets: %v, want HTTP 400 PriorRequestNotComplete", err)
	}
	if !retry.NewStandard().IsErrorRetryable(err) {
		t.Errorf("the SDK's standard retryer does not retry %v", err)
	}
	// The same change again (as a retry sends it) goes through.
	if _, err := c.ChangeResourceRecordSets(ctx, changeInput("Z0123456789ABC", "acme.cluster.engflow.com", "10.0.0.5"), func(o *route53.Options) { o.RetryMaxAttempts = 1 }); err != nil {
		t.Fatalf("the same change asked again: %v", err)
	}
	// Another change gets its fault once; the SDK's retry gets it through.
	out, err := c.ChangeResourceRecordSets(ctx, changeInput("Z0123456789ABC", "acme.cluster.engflow.com", "10.0.0.6"))
	if err != nil || aws.ToString(out.ChangeInfo.Id) != "/change/C0123456789" {
		t.Fatalf("another change, with the SDK's retries: %v", err)
	}
	recorded, served := fake.log()
	if len(recorded) != 2 || len(served) != 2 {
		t.Fatalf("proxy recorded %v and forwarded %v; want one fault per change and each change through once", recorded, served)
	}
	for _, e := range recorded {
		if e["action"] != "ChangeResourceRecordSets" || e["fault"] != "prior-request-not-complete" || e["error_code"] != "PriorRequestNotComplete" || e["status"] != float64(400) {
			t.Errorf("recorded fault %v", e)
		}
	}
	if n := acctest.CountFaults(p.Injected())["prior-request-not-complete ChangeResourceRecordSets"]; n != 2 {
		t.Errorf("proxy reports %d PriorRequestNotComplete faults, want 2", n)
	}
}

// TestFaultProxy_route53Rules: rules without a service are EC2's and leave
// Route 53 alone; rules that would make Route 53 do what it does not are
// refused.
func TestFaultProxy_route53Rules(t *testing.T) {
	c, p, _ := route53ViaFake(t, acctest.FaultRule{Fault: acctest.FaultThrottle})
	if _, err := c.ListHostedZonesByName(context.Background(), &route53.ListHostedZonesByNameInput{}, func(o *route53.Options) { o.RetryMaxAttempts = 1 }); err != nil {
		t.Errorf("an EC2 throttle rule harmed a Route 53 call: %v", err)
	}
	if len(p.Injected()) != 0 {
		t.Errorf("faults %v injected into Route 53 by an EC2 rule", p.Injected())
	}
	r53 := acctest.ServiceRoute53
	for _, r := range []acctest.FaultRule{
		{Fault: acctest.FaultPriorRequestNotComplete, Actions: []string{"ChangeResourceRecordSets"}},       // EC2 has no such error
		{Service: r53, Fault: acctest.FaultPriorRequestNotComplete},                                        // must name its actions
		{Service: r53, Fault: acctest.FaultPriorRequestNotComplete, Actions: []string{"GetChange"}},        // not documented there
		{Service: r53, Fault: acctest.FaultPriorRequestNotComplete, Actions: []string{"CreateHostedZone"}}, // nor there
		{Service: r53, Fault: acctest.FaultDeny},
		{Service: r53, Fault: acctest.FaultInternalError},
		{Service: r53, Fault: acctest.FaultThrottle, Actions: []string{"ListHostedZones"}}, // a name the proxy does not give
		{Service: "sts", Fault: acctest.FaultThrottle},
	} {
		if err := p.SetRules(r); err == nil {
			t.Errorf("rule %+v accepted", r)
		}
	}
	for _, r := range []acctest.FaultRule{
		{Service: r53, Fault: acctest.FaultPriorRequestNotComplete, Actions: []string{"AssociateVPCWithHostedZone", "ChangeResourceRecordSets", "DeleteHostedZone"}, OncePer: acctest.OncePerCall},
		{Service: r53, Fault: acctest.FaultThrottle, Rate: 0.3},
		{Service: r53, Fault: acctest.FaultReset, Actions: []string{"GetChange"}, OncePer: "Id"},
		{Service: r53, Fault: acctest.FaultLatency, Latency: time.Millisecond},
	} {
		if err := p.SetRules(r); err != nil {
			t.Errorf("rule %+v refused: %v", r, err)
		}
	}
}

// TestEmulator_Route53FaultProxy: the fault proxy names every Route 53
// call the provider makes as the emulator's request log does (a rule names
// actions the way tests read them from the log), and a Route 53 fault the
// proxy answers itself lands in the log beside the calls it forwarded.
func TestEmulator_Route53FaultProxy(t *testing.T) {
	emu := acctest.RequireEmulator(t, "compares the fault proxy's Route 53 names with the emulator's request log")
	ctx := context.Background()
	a := acctest.TestAWS(t)
	p := acctest.NewFaultProxy(t, acctest.FaultRule{Service: acctest.ServiceRoute53, Fault: acctest.FaultLatency, Latency: time.Millisecond})
	c := route53.New(a.Route53.Options(), func(o *route53.Options) { o.BaseEndpoint = aws.String(p.URL) })
	hub, spoke := acctest.NewVPC(t, acctest.VPCOptions{}), acctest.NewVPC(t, acctest.VPCOptions{})
	name := zoneName()
	mark, err := emu.Mark(ctx)
	if err != nil {
		t.Fatal(err)
	}

	zone, err := c.CreateHostedZone(ctx, a.PrivateZoneInput(name, hub.ID))
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(zone.HostedZone.Id)
	t.Cleanup(func() { _ = a.DeleteZone(context.Background(), id) })
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(id)}))
	must(c.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id)}))
	change, err := c.ChangeResourceRecordSets(ctx, changeInput(id, name, "10.0.0.5"))
	if err != nil {
		t.Fatal(err)
	}
	must(c.GetChange(ctx, &route53.GetChangeInput{Id: change.ChangeInfo.Id}))
	must(c.AssociateVPCWithHostedZone(ctx, &route53.AssociateVPCWithHostedZoneInput{HostedZoneId: aws.String(id), VPC: spokeVPC(a, spoke.ID)}))
	must(c.DisassociateVPCFromHostedZone(ctx, &route53.DisassociateVPCFromHostedZoneInput{HostedZoneId: aws.String(id), VPC: spokeVPC(a, spoke.ID)}))
	must(c.ListHostedZonesByVPC(ctx, &route53.ListHostedZonesByVPCInput{VPCId: aws.String(hub.ID), VPCRegion: r53types.VPCRegion(a.Region)}))
	must(c.ListHostedZonesByName(ctx, &route53.ListHostedZonesByNameInput{DNSName: aws.String(name)}))
	if err := a.DeleteZone(ctx, id); err != nil { // the fixture's client: records first
		t.Fatal(err)
	}
	_, err = c.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: aws.String(id)})
	expectAPIError(t, err, "NoSuchHostedZone")

	// The proxy's names of the calls it slowed, and the log's of the same calls.
	var proxied, logged []string
	for _, f := range p.Injected() {
		proxied = append(proxied, f.Action)
	}
	reqs, _, err := emu.Requests(ctx, mark)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		if r.Service == "route53" && r.Fault == "latency 1ms" {
			logged = append(logged, r.Action)
		}
	}
	want := []string{"CreateHostedZone", "GetHostedZone", "ListResourceRecordSets", "ChangeResourceRecordSets", "GetChange",
		"AssociateVPCWithHostedZone", "DisassociateVPCFromHostedZone", "ListHostedZonesByVPC", "ListHostedZonesByName", "DeleteHostedZone"}
	if !slices.Equal(proxied, want) || !slices.Equal(logged, want) {
		t.Errorf("Route 53 calls as the proxy names them %q, as the emulator logs them %q; want both %q", proxied, logged, want)
	}

	// A fault the proxy answers itself is logged with the call's name and
	// its query parameters, as the emulator logs a forwarded call's.
	if err := p.SetRules(acctest.FaultRule{Service: acctest.ServiceRoute53, Fault: acctest.FaultThrottle, Actions: []string{"ListHostedZonesByName"}, Count: 1}); err != nil {
		t.Fatal(err)
	}
	mark, _ = emu.Mark(ctx)
	must(c.ListHostedZonesByName(ctx, &route53.ListHostedZonesByNameInput{DNSName: aws.String(name)}))
	calls := callsOf(t, emu, mark, "ListHostedZonesByName")
	if got := summary(calls); !slices.Equal(got, []string{"throttle|Throttling|400", "||200"}) {
		t.Errorf("request log of ListHostedZonesByName = %q, want the throttle, then the retry", got)
	}
	for _, r := range calls {
		if r.Service != "route53" || r.Params["dnsname"] != name {
			t.Errorf("logged call %+v, want service route53 and dnsname %s", r, name)
		}
	}
}
