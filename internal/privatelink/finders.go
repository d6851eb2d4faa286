package privatelink

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// The finders: the EC2 reads the resource and the data sources share. A
// thing asked for that does not exist is a NotFoundError (errors.go);
// look-ups that many resources make alike share calls through the
// Region's batchers and lookups.

const (
	kindEndpoint         = "VPC endpoint"
	kindNetworkInterface = "network interface"
	kindService          = "VPC endpoint service"

	// batchWindow is how long a look-up waits for others to share its call.
	batchWindow = 20 * time.Millisecond
)

// endpointLookup finds one endpoint by ID for a wait: Client.lookByID, or a
// create's siblingWatch.look.
type endpointLookup func(ctx context.Context, id string) (*types.VpcEndpoint, error)

// vpcDNSAttributes are the two VPC attributes private DNS needs.
type vpcDNSAttributes struct {
	Support   bool // enableDnsSupport
	Hostnames bool // enableDnsHostnames
}

// ---- Endpoints ----

func (c *Client) lookByID(ctx context.Context, id string) (*types.VpcEndpoint, error) {
	return findEndpointByID(ctx, c, id)
}

// findEndpointByID returns the endpoint, or a NotFoundError when EC2 does
// not know it or reports it deleted.
func findEndpointByID(ctx context.Context, c *Client, id string) (*types.VpcEndpoint, error) {
	ep, err := c.endpoints.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if stateIs(ep.State, "deleted") {
		return nil, &NotFoundError{Kind: kindEndpoint, ID: id, Deleted: true}
	}
	return &ep, nil
}

// listEndpointsOfService lists the endpoints in a VPC for one service, in
// any state but deleted, sorted by ID. Look-ups of many resources are
// batched into one call.
func listEndpointsOfService(ctx context.Context, c *Client, vpcID, serviceName string) ([]types.VpcEndpoint, error) {
	found, err := c.endpointsOf.get(ctx, vpcServiceKey(vpcID, serviceName))
	if err != nil {
		return nil, fmt.Errorf("listing endpoints of %s in %s: %w", serviceName, vpcID, err)
	}
	return found, nil
}

// findEndpointsOfService is listEndpointsOfService without the endpoints
// that are going or failed.
func findEndpointsOfService(ctx context.Context, c *Client, vpcID, serviceName string) ([]types.VpcEndpoint, error) {
	found, err := listEndpointsOfService(ctx, c, vpcID, serviceName)
	var active []types.VpcEndpoint
	for _, ep := range found {
		if isActive(ep) {
			active = append(active, ep)
		}
	}
	return active, err
}

// isActive reports whether an endpoint is, or is becoming, usable.
func isActive(ep types.VpcEndpoint) bool {
	return !stateIs(ep.State, "deleting", "deleted", "rejected", "failed", "expired")
}

// stateIs compares EC2 states case-insensitively: the wire says
// "pendingAcceptance", the Go SDK's constants say "PendingAcceptance".
func stateIs(s types.State, want ...string) bool {
	for _, w := range want {
		if strings.EqualFold(string(s), w) {
			return true
		}
	}
	return false
}

// describeEndpoints is the batcher fetch for endpoints. It asks by filter,
// not by ID: asked by ID, EC2 fails a whole call for one unknown ID, and an
// endpoint created a moment ago is unknown for a while (eventual
// consistency); asked by filter, it leaves the unknown ones out. So one call
// serves a whole batch, however many of its IDs do not exist (yet). Subnets,
// security groups and network interfaces are asked for the same way.
func describeEndpoints(conn EC2API) batchFetch[types.VpcEndpoint] {
	return chunked(func(ctx context.Context, ids []string) (map[string]types.VpcEndpoint, error) {
		return byID(ctx, "VPC endpoints", endpointPages(conn, filterOn("vpc-endpoint-id", ids)), endpointsOfPage,
			func(ep types.VpcEndpoint) *string { return ep.VpcEndpointId })
	})
}

func endpointPages(conn EC2API, filters []types.Filter) pages[*ec2.DescribeVpcEndpointsOutput] {
	return ec2.NewDescribeVpcEndpointsPaginator(conn, &ec2.DescribeVpcEndpointsInput{Filters: filters})
}

func endpointsOfPage(o *ec2.DescribeVpcEndpointsOutput) []types.VpcEndpoint { return o.VpcEndpoints }

