package privatelink

// Ownership, in one paragraph. Every endpoint this provider creates carries
// the tag engflow:creating=<provider process ID>, written by the
// CreateVpcEndpoint call itself (TagSpecifications), so none exists without
// it. A create that finishes removes it; one that is interrupted, cancelled
// or fails keeps it. A marked endpoint is therefore an unfinished create:
// one in flight in another run, or one whose run died before Terraform saved
// it. EC2 cannot tell those apart, so the provider never guesses: a plan
// that would create an endpoint where another process's marked endpoint
// connects the same VPC and service stops with an error that names it and
// says how to import or delete it; a create that sees one, older than its
// own, only while it waits (EC2 lists new endpoints late) deletes its own
// endpoint again and stops the same way. An endpoint in a state that still
// carries its marker (Terraform saved an interrupted create) shows it in
// tags_all, so the next plan removes it in place. Nothing here writes during
// plan, refresh or import, renews anything in the background, or compares
// the clocks of two machines to decide who owns what.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

const (
	creationMarkerKey = "engflow:creating"
	// staleMarkerAge: a marker this old (by EC2's creation time) is no
	// create in flight, which times out in minutes, only a leftover.
	staleMarkerAge = 6 * time.Hour
	// markerTimeout bounds the removal of a finished create's marker, which
	// EC2 may not know for a moment after the create (eventual consistency).
	markerTimeout = 30 * time.Second
	// privateMarkerRemoved is the private-state key set once this resource
	// has removed its endpoint's marker: a marker read after that is an
	// eventually consistent read from before, never a new one.
	privateMarkerRemoved = "marker_removed"
)

// processID names this provider process in the markers of its creates, in
// every Region. Terraform applies in one process, so a create of this
// process (another resource of the same apply) is no stranger.
var processID = randomHex(8)

func markerOf(ep types.VpcEndpoint) (string, bool) {
	for _, t := range ep.Tags {
		if aws.ToString(t.Key) == creationMarkerKey {
			return aws.ToString(t.Value), true
		}
	}
	return "", false
}

// unfinishedElsewhere is what of existing are other processes' unfinished
// creates, split into those young enough to be in flight and stale ones.
// mine is the marker of the resource's own endpoint, if it still has one:
// endpoints marked alike come from the same run, and so from this state.
func unfinishedElsewhere(existing []types.VpcEndpoint, self, mine string, now time.Time) (young, stale []types.VpcEndpoint) {
	for _, ep := range existing {
		m, marked := markerOf(ep)
		switch {
		case !marked || m == processID || (mine != "" && m == mine) || aws.ToString(ep.VpcEndpointId) == self || !isActive(ep):
		case ep.CreationTimestamp != nil && now.Sub(*ep.CreationTimestamp) >= staleMarkerAge:
			stale = append(stale, ep)
		default:
			young = append(young, ep)
		}
	}
	return young, stale
}

// unfinishedDiagnostic is the error for other runs' unfinished creates in
// the VPC: what is there, why this run stops, and the commands that settle
// it. outcome says what this run did.
func unfinishedDiagnostic(region string, eps []types.VpcEndpoint, now time.Time, outcome string) diag.Diagnostic {
	named, settle := describeUnfinished(region, eps, now)
	return diag.NewErrorDiagnostic(fmt.Sprintf("Unfinished create of an endpoint in %s", aws.ToString(eps[0].VpcId)),
		fmt.Sprintf("%s connects %s to %s and still carries the tag %s, which this provider writes when it creates an endpoint "+
			"and removes when the create finishes. Either another Terraform run is creating it right now, or a run was "+
			"interrupted before Terraform saved it, and then it is in no state: a second endpoint here would be a duplicate "+
			"that nothing tracks. %s\n\nIf another workspace is creating it, rerun when that run finishes.\n%s",
			named, aws.ToString(eps[0].VpcId), aws.ToString(eps[0].ServiceName), creationMarkerKey, outcome, settle))
}

// staleMarkerWarning names marked endpoints too old to be a create in flight.
func staleMarkerWarning(region string, eps []types.VpcEndpoint, now time.Time) diag.Diagnostic {
	named, settle := describeUnfinished(region, eps, now)
	return diag.NewWarningDiagnostic(fmt.Sprintf("Endpoints left by creates that never finished, in %s", aws.ToString(eps[0].VpcId)),
		fmt.Sprintf("%s carry the tag %s of a create that stopped more than %s ago, before Terraform saved them. If one is this "+
			"resource's, this apply makes a second endpoint beside it.\n%s", named, creationMarkerKey, staleMarkerAge, settle))
}

// describeUnfinished names marked endpoints with their age, and gives the
// commands that settle each: import it, delete it, or remove the tag.
func describeUnfinished(region string, eps []types.VpcEndpoint, now time.Time) (named, settle string) {
	var names, steps []string
	for _, ep := range eps {
		id := aws.ToString(ep.VpcEndpointId)
		age := "at a time EC2 does not report"
		if ep.CreationTimestamp != nil {
			age = fmt.Sprintf("%s ago", max(now.Sub(*ep.CreationTimestamp), 0).Round(time.Second))
		}
		names = append(names, fmt.Sprintf("%s (state %s, created %s)", id, ep.State, age))
		steps = append(steps, fmt.Sprintf("For %s: if it is this resource's, bring it under Terraform with an import block\n"+
			"  import {\n    to = <resource address, e.g. engflow_privatelink_endpoint.this>\n    id = %q\n  }\n"+
			"or the command\n  terraform import <resource address> %s@%s\nIf nothing needs it, delete it:\n"+
			"  aws ec2 delete-vpc-endpoints --region %s --vpc-endpoint-ids %s\nIf it is in another state already (a create "+
			"that could not remove the tag), remove the tag:\n  aws ec2 delete-tags --region %s --resources %s --tags Key=%s",
			id, id+"@"+region, id, region, region, id, region, id, creationMarkerKey))
	}
	return strings.Join(names, " and "), strings.Join(steps, "\n")
}

