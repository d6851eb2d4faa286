package privatelink

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

const (
	// claimSettle is how long a claimant waits between writing its lease on
	// an orphan and reading it back: long enough for a rival's write to
	// show (eventual consistency), so that only one of them reads its own.
	claimSettle = 3 * time.Second
	// conflictSearch bounds the look for the endpoint that holds the
	// private DNS name after EC2 refused a create for it: EC2's lists lag
	// behind its own checks by seconds.
	conflictSearch = time.Minute
	// goneAfterMisses is how many listings in a row may miss an undecided
	// sibling before it counts as gone: EC2 leaves an endpoint out of an
	// answer now and then (eventual consistency) before it is really gone.
	goneAfterMisses = 6
)

// siblingWatch follows, for one create, the other endpoints of its VPC and
// service. Those that other runs are creating with the same arguments are
// the question: EC2 cannot say whether the run behind one is alive, but its
// lease (creation_marker.go) can. A lease that is renewed, released or
// replaced shows a live run, which keeps its endpoint; a lease that runs
// out shows an orphan, which this create claims.
type siblingWatch struct {
	c          *Client
	clock      clock
	spec       endpointSpec
	acceptance bool
	self       string // this create's endpoint, once made

	undecided map[string]*sighting // other runs' live creates of the same request
	decided   map[string]bool      // siblings whose run showed itself alive, or that were dealt with
	listed    []types.VpcEndpoint  // the latest listing, without self
}

// sighting is what the watch knows of an undecided sibling.
type sighting struct {
	first  string // its marker when first seen
	marker marker
	misses int // listings in a row that left it out
}

func newSiblingWatch(c *Client, p poller, spec endpointSpec, acceptance bool) *siblingWatch {
	return &siblingWatch{c: c, clock: p.clock, spec: spec, acceptance: acceptance,
		undecided: map[string]*sighting{}, decided: map[string]bool{}}
}

// list lists the endpoints of the VPC and service and takes note of the
// siblings.
func (w *siblingWatch) list(ctx context.Context) ([]types.VpcEndpoint, error) {
	eps, err := listEndpointsOfService(ctx, w.c, w.spec.VpcID, w.spec.ServiceName)
	if err == nil {
		w.observe(eps)
	}
	return eps, err
}

// look is list for the create's wait: it returns the endpoint id when
// listed, else a NotFoundError (EC2 may not list a new endpoint yet). So
// watching the siblings costs the wait no call of its own.
func (w *siblingWatch) look(ctx context.Context, id string) (*types.VpcEndpoint, error) {
	eps, err := w.list(ctx)
	if err != nil {
		return nil, err
	}
	for i := range eps {
		if aws.ToString(eps[i].VpcEndpointId) == id {
			if stateIs(eps[i].State, "deleted") {
				return nil, &NotFoundError{Kind: kindEndpoint, ID: id, Deleted: true}
			}
			return &eps[i], nil
		}
	}
	return nil, &NotFoundError{Kind: kindEndpoint, ID: id}
}

// observe sorts a listing's siblings: another run's live create of the same
// request is undecided until its lease changes (that run is alive) or runs
// out (an orphan, see orphans).
func (w *siblingWatch) observe(eps []types.VpcEndpoint) {
	now := w.clock.Now()
	w.listed = w.listed[:0]
	seen := map[string]bool{}
	for _, ep := range eps {
		id := aws.ToString(ep.VpcEndpointId)
		if id == w.self {
			continue
		}
		w.listed = append(w.listed, ep)
		seen[id] = true
		if w.decided[id] || !sameRequest(ep, w.spec, w.acceptance) {
			continue
		}
		own, m := w.c.ownerOf(ep, now)
		value, _ := markerTag(ep.Tags)
		s, known := w.undecided[id]
		switch {
		case !isActive(ep):
			if known {
				w.decide(id) // going
			}
		case own == ownerLiveRun && !known:
			w.undecided[id] = &sighting{first: value, marker: m}
		case own == ownerLiveRun && value == s.first:
			s.misses = 0
		case own == ownerNone:
			delete(w.undecided, id) // an orphan now: see orphans
		case known:
			w.decide(id) // renewed, released, or claimed by a run: alive
		}
	}
	for id, s := range w.undecided {
		if !seen[id] {
			if s.misses++; s.misses >= goneAfterMisses {
				w.decide(id)
			}
		}
	}
}