// describeEndpointsOfServices is the batcher fetch for findEndpointsOfService:
// one listing with every VPC and every service asked for as filter values,
// sorted out by pair. Every pair asked for is in the answer, with no
// endpoints if none.
func describeEndpointsOfServices(conn EC2API) batchFetch[[]types.VpcEndpoint] {
	return chunked(func(ctx context.Context, keys []string) (map[string][]types.VpcEndpoint, error) {
		found := make(map[string][]types.VpcEndpoint, len(keys))
		var vpcs, services []string
		for _, k := range keys {
			vpc, service, _ := strings.Cut(k, " ")
			vpcs, services = appendNew(vpcs, vpc), appendNew(services, service)
			found[k] = nil
		}
		filters := append(filterOn("vpc-id", vpcs), filterOn("service-name", services)...)
		err := eachItem(ctx, "VPC endpoints", endpointPages(conn, filters), endpointsOfPage, func(ep types.VpcEndpoint) {
			k := vpcServiceKey(aws.ToString(ep.VpcId), aws.ToString(ep.ServiceName))
			// Filters narrow the answer; checking again keeps a lax emulator honest.
			if eps, asked := found[k]; asked && !stateIs(ep.State, "deleted") {
				found[k] = append(eps, ep)
			}
		})
		if err != nil {
			return nil, err
		}
		for _, eps := range found {
			sort.Slice(eps, func(i, j int) bool { return aws.ToString(eps[i].VpcEndpointId) < aws.ToString(eps[j].VpcEndpointId) })
		}
		return found, nil
	})
}

// vpcServiceKey names one VPC and service pair in the endpointsOf batcher.
func vpcServiceKey(vpcID, serviceName string) string { return vpcID + " " + serviceName }

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// describeNetworkInterfaces is the batcher fetch for network interfaces,
// by filter (see describeEndpoints): waiting for a deleted endpoint's
// interfaces to go is the usual case.
func describeNetworkInterfaces(conn EC2API) batchFetch[types.NetworkInterface] {
	return chunked(func(ctx context.Context, ids []string) (map[string]types.NetworkInterface, error) {
		p := ec2.NewDescribeNetworkInterfacesPaginator(conn, &ec2.DescribeNetworkInterfacesInput{Filters: filterOn("network-interface-id", ids)})
		return byID(ctx, "network interfaces", p, func(o *ec2.DescribeNetworkInterfacesOutput) []types.NetworkInterface { return o.NetworkInterfaces },
			func(ni types.NetworkInterface) *string { return ni.NetworkInterfaceId })
	})
}

// ---- Endpoint services ----

// findServiceByName asks EC2 in region for one endpoint service. One name
// per call: a single unknown name fails a whole batched call. AWS answers
// InvalidServiceName both for a service that does not exist and for one the
// caller is not allowlisted for; both become a NotFoundError. A service of
// another Region is only found when the call names its Region
// (ServiceRegions; cloud-custodian PR 10918).
func findServiceByName(ctx context.Context, conn EC2API, name, region string) (*types.ServiceDetail, error) {
	in := &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{name}}
	if remote := remoteRegion(name, region); remote != "" {
		in.ServiceRegions = []string{remote}
	}
	for {
		// The SDK has no paginator for this call: follow NextToken by hand.
		out, err := conn.DescribeVpcEndpointServices(ctx, in)
		if errorCode(err) == codeServiceNotFound {
			return nil, &NotFoundError{Kind: kindService, ID: name, Cause: err}
		}
		if err != nil {
			return nil, fmt.Errorf("describing %s %s: %w", kindService, name, err)
		}
		for i := range out.ServiceDetails {
			if aws.ToString(out.ServiceDetails[i].ServiceName) == name {
				return &out.ServiceDetails[i], nil
			}
		}
		if aws.ToString(out.NextToken) == "" {
			return nil, &NotFoundError{Kind: kindService, ID: name}
		}
		in.NextToken = out.NextToken
	}
}

// cachedService is findServiceByName remembered for the provider process:
// a plan of many endpoints for one service asks EC2 once.
func cachedService(ctx context.Context, c *Client, name string) (*types.ServiceDetail, error) {
	return fact(ctx, &c.lookups, "service:"+name, func(ctx context.Context) (*types.ServiceDetail, error) {
		return findServiceByName(ctx, c.ec2, name, c.region)
	})
}

