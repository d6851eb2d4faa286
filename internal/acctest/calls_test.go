package acctest_test

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
	"github.com/engflow/terraform-provider-engflow/internal/awsclient"
)

func TestCallsCountsAndRetries(t *testing.T) {
	provider := "aws-sdk-go-v2/1.48.0 app/" + awsclient.AppID
	fixture := "aws-sdk-go-v2/1.48.0"
	cs := acctest.Calls{
		{Service: "ec2", Action: "CreateVpcEndpoint", Status: 200, UserAgent: provider},
		{Service: "ec2", Action: "DescribeVpcEndpoints", Status: 503, ErrorCode: "Unavailable", UserAgent: provider},
		{Service: "ec2", Action: "DescribeVpcEndpoints", Status: 400, ErrorCode: "RequestLimitExceeded", UserAgent: provider},
		{Service: "ec2", Action: "DescribeVpcEndpoints", Status: 429, UserAgent: provider},
		{Service: "ec2", Action: "DescribeVpcEndpoints", Status: 0, UserAgent: provider},
		{Service: "ec2", Action: "DescribeVpcEndpoints", Status: 200, UserAgent: provider},
		{Service: "ec2", Action: "CreateVpcEndpoint", Status: 200, Fault: "lose-answer", UserAgent: provider},
		{Service: "ec2", Action: "DescribeVpcEndpoints", Status: 400, ErrorCode: "InvalidVpcEndpointId.NotFound", UserAgent: provider},
		{Service: "ec2", Action: "DescribeVpcEndpoints", Status: 400, ErrorCode: "InvalidVpcEndpointId.NotFound", UserAgent: fixture},
		{Service: "ec2", Action: "CreateVpc", Status: 200, UserAgent: fixture},
		{Service: "sts", Action: "GetCallerIdentity", Status: 200, UserAgent: provider},
	}
	ec2 := cs.FromProvider("ec2")
	if len(ec2) != 8 {
		t.Errorf("FromProvider(ec2): %d calls, want 8: %v", len(ec2), ec2)
	}
	if n := len(cs.FromProvider("sts")); n != 1 {
		t.Errorf("FromProvider(sts): %d calls, want 1", n)
	}
	if n := ec2.Count("DescribeVpcEndpoints"); n != 6 {
		t.Errorf("Count(DescribeVpcEndpoints) = %d, want 6", n)
	}
	if n := ec2.Count("CreateVpc"); n != 0 {
		t.Errorf("Count(CreateVpc) among the provider's calls = %d, want 0", n)
	}
	// 503, a throttling code, 429, no answer, a lost answer; not the 200s
	// nor NotFound, which the SDK does not retry.
	if n := ec2.Retried(); n != 5 {
		t.Errorf("provider's Retried() = %d, want 5", n)
	}
	if n := cs.Retried(); n != 5 {
		t.Errorf("all Retried() = %d, want 5 (NotFound is no retry)", n)
	}
	table := ec2.Table()
	if first := strings.SplitN(table, "\n", 2)[0]; !strings.Contains(first, "3  ec2 DescribeVpcEndpoints") {
		t.Errorf("Table() does not start with the most frequent call:\n%s", table)
	}
	if !strings.Contains(table, "1  ec2 DescribeVpcEndpoints -> RequestLimitExceeded") {
		t.Errorf("Table() lacks the error code:\n%s", table)
	}
}

func TestParallelBoundsWorkersAndJoinsErrors(t *testing.T) {
	var running, most atomic.Int32
	errOdd := errors.New("odd")
	err := acctest.Parallel(20, 3, func(i int) error {
		n := running.Add(1)
		defer running.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		if i%2 == 1 {
			return errOdd
		}
		return nil
	})
	if !errors.Is(err, errOdd) || strings.Count(err.Error(), "odd") != 10 {
		t.Errorf("Parallel: %v, want the 10 odd errors joined", err)
	}
	if m := most.Load(); m > 3 {
		t.Errorf("%d calls ran at once, want at most 3", m)
	}
}
