package acctest_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

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
