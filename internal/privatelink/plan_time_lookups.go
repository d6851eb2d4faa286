package privatelink

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// planLookups is what EC2 says about the things a plan names, for
// checkPlan; each look-up has its own error.
type planLookups struct {
	service     *types.ServiceDetail
	serviceErr  error
	groups      map[string]types.SecurityGroup
	groupsErr   error
	subnets     map[string]types.Subnet
	subnetsErr  error
	vpcDNS      vpcDNSAttributes
	vpcDNSErr   error
	existing    []types.VpcEndpoint
	existingErr error
}

// lookUpForPlan makes the look-ups a plan change calls for, all at once.
// Terraform plans up to -parallelism resources at a time; when each
// resource's look-ups are in flight together, those of all resources meet
// in the batchers and share calls.
func lookUpForPlan(ctx context.Context, cl *Client, c planChange) planLookups {
	var l planLookups
	s := c.spec
	var wg sync.WaitGroup
	if c.checksGroups() && len(s.SecurityGroupIDs) > 0 {
		wg.Go(func() { l.groups, l.groupsErr = findSecurityGroups(ctx, cl, s.SecurityGroupIDs) })
	}
	if c.needsService() {
		wg.Go(func() { l.service, l.serviceErr = cachedService(ctx, cl, s.ServiceName) })
	}
	if c.checksSubnets() || c.checksAddresses() {
		wg.Go(func() { l.subnets, l.subnetsErr = findSubnets(ctx, cl, s.SubnetIDs) })
	}
	if c.checksPrivateDNS() {
		wg.Go(func() { l.vpcDNS, l.vpcDNSErr = findVPCDNSAttributes(ctx, cl, s.VpcID) })
	}
	if c.checksExisting() {
		wg.Go(func() { l.existing, l.existingErr = findEndpointsOfService(ctx, cl, s.VpcID, s.ServiceName) })
	}
	wg.Wait()
	return l
}