// serviceLookupDiagnostic words a failed service lookup for the user. For
// "not found" it names the caller's account, which is what EngFlow needs to
// allowlist, and points out a Region mismatch, the other common cause.
func serviceLookupDiagnostic(ctx context.Context, c *Client, name string, err error) diag.Diagnostic {
	if !isNotFound(err) {
		return diag.NewErrorDiagnostic("Looking up EngFlow endpoint service "+name+" failed", err.Error())
	}
	account := "your AWS account"
	if id, idErr := c.accountID(ctx); idErr == nil {
		account = "AWS account " + id
	} else {
		account += " (its ID could not be read: " + idErr.Error() + ")"
	}
	detail := fmt.Sprintf("EC2 in %s does not offer the endpoint service %s to %s. AWS gives this answer both "+
		"when the service does not exist in this Region and when the account is not allowlisted for it.\n\n", c.region, name, account)
	if remote := remoteRegion(name, c.region); remote != "" {
		detail += fmt.Sprintf("The service lives in %s and the endpoint in %s, so the provider asked across Regions "+
			"(cross-Region PrivateLink). AWS also answers this way when the service does not accept endpoints from %s: "+
			"ask EngFlow to enable %s for the service. To connect within %s instead, set region = %q on the resource "+
			"with a VPC of that Region.\n\n", remote, c.region, c.region, c.region, remote, remote)
	}
	detail += "Check the service name EngFlow gave you, then send " + account +
		" to your EngFlow support engineer to be allowlisted."
	return diag.NewErrorDiagnostic("EngFlow endpoint service "+name+" not found or not allowlisted", detail)
}

// ---- The consumer VPC, for plan-time checks and the health checks ----

// findSubnets returns the subnets that exist among ids. A subnet's VPC and
// zone never change, so each is asked for once per process, batched with
// the other resources' look-ups.
func findSubnets(ctx context.Context, c *Client, ids []string) (map[string]types.Subnet, error) {
	found := map[string]types.Subnet{}
	var missing []string
	for _, id := range ids {
		if v, ok := c.lookups.facts.Load("subnet:" + id); ok {
			found[id] = v.(types.Subnet)
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return found, nil
	}
	fetched, err := c.subnets.getAll(ctx, missing)
	if err != nil {
		return nil, err
	}
	for id, sn := range fetched {
		c.lookups.facts.Store("subnet:"+id, sn)
		found[id] = sn
	}
	return found, nil
}

// findSecurityGroups returns the security groups that exist among ids, as
// they are now: their rules can change at any time.
func findSecurityGroups(ctx context.Context, c *Client, ids []string) (map[string]types.SecurityGroup, error) {
	return c.groups.getAll(ctx, ids)
}

// describeSubnets is the batcher fetch for subnets, by filter (see
// describeEndpoints).
func describeSubnets(conn EC2API) batchFetch[types.Subnet] {
	return chunked(func(ctx context.Context, ids []string) (map[string]types.Subnet, error) {
		p := ec2.NewDescribeSubnetsPaginator(conn, &ec2.DescribeSubnetsInput{Filters: filterOn("subnet-id", ids)})
		return byID(ctx, "subnets", p, func(o *ec2.DescribeSubnetsOutput) []types.Subnet { return o.Subnets },
			func(s types.Subnet) *string { return s.SubnetId })
	})
}

// describeSecurityGroups is the batcher fetch for security groups, by
// filter (see describeEndpoints).
func describeSecurityGroups(conn EC2API) batchFetch[types.SecurityGroup] {
	return chunked(func(ctx context.Context, ids []string) (map[string]types.SecurityGroup, error) {
		p := ec2.NewDescribeSecurityGroupsPaginator(conn, &ec2.DescribeSecurityGroupsInput{Filters: filterOn("group-id", ids)})
		return byID(ctx, "security groups", p, func(o *ec2.DescribeSecurityGroupsOutput) []types.SecurityGroup { return o.SecurityGroups },
			func(g types.SecurityGroup) *string { return g.GroupId })
	})
}

// findVPCDNSAttributes reads both attributes as they are now (EC2 answers
// one per call); concurrent callers for one VPC share the calls.
func findVPCDNSAttributes(ctx context.Context, c *Client, vpcID string) (vpcDNSAttributes, error) {
	return shared(ctx, &c.lookups, "vpc-dns:"+vpcID, func(ctx context.Context) (vpcDNSAttributes, error) {
		var attrs vpcDNSAttributes
		var supportErr, hostnamesErr error
		var wg sync.WaitGroup
		wg.Go(func() {
			attrs.Support, supportErr = vpcAttribute(ctx, c, vpcID, types.VpcAttributeNameEnableDnsSupport)
		})
		wg.Go(func() {
			attrs.Hostnames, hostnamesErr = vpcAttribute(ctx, c, vpcID, types.VpcAttributeNameEnableDnsHostnames)
		})
		wg.Wait()
		return attrs, cmp.Or(supportErr, hostnamesErr)
	})
}

// vpcAttribute reads one boolean attribute of a VPC.
func vpcAttribute(ctx context.Context, c *Client, vpcID string, a types.VpcAttributeName) (bool, error) {
	out, err := c.ec2.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String(vpcID), Attribute: a})
	switch {
	case errorCode(err) == codeVPCNotFound:
		return false, &NotFoundError{Kind: "VPC", ID: vpcID, Cause: err}
	case err != nil:
		return false, fmt.Errorf("reading %s of %s: %w", a, vpcID, err)
	case a == types.VpcAttributeNameEnableDnsSupport:
		return out.EnableDnsSupport != nil && aws.ToBool(out.EnableDnsSupport.Value), nil
	default:
		return out.EnableDnsHostnames != nil && aws.ToBool(out.EnableDnsHostnames.Value), nil
	}
}

