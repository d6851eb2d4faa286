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
	// staleMarkerAge: a marker this old is no create in flight (a create
	// times out in minutes), only a leftover; it is named in a warning.
	staleMarkerAge = 6 * time.Hour
	// markerTimeout bounds the removal of a finished create's marker, which
	// EC2 may not know for a moment after the create (eventual consistency).
	markerTimeout = 30 * time.Second
	// privateMarkerRemoved is the private-state key set once this resource
	// has removed its endpoint's marker: a marker read after that is an
	// eventually consistent read from before, never a new one.
	privateMarkerRemoved = "marker_removed"
)

// processID names this provider process in the markers of its creates,
// the same in every Region. Terraform plans and applies in one process, so
// a create of this process (another resource of the same apply) is no
// stranger.
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

// ageOf words how long ago EC2 says the endpoint was created.
func ageOf(ep types.VpcEndpoint, now time.Time) string {
	if ep.CreationTimestamp == nil {
		return "at a time EC2 does not report"
	}
	return fmt.Sprintf("%s ago", max(now.Sub(*ep.CreationTimestamp), 0).Round(time.Second))
}

// unfinishedDiagnostic is the error for other runs' unfinished creates in
// the VPC: what is there, why this run stops, and the commands that settle
// it. outcome says what this run did.
func unfinishedDiagnostic(region string, eps []types.VpcEndpoint, now time.Time, outcome string) diag.Diagnostic {
	first := eps[0]
	vpc, service := aws.ToString(first.VpcId), aws.ToString(first.ServiceName)
	var named, settle []string
	for _, ep := range eps {
		id := aws.ToString(ep.VpcEndpointId)
		named = append(named, fmt.Sprintf("%s (state %s, created %s)", id, ep.State, ageOf(ep, now)))
		settle = append(settle, fmt.Sprintf("For %s: if it is this resource's, bring it under Terraform with an import block\n"+
			"  import {\n    to = <resource address, e.g. engflow_privatelink_endpoint.this>\n    id = %q\n  }\n"+
			"or the command\n  terraform import <resource address> %s@%s\nIf nothing needs it, delete it:\n"+
			"  aws ec2 delete-vpc-endpoints --region %s --vpc-endpoint-ids %s", id, id+"@"+region, id, region, region, id))
	}
	return diag.NewErrorDiagnostic(fmt.Sprintf("Unfinished create of an endpoint in %s", vpc),
		fmt.Sprintf("%s connects %s to %s and still carries the tag %s, which this provider writes when it creates an endpoint "+
			"and removes when the create finishes. Either another Terraform run is creating it right now, or a run was "+
			"interrupted before Terraform saved it, and then it is in no state: a second endpoint here would be a duplicate "+
			"that nothing tracks. %s\n\nIf another workspace is creating it, rerun when that run finishes.\n%s",
			strings.Join(named, " and "), vpc, service, creationMarkerKey, outcome, strings.Join(settle, "\n")))
}

// staleMarkerWarning names marked endpoints too old to be a create in flight.
func staleMarkerWarning(region string, eps []types.VpcEndpoint, now time.Time) diag.Diagnostic {
	var lines []string
	for _, ep := range eps {
		id := aws.ToString(ep.VpcEndpointId)
		lines = append(lines, fmt.Sprintf("  %s, created %s: import it (terraform import <resource address> %s@%s), delete it "+
			"(aws ec2 delete-vpc-endpoints --region %s --vpc-endpoint-ids %s), or keep it and remove the tag "+
			"(aws ec2 delete-tags --region %s --resources %s --tags Key=%s)", id, ageOf(ep, now), id, region, region, id, region, id, creationMarkerKey))
	}
	return diag.NewWarningDiagnostic(fmt.Sprintf("Endpoints left by creates that never finished, in %s", aws.ToString(eps[0].VpcId)),
		fmt.Sprintf("These carry the tag %s of a create that stopped more than %s ago, before Terraform saved them. If one is this "+
			"resource's, this apply makes a second endpoint beside it.\n%s", creationMarkerKey, staleMarkerAge, strings.Join(lines, "\n")))
}