func (w *siblingWatch) decide(id string) {
	delete(w.undecided, id)
	w.decided[id] = true
}

// orphans are the listed siblings of the same request whose run is gone.
func (w *siblingWatch) orphans() []types.VpcEndpoint {
	var out []types.VpcEndpoint
	now := w.clock.Now()
	for _, ep := range w.listed {
		id := aws.ToString(ep.VpcEndpointId)
		if own, _ := w.c.ownerOf(ep, now); own == ownerNone && !w.decided[id] && isActive(ep) && sameRequest(ep, w.spec, w.acceptance) {
			out = append(out, ep)
		}
	}
	return out
}

// waiting reports whether some sibling is still undecided.
func (w *siblingWatch) waiting() bool { return len(w.undecided) > 0 }

// adoptOrphan looks until every sibling of the same request is decided,
// and claims the first orphan among them (see claim). It returns the orphan
// claimed, or nil: then this create makes its own endpoint. A listing the
// resource's plan made moments ago serves as the first look (see
// takeListing).
func (w *siblingWatch) adoptOrphan(ctx context.Context, p poller, planned []types.VpcEndpoint, fresh bool) (*types.VpcEndpoint, error) {
	if fresh {
		w.observe(planned)
		if won, err := w.claimFirst(ctx, p); won != nil || err != nil || !w.waiting() {
			return won, err
		}
	}
	var won *types.VpcEndpoint
	err := p.retry(ctx, func(ctx context.Context) (bool, error) {
		if _, err := w.list(ctx); err != nil {
			return false, err
		}
		var err error
		won, err = w.claimFirst(ctx, p)
		return won != nil || !w.waiting(), err
	})
	return won, err
}

// claimFirst claims the first orphan listed that this process wins.
func (w *siblingWatch) claimFirst(ctx context.Context, p poller) (*types.VpcEndpoint, error) {
	for _, o := range w.orphans() {
		id := aws.ToString(o.VpcEndpointId)
		w.decide(id)
		if !w.c.claimInProcess(id) {
			continue // another create of this process has it
		}
		won, err := w.c.claim(ctx, p, id)
		if err != nil || won {
			return &o, err
		}
	}
	return nil, nil
}

// claim takes an endpoint over for this process: it writes this process's
// lease on it, waits claimSettle for rival claimants' writes to show, and
// reads it back. Only the claimant whose lease EC2 then shows has it, and
// its lease is renewed from then on. Claim only an endpoint whose lease ran
// out (or, for a create whose own lease lapsed, is still its own).
func (c *Client) claim(ctx context.Context, p poller, id string) (bool, error) {
	value, until := c.leases.value()
	_, err := c.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{id},
		Tags: []types.Tag{{Key: aws.String(creationMarkerKey), Value: aws.String(value)}}})
	if isEndpointNotFoundCode(errorCode(err)) {
		return false, nil // gone
	}
	if err != nil {
		return false, fmt.Errorf("claiming %s: %w", id, err)
	}
	select {
	case <-ctx.Done():
		return false, waitEnded(ctx)
	case <-p.clock.After(claimSettle):
	}
	ep, err := findEndpointByID(ctx, c, id)
	if isNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claiming %s: %w", id, err)
	}
	if got, _ := markerTag(ep.Tags); got != value {
		tflog.Info(ctx, "another run claimed the orphaned endpoint first", map[string]any{"id": id})
		return false, nil
	}
	c.leases.hold(ctx, id, until)
	return true, nil
}

