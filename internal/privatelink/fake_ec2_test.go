package privatelink

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

// fakeEC2 answers the calls a test scripts and counts every call. Methods
// a test does not script panic through the nil embedded interface.
type fakeEC2 struct {
	EC2API
	mu    sync.Mutex
	calls map[string]int

	// describeEndpoints answers DescribeVpcEndpoints for the IDs in its
	// vpc-endpoint-id filter: unknown ones are left out, as a call by
	// filter does.
	describeEndpoints func(ids []string) ([]types.VpcEndpoint, error)
	// endpointPageSize > 0 answers DescribeVpcEndpoints in pages of that
	// many, with NextToken, as EC2 may.
	endpointPageSize int
	// endpointFilters records the filters of every DescribeVpcEndpoints call.
	endpointFilters [][]types.Filter
	describeENIs    func(ids []string) ([]types.NetworkInterface, error)
	// deleteTags answers DeleteTags for these resources.
	deleteTags       func(ids []string) error
	describeServices func(names []string) ([]types.ServiceDetail, error)
}

func (f *fakeEC2) count(action string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[action]++
}

func (f *fakeEC2) callCount(action string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[action]
}

func (f *fakeEC2) DescribeVpcEndpoints(_ context.Context, in *ec2.DescribeVpcEndpointsInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointsOutput, error) {
	f.count("DescribeVpcEndpoints")
	f.mu.Lock()
	f.endpointFilters = append(f.endpointFilters, in.Filters)
	f.mu.Unlock()
	eps, err := f.describeEndpoints(filterValues(in.Filters, "vpc-endpoint-id"))
	if err != nil || f.endpointPageSize == 0 {
		return &ec2.DescribeVpcEndpointsOutput{VpcEndpoints: eps}, err
	}
	start, _ := strconv.Atoi(aws.ToString(in.NextToken))
	end := min(start+f.endpointPageSize, len(eps))
	out := &ec2.DescribeVpcEndpointsOutput{VpcEndpoints: eps[start:end]}
	if end < len(eps) {
		out.NextToken = aws.String(strconv.Itoa(end))
	}
	return out, nil
}

func (f *fakeEC2) DescribeNetworkInterfaces(_ context.Context, in *ec2.DescribeNetworkInterfacesInput, _ ...func(*ec2.Options)) (*ec2.DescribeNetworkInterfacesOutput, error) {
	f.count("DescribeNetworkInterfaces")
	nis, err := f.describeENIs(filterValues(in.Filters, "network-interface-id"))
	return &ec2.DescribeNetworkInterfacesOutput{NetworkInterfaces: nis}, err
}

func (f *fakeEC2) DescribeVpcEndpointServices(_ context.Context, in *ec2.DescribeVpcEndpointServicesInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointServicesOutput, error) {
	f.count("DescribeVpcEndpointServices")
	svcs, err := f.describeServices(in.ServiceNames)
	return &ec2.DescribeVpcEndpointServicesOutput{ServiceDetails: svcs}, err
}

func (f *fakeEC2) DeleteTags(_ context.Context, in *ec2.DeleteTagsInput, _ ...func(*ec2.Options)) (*ec2.DeleteTagsOutput, error) {
	f.count("DeleteTags")
	return &ec2.DeleteTagsOutput{}, f.deleteTags(in.Resources)
}

func filterValues(filters []types.Filter, name string) []string {
	for _, f := range filters {
		if aws.ToString(f.Name) == name {
			return f.Values
		}
	}
	return nil
}

func newTestClient(conn EC2API) *Client {
	return newClient(conn, "us-east-1", func(context.Context) (string, error) { return "123456789012", nil }, nil)
}

func apiError(code, msg string) error { return &smithy.GenericAPIError{Code: code, Message: msg} }

func endpoint(id string, state types.State) types.VpcEndpoint {
	return types.VpcEndpoint{VpcEndpointId: aws.String(id), State: state}
}

// fakeClock runs time forward instantly: After returns at once, having
// moved the clock by d. Tests of the waiter take no real time.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}
