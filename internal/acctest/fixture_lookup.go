package acctest

// The fixture's reads, written for EC2 as it is rather than as an emulator
// wishes it were:
//
//   - Every Describe* call is paged, ID look-ups included, and a page may be
//     empty while a NextToken says there is more (EC2 API reference,
//     "Pagination"; openshift/hive 2661): the SDK's paginators follow
//     NextToken until it is empty.
//   - EC2 is eventually consistent (EC2 API reference, "Eventual
//     consistency"): right after CreateVpcEndpoint, and now and then for a
//     while after that, a describe can answer NotFound for an endpoint that
//     exists. NotFound is tolerated by time, never by count, and an answer
//     that could not be had (any other error) is never taken for "gone".

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// NotFoundError says EC2 answered that it does not know a resource: an
// answer, not a failure to ask. EC2 may still learn of a new resource later.
type NotFoundError struct {
	Kind, ID string
	// Err is EC2's error, nil when EC2 answered with an empty list.
	Err error
}

func (e *NotFoundError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("EC2 does not know %s %s: %v", e.Kind, e.ID, e.Err)
	}
	return fmt.Sprintf("EC2 does not know %s %s (empty answer)", e.Kind, e.ID)
}

func (e *NotFoundError) Unwrap() error { return e.Err }

// IsNotFound reports whether err is EC2 saying it does not know something:
// a NotFoundError or an API error whose code ends in ".NotFound" (EC2 spells
// endpoints both InvalidVpcEndpointId.NotFound and InvalidVpcEndpoint.NotFound).
func IsNotFound(err error) bool {
	var nf *NotFoundError
	return errors.As(err, &nf) || strings.HasSuffix(apiErrorCode(err), ".NotFound")
}

// notFoundTolerance is how long NotFound answers about an endpoint that
// exists are taken for eventual consistency. The aws provider tolerates
// about 20 answers 5 s apart; real AWS gets minutes.
func notFoundTolerance() time.Duration {
	if Target() == TargetEmulator {
		return 30 * time.Second
	}
	return 3 * time.Minute
}

// notFoundSettle is how long NotFound answers must persist before an
// endpoint is taken for gone: a describe may miss one that exists.
func notFoundSettle() time.Duration {
	if Target() == TargetEmulator {
		return 3 * time.Second
	}
	return 30 * time.Second
}

// Endpoint describes one endpoint, once, following NextToken. When EC2
// does not know it the error is a *NotFoundError (see IsNotFound).
func (a *AWS) Endpoint(ctx context.Context, id string) (*ec2types.VpcEndpoint, error) {
	var found []ec2types.VpcEndpoint
	p := ec2.NewDescribeVpcEndpointsPaginator(a.EC2, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{id}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			if IsNotFound(err) {
				return nil, &NotFoundError{Kind: "endpoint", ID: id, Err: err}
			}
			return nil, fmt.Errorf("describing endpoint %q: %w", id, err)
		}
		found = append(found, page.VpcEndpoints...)
	}
	switch len(found) {
	case 0:
		return nil, &NotFoundError{Kind: "endpoint", ID: id}
	case 1:
		return &found[0], nil
	}
	return nil, fmt.Errorf("describing endpoint %q: EC2 returned %d endpoints", id, len(found))
}

// WaitForEndpoint describes the endpoint until done accepts what EC2
// reports, or timeout passes. NotFound answers are tolerated while they
// last less than notFoundTolerance in a row; other errors end the wait.
func (a *AWS) WaitForEndpoint(ctx context.Context, id, what string, timeout time.Duration, done func(*ec2types.VpcEndpoint) bool) (*ec2types.VpcEndpoint, error) {
	deadline := time.Now().Add(timeout)
	var notFoundSince time.Time
	var last *ec2types.VpcEndpoint
	delay := 100 * time.Millisecond
	for {
		ep, err := a.Endpoint(ctx, id)
		switch {
		case err == nil:
			notFoundSince, last = time.Time{}, ep
			if done(ep) {
				return ep, nil
			}
		case IsNotFound(err):
			if notFoundSince.IsZero() {
				notFoundSince = time.Now()
			}
			if time.Since(notFoundSince) > notFoundTolerance() {
				return nil, fmt.Errorf("waiting for endpoint %s %s: EC2 has not known it for %s: %w", id, what, notFoundTolerance(), err)
			}
		default:
			return nil, fmt.Errorf("waiting for endpoint %s %s: %w", id, what, err)
		}
		if time.Now().After(deadline) {
			if last != nil {
				return nil, fmt.Errorf("endpoint %s is not %s after %s: EC2 last reported state %s", id, what, timeout, last.State)
			}
			return nil, fmt.Errorf("endpoint %s is not %s after %s: EC2 never reported it", id, what, timeout)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for endpoint %s %s: %w", id, what, ctx.Err())
		case <-time.After(delay):
		}
		delay = min(delay*3/2, maxPollInterval())
	}
}

// maxPollInterval caps the waiters' backoff: a second against AWS, less
// against the emulator, whose states last seconds and whose describes may
// miss an endpoint now and then (flicker).
func maxPollInterval() time.Duration {
	if Target() == TargetEmulator {
		return 250 * time.Millisecond
	}
	return time.Second
}