// resolveConflict follows EC2's refusal of this create's private DNS name:
// it looks for the endpoint that holds the name, which EC2 may not list yet.
// An orphan of the same request is claimed and returned, for adoption.
// Otherwise the error names the holder once its run is known to be alive
// (or it is no run's), or is refused itself when nothing shows within
// conflictSearch.
func (w *siblingWatch) resolveConflict(ctx context.Context, p poller, refused error) (*types.VpcEndpoint, error) {
	start := w.clock.Now()
	var won, holder *types.VpcEndpoint
	err := p.retry(ctx, func(ctx context.Context) (bool, error) {
		if _, err := w.list(ctx); err != nil {
			return false, err
		}
		var err error
		if won, err = w.claimFirst(ctx, p); won != nil || err != nil {
			return true, err
		}
		holder = w.nameHolder()
		return holder != nil || (w.clock.Now().Sub(start) >= conflictSearch && !w.waiting()), nil
	})
	switch {
	case won != nil:
		return won, nil
	case err != nil:
		tflog.Warn(ctx, "looking for the endpoint that holds the private DNS name failed", map[string]any{"error": err.Error()})
	case holder != nil:
		own, m := w.c.ownerOf(*holder, w.clock.Now())
		return nil, &nameHeldError{refused: refused, holder: *holder, owner: own, marker: m}
	}
	return nil, refused
}

// nameHolder is the listed endpoint with private DNS on, unless the run
// behind it is still undecided (it may turn out an orphan to adopt).
func (w *siblingWatch) nameHolder() *types.VpcEndpoint {
	for i, ep := range w.listed {
		if aws.ToBool(ep.PrivateDnsEnabled) && isActive(ep) && w.undecided[aws.ToString(ep.VpcEndpointId)] == nil {
			return &w.listed[i]
		}
	}
	return nil
}

// nameHeldError is EC2's refusal of a private DNS name, with the endpoint
// that holds it.
type nameHeldError struct {
	refused error
	holder  types.VpcEndpoint
	owner   owner
	marker  marker
}

func (e *nameHeldError) Error() string { return e.refused.Error() }
func (e *nameHeldError) Unwrap() error { return e.refused }

// advice says who holds the name and what to do.
func (e *nameHeldError) advice() string {
	id := aws.ToString(e.holder.VpcEndpointId)
	switch e.owner {
	case ownerLiveRun:
		return fmt.Sprintf("The name is held by %s, which another Terraform run is creating right now (its lease on the tag %s "+
			"runs until %s). AWS allows one endpoint with private DNS per name in a VPC, so this run created nothing and "+
			"owns nothing. Let one configuration own the endpoint: remove this resource, or set private_dns_enabled = false "+
			"here, or, once the other run has finished and its endpoint is the one you want here, import it:\n  %s",
			id, creationMarkerKey, e.marker.until.UTC().Format(time.RFC3339), importHint(id))
	case ownerNone:
		return fmt.Sprintf("The name is held by %s, left by an interrupted run that created it with other arguments. "+
			"Bring it under Terraform:\n  %s\nor delete it (aws ec2 delete-vpc-endpoints --vpc-endpoint-ids %s), then apply again.",
			id, importHint(id), id)
	}
	return fmt.Sprintf("The name is held by %s. Manage that endpoint instead:\n  %s\nor set private_dns_enabled = false here.", id, importHint(id))
}

// deleteOrphans deals with the siblings this create saw while it waited:
// it waits until each shows its run alive or gone, and deletes those whose
// run is gone. Such an orphan is a duplicate of this create's endpoint, made
// by an interrupted run moments before and not yet listed when this create
// looked. It costs no call when the wait saw no such sibling.
func (w *siblingWatch) deleteOrphans(ctx context.Context, p poller) ([]string, error) {
	var deleted []string
	looked := false
	err := p.retry(ctx, func(ctx context.Context) (bool, error) {
		// The wait's last listing serves the first round.
		if looked || w.waiting() {
			if _, err := w.list(ctx); err != nil {
				return false, err
			}
		}
		looked = true
		for {
			o, err := w.claimFirst(ctx, p)
			if o == nil || err != nil {
				return !w.waiting(), err
			}
			id := aws.ToString(o.VpcEndpointId)
			w.c.leases.drop(id)
			if err := deleteEndpoint(ctx, w.c, p, id, false); err != nil {
				return false, fmt.Errorf("deleting %s: %w", id, err)
			}
			deleted = append(deleted, id)
		}
	})
	for _, id := range deleted {
		if goneErr := waitForEndpointGone(ctx, w.c, p, id, nil); goneErr != nil && err == nil {
			err = goneErr
		}
	}
	return deleted, err
}