// findVPCCIDRs lists the VPCs' associated IPv4 and IPv6 CIDR blocks: where
// Bazel clients in them connect from. One call for all; a VPC EC2 does not
// know adds nothing (a filter, so that one deleted spoke does not fail
// the others).
func findVPCCIDRs(ctx context.Context, c *Client, vpcIDs []string) ([]string, error) {
	var vpcs []types.Vpc
	p := ec2.NewDescribeVpcsPaginator(c.ec2, &ec2.DescribeVpcsInput{Filters: filterOn("vpc-id", vpcIDs)})
	err := eachItem(ctx, strings.Join(vpcIDs, ", "), p, func(o *ec2.DescribeVpcsOutput) []types.Vpc { return o.Vpcs }, func(v types.Vpc) { vpcs = append(vpcs, v) })
	if err != nil {
		return nil, err
	}
	var cidrs []string
	for _, v := range vpcs {
		mark := len(cidrs)
		for _, a := range v.CidrBlockAssociationSet {
			if a.CidrBlockState == nil || a.CidrBlockState.State == types.VpcCidrBlockStateCodeAssociated {
				cidrs = append(cidrs, aws.ToString(a.CidrBlock))
			}
		}
		for _, a := range v.Ipv6CidrBlockAssociationSet {
			if a.Ipv6CidrBlockState == nil || a.Ipv6CidrBlockState.State == types.VpcCidrBlockStateCodeAssociated {
				cidrs = append(cidrs, aws.ToString(a.Ipv6CidrBlock))
			}
		}
		if len(cidrs) == mark && v.CidrBlock != nil {
			cidrs = append(cidrs, aws.ToString(v.CidrBlock))
		}
	}
	return cidrs, nil
}

// findNetworkACLs maps each subnet to the network ACL that governs it: the
// one it is associated with, else the VPC's default ACL.
func findNetworkACLs(ctx context.Context, c *Client, vpcID string, subnetIDs []string) (map[string]types.NetworkAcl, error) {
	var acls []types.NetworkAcl
	p := ec2.NewDescribeNetworkAclsPaginator(c.ec2, &ec2.DescribeNetworkAclsInput{Filters: filterOn("vpc-id", []string{vpcID})})
	err := eachItem(ctx, "the network ACLs of "+vpcID, p, func(o *ec2.DescribeNetworkAclsOutput) []types.NetworkAcl { return o.NetworkAcls },
		func(acl types.NetworkAcl) { acls = append(acls, acl) })
	if err != nil {
		return nil, err
	}
	bySubnet := map[string]types.NetworkAcl{}
	var defaultACL *types.NetworkAcl
	for i, acl := range acls {
		if aws.ToBool(acl.IsDefault) {
			defaultACL = &acls[i]
		}
		for _, a := range acl.Associations {
			bySubnet[aws.ToString(a.SubnetId)] = acl
		}
	}
	result := make(map[string]types.NetworkAcl, len(subnetIDs))
	for _, id := range subnetIDs {
		if acl, ok := bySubnet[id]; ok {
			result[id] = acl
		} else if defaultACL != nil {
			result[id] = *defaultACL
		}
	}
	return result, nil
}