// createWatch is the look of a create's wait. It lists the endpoints of
// the VPC and service (batched with other waits), so that it sees, at no
// call of its own, other runs' unfinished creates that EC2 did not list
// yet when the plan looked.
type createWatch struct {
	c         *Client
	spec      endpointSpec
	self      types.VpcEndpoint
	neighbors map[string]types.VpcEndpoint // the latest view of each other endpoint
}

func newCreateWatch(c *Client, s endpointSpec, self types.VpcEndpoint) *createWatch {
	return &createWatch{c: c, spec: s, self: self, neighbors: map[string]types.VpcEndpoint{}}
}

func (w *createWatch) look(ctx context.Context, id string) (*types.VpcEndpoint, error) {
	eps, err := listEndpointsOfService(ctx, w.c, w.spec.VpcID, w.spec.ServiceName)
	var found *types.VpcEndpoint
	for i, ep := range eps {
		if other := aws.ToString(ep.VpcEndpointId); other != id {
			w.neighbors[other] = ep
		} else if !stateIs(ep.State, "deleted") {
			found = &eps[i]
		}
	}
	if found == nil && err == nil {
		err = &NotFoundError{Kind: kindEndpoint, ID: id}
	}
	return found, err
}

// earlier is the young unfinished creates of other processes the wait saw
// that EC2 made before this one: each run gives way only to older ones
// (EC2's timestamps, then IDs, decide), so of two runs that meet, one keeps
// its endpoint.
func (w *createWatch) earlier(now time.Time) []types.VpcEndpoint {
	var seen, out []types.VpcEndpoint
	for _, ep := range w.neighbors {
		seen = append(seen, ep)
	}
	young, _ := unfinishedElsewhere(seen, aws.ToString(w.self.VpcEndpointId), "", now)
	for _, ep := range young {
		a, b := ep.CreationTimestamp, w.self.CreationTimestamp
		if a == nil || b == nil || a.Equal(*b) {
			if aws.ToString(ep.VpcEndpointId) < aws.ToString(w.self.VpcEndpointId) {
				out = append(out, ep)
			}
		} else if a.Before(*b) {
			out = append(out, ep)
		}
	}
	return out
}

// giveWay deletes this create's endpoint, a second one beside the earlier
// unfinished creates its wait saw, and reports them. It returns false when
// the delete failed: then the endpoint must be saved (tainted), not lost.
func (o endpointOps) giveWay(ctx context.Context, id string, earlier []types.VpcEndpoint, diags *diag.Diagnostics) bool {
	err := deleteEndpoint(ctx, o.client, o.poller, id, true)
	outcome := fmt.Sprintf("This run created %s before EC2 listed the endpoint above, and deleted it again.", id)
	if err != nil {
		outcome = fmt.Sprintf("This run created %s before EC2 listed the endpoint above; deleting it again failed (%s), so it is "+
			"saved to the state and the next apply replaces it.", id, err)
	}
	diags.Append(unfinishedDiagnostic(o.client.region, earlier, time.Now(), outcome))
	return err == nil
}

// removeMarker ends a finished create: its endpoint is Terraform's. EC2
// may not know a new endpoint everywhere yet, so a not-found answer is
// tried again until markerTimeout. A failure is a warning: the next plan
// shows the marker in tags_all, and the next apply removes it.
func (o endpointOps) removeMarker(ctx context.Context, private privateState, id string, diags *diag.Diagnostics) {
	ctx, cancel := context.WithTimeout(ctx, markerTimeout)
	defer cancel()
	err := retryWhileUnknown(ctx, o.poller, func(ctx context.Context) error {
		_, err := o.client.markers.get(ctx, id)
		return err
	})
	if err == nil {
		diags.Append(private.SetKey(ctx, privateMarkerRemoved, []byte("true"))...)
		return
	}
	detail := fmt.Sprintf("Removing it failed: %s. The endpoint is saved; the next plan shows the tag's removal from tags_all, "+
		"and the next apply removes it.", strings.TrimSuffix(err.Error(), ".")) // AWS's messages end with one
	if errorCode(err) == codeUnauthorized {
		detail += " Allow ec2:DeleteTags on VPC endpoints (see the IAM permissions guide)."
	}
	diags.AddWarning(fmt.Sprintf("Could not remove the tag %s from %s", creationMarkerKey, id), detail)
}

// markerRemoved reports whether this resource removed its endpoint's marker.
func markerRemoved(ctx context.Context, private privateState) bool {
	raw, _ := private.GetKey(ctx, privateMarkerRemoved)
	return string(raw) == "true"
}

// removeMarkers is the batcher fetch that removes the marker from many
// endpoints with one DeleteTags call.
func removeMarkers(conn EC2API) batchFetch[struct{}] {
	return tagEach(func(ctx context.Context, ids []string) error {
		_, err := conn.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: ids, Tags: []types.Tag{{Key: aws.String(creationMarkerKey)}}})
		return err
	})
}
