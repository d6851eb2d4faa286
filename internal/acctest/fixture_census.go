package acctest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// censusLooks is how many listings CheckExactlyEndpoints unites: a new
// endpoint may be missing from one answer (eventual consistency), and a
// duplicate must not hide that way.
const (
	censusLooks = 3
	censusPause = 500 * time.Millisecond
)

// CheckExactlyEndpoints returns nil when the endpoints EC2 holds in vpcIDs,
// in any state but deleting or deleted, are exactly want: none lost, no
// duplicate, no orphan. Pass no want to check that none are left.
func (a *AWS) CheckExactlyEndpoints(ctx context.Context, vpcIDs, want []string) error {
	byVPC := map[string][]string{}
	for _, id := range want {
		ep, err := a.EndpointEventually(ctx, id)
		if err != nil {
			return fmt.Errorf("endpoint %s in state: %w", id, err)
		}
		byVPC[aws.ToString(ep.VpcId)] = append(byVPC[aws.ToString(ep.VpcId)], id)
	}
	for vpc, ids := range byVPC {
		if !slices.Contains(vpcIDs, vpc) {
			return fmt.Errorf("endpoints %v are in VPC %s, not in %v", ids, vpc, vpcIDs)
		}
		if err := a.WaitForEndpointsListed(ctx, vpc, ids, notFoundTolerance()); err != nil {
			return err
		}
	}
	live := map[string]string{} // ID -> state
	for look := range censusLooks {
		if look > 0 {
			time.Sleep(censusPause)
		}
		eps, err := a.Endpoints(ctx, &ec2.DescribeVpcEndpointsInput{
			Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: vpcIDs}},
		})
		if err != nil {
			return fmt.Errorf("listing the endpoints of %v: %w", vpcIDs, err)
		}
		for _, ep := range eps {
			if !strings.EqualFold(string(ep.State), "deleting") && !strings.EqualFold(string(ep.State), "deleted") {
				live[aws.ToString(ep.VpcEndpointId)] = string(ep.State)
			}
		}
	}
	var extra, missing []string
	for id, state := range live {
		if !slices.Contains(want, id) {
			extra = append(extra, id+" ("+state+")")
		}
	}
	for _, id := range want {
		if _, ok := live[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(extra)+len(missing) > 0 {
		slices.Sort(extra)
		return fmt.Errorf("EC2 holds %d live endpoints in %v, want %d: not in state (duplicates or orphans): %v; in state but not live: %v",
			len(live), vpcIDs, len(want), extra, missing)
	}
	return nil
}

// ExactlyStateEndpoints checks that EC2 in a's Region holds, in vpcIDs,
// exactly the endpoints of that Region of the state's
// engflow_privatelink_endpoint resources (in any module).
func ExactlyStateEndpoints(a *AWS, vpcIDs ...string) statecheck.StateCheck {
	return StateCheckFunc(func(ctx context.Context, st *tfjson.State) error {
		if st == nil || st.Values == nil {
			return fmt.Errorf("no state")
		}
		var inRegion []string
		for _, ep := range StateEndpoints(st) {
			if ep.Region == a.Region {
				inRegion = append(inRegion, ep.ID)
			}
		}
		return a.CheckExactlyEndpoints(ctx, vpcIDs, inRegion)
	})
}

// StateCheckFunc is a state check made of a function.
type StateCheckFunc func(ctx context.Context, st *tfjson.State) error

func (f StateCheckFunc) CheckState(ctx context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f(ctx, req.State)
}