// EndpointEventually describes an endpoint the caller knows exists,
// tolerating NotFound answers for a while (eventual consistency).
func (a *AWS) EndpointEventually(ctx context.Context, id string) (*ec2types.VpcEndpoint, error) {
	return a.WaitForEndpoint(ctx, id, "to be known", notFoundTolerance(), func(*ec2types.VpcEndpoint) bool { return true })
}

// WaitForEndpointsListed waits until every answer to DescribeVpcEndpoints
// filtered by vpcID has listed each of ids for notFoundSettle() in a row, or
// timeout passes. Any error other than a describe's ends the wait.
func (a *AWS) WaitForEndpointsListed(ctx context.Context, vpcID string, ids []string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var listedSince time.Time
	var missing []string
	for {
		eps, err := a.Endpoints(ctx, &ec2.DescribeVpcEndpointsInput{
			Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpcID}}},
		})
		if err != nil {
			return fmt.Errorf("listing the endpoints of %s: %w", vpcID, err)
		}
		listed := map[string]bool{}
		for _, ep := range eps {
			listed[aws.ToString(ep.VpcEndpointId)] = true
		}
		missing = missing[:0]
		for _, id := range ids {
			if !listed[id] {
				missing = append(missing, id)
			}
		}
		switch {
		case len(missing) > 0:
			listedSince = time.Time{}
		case listedSince.IsZero():
			listedSince = time.Now()
		case time.Since(listedSince) >= notFoundSettle():
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("EC2 has not listed %v among the endpoints of %s in every answer for %s within %s (last missing: %v)",
				ids, vpcID, notFoundSettle(), timeout, missing)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for EC2 to list %v in %s: %w", ids, vpcID, ctx.Err())
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// NetworkInterfaces describes network interfaces by ID, following NextToken.
func (a *AWS) NetworkInterfaces(ctx context.Context, ids []string) ([]ec2types.NetworkInterface, error) {
	var out []ec2types.NetworkInterface
	p := ec2.NewDescribeNetworkInterfacesPaginator(a.EC2, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: ids})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("describing network interfaces %v: %w", ids, err)
		}
		out = append(out, page.NetworkInterfaces...)
	}
	return out, nil
}

// PrivateIPs lists the primary private IPs of network interfaces, in order.
func (a *AWS) PrivateIPs(ctx context.Context, eniIDs []string) ([]string, error) {
	if len(eniIDs) == 0 {
		return nil, nil
	}
	enis, err := a.NetworkInterfaces(ctx, eniIDs)
	if err != nil {
		return nil, err
	}
	byID := map[string]string{}
	for _, ni := range enis {
		byID[aws.ToString(ni.NetworkInterfaceId)] = aws.ToString(ni.PrivateIpAddress)
	}
	ips := make([]string, len(eniIDs))
	for i, id := range eniIDs {
		ip, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("EC2 did not list network interface %s", id)
		}
		ips[i] = ip
	}
	return ips, nil
}

// AddressesBySubnet is the primary private IP of each network interface of
// the endpoint, by subnet, as EC2 describes them.
func (a *AWS) AddressesBySubnet(ctx context.Context, endpointID string) (map[string]string, error) {
	ep, err := a.EndpointEventually(ctx, endpointID)
	if err != nil {
		return nil, err
	}
	enis, err := a.NetworkInterfaces(ctx, ep.NetworkInterfaceIds)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, ni := range enis {
		out[aws.ToString(ni.SubnetId)] = aws.ToString(ni.PrivateIpAddress)
	}
	return out, nil
}

// Subnets describes subnets matching in, following NextToken.
func (a *AWS) Subnets(ctx context.Context, in *ec2.DescribeSubnetsInput) ([]ec2types.Subnet, error) {
	var out []ec2types.Subnet
	p := ec2.NewDescribeSubnetsPaginator(a.EC2, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Subnets...)
	}
	return out, nil
}

// SecurityGroups describes security groups matching in, following NextToken.
func (a *AWS) SecurityGroups(ctx context.Context, in *ec2.DescribeSecurityGroupsInput) ([]ec2types.SecurityGroup, error) {
	var out []ec2types.SecurityGroup
	p := ec2.NewDescribeSecurityGroupsPaginator(a.EC2, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, page.SecurityGroups...)
	}
	return out, nil
}

// Endpoints describes endpoints matching in (filters, or IDs EC2 already
// knows), following NextToken.
func (a *AWS) Endpoints(ctx context.Context, in *ec2.DescribeVpcEndpointsInput) ([]ec2types.VpcEndpoint, error) {
	var out []ec2types.VpcEndpoint
	p := ec2.NewDescribeVpcEndpointsPaginator(a.EC2, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, page.VpcEndpoints...)
	}
	return out, nil
}

// ServiceDetails describes endpoint services. The SDK has no paginator for
// DescribeVpcEndpointServices, so this follows NextToken itself.
func (a *AWS) ServiceDetails(ctx context.Context, in *ec2.DescribeVpcEndpointServicesInput) ([]ec2types.ServiceDetail, error) {
	var out []ec2types.ServiceDetail
	req := *in
	seen := map[string]bool{}
	for {
		page, err := a.EC2.DescribeVpcEndpointServices(ctx, &req)
		if err != nil {
			return nil, err
		}
		out = append(out, page.ServiceDetails...)
		next := aws.ToString(page.NextToken)
		if next == "" {
			return out, nil
		}
		if seen[next] {
			return nil, fmt.Errorf("DescribeVpcEndpointServices returned NextToken %q twice", next)
		}
		seen[next] = true
		req.NextToken = aws.String(next)
	}
}