// createWatch is the look of a create's wait. It lists the endpoints of
// the VPC and service (batched with other waits), so that it sees, at no
// call of its own, other runs' unfinished creates that EC2 did not list
// yet when the plan looked.
type createWatch struct {
	c         *Client
	vpcID     string
	service   string
	self      types.VpcEndpoint
	neighbors map[string]types.VpcEndpoint // the latest view of each other endpoint
}

func newCreateWatch(c *Client, s endpointSpec, self types.VpcEndpoint) *createWatch {
	return &createWatch{c: c, vpcID: s.VpcID, service: s.ServiceName, self: self, neighbors: map[string]types.VpcEndpoint{}}
}

func (w *createWatch) look(ctx context.Context, id string) (*types.VpcEndpoint, error) {
	eps, err := listEndpointsOfService(ctx, w.c, w.vpcID, w.service)
	if err != nil {
		return nil, err
	}
	var found *types.VpcEndpoint
	for i, ep := range eps {
		if other := aws.ToString(ep.VpcEndpointId); other != id {
			w.neighbors[other] = ep
		} else if !stateIs(ep.State, "deleted") {
			found = &eps[i]
		}
	}
	if found == nil {
		return nil, &NotFoundError{Kind: kindEndpoint, ID: id}
	}
	return found, nil
}

// earlier is the young unfinished creates of other processes the wait saw
// that EC2 made before this one: each run gives way only to older ones
// (EC2's own timestamps, then IDs, decide), so of two runs that meet, one
// keeps its endpoint.
func (w *createWatch) earlier(now time.Time) []types.VpcEndpoint {
	var seen []types.VpcEndpoint
	for _, ep := range w.neighbors {
		seen = append(seen, ep)
	}
	young, _ := unfinishedElsewhere(seen, aws.ToString(w.self.VpcEndpointId), "", now)
	var out []types.VpcEndpoint
	for _, ep := range young {
		if before(ep, w.self) {
			out = append(out, ep)
		}
	}
	return out
}

func before(a, b types.VpcEndpoint) bool {
	if a.CreationTimestamp == nil || b.CreationTimestamp == nil || a.CreationTimestamp.Equal(*b.CreationTimestamp) {
		return aws.ToString(a.VpcEndpointId) < aws.ToString(b.VpcEndpointId)
	}
	return a.CreationTimestamp.Before(*b.CreationTimestamp)
}

// removeMarker ends a finished create: its endpoint is Terraform's. EC2
// may not know the new endpoint everywhere yet, so a not-found answer is
// tried again until markerTimeout.
func (c *Client) removeMarker(ctx context.Context, p poller, id string) error {
	ctx, cancel := context.WithTimeout(ctx, markerTimeout)
	defer cancel()
	return retryWhileUnknown(ctx, p, func(ctx context.Context) error {
		_, err := c.markers.get(ctx, id)
		return err
	})
}

// markerWarning words a marker the create could not remove.
func markerWarning(id string, err error) diag.Diagnostic {
	detail := fmt.Sprintf("Removing it failed: %s. The endpoint is saved; the next plan shows the tag's removal from tags_all, "+
		"and the next apply removes it.", err)
	if errorCode(err) == codeUnauthorized {
		detail += " Allow ec2:DeleteTags on VPC endpoints (see the IAM permissions guide)."
	}
	return diag.NewWarningDiagnostic(fmt.Sprintf("Could not remove the tag %s from %s", creationMarkerKey, id), detail)
}

// removeMarkers is the batcher fetch that removes the marker from many
// endpoints with one DeleteTags call.
func removeMarkers(conn EC2API) batchFetch[struct{}] {
	return tagEach(func(ctx context.Context, ids []string) error {
		_, err := conn.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: ids, Tags: []types.Tag{{Key: aws.String(creationMarkerKey)}}})
		return err
	})
}
