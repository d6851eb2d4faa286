package privatelink

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// creationMarkerKey tags an endpoint while the create that made it runs.
// Its value is a lease, "<provider process ID> <RFC 3339 time>": the
// creating process renews it (lease_keeper.go) until Terraform has the
// endpoint, then removes the tag.
//
// An endpoint that no state holds yet is either another run's create in
// flight or the leftover of a run that died before Terraform could save it
// (SIGKILL, a lost machine). EC2 cannot tell them apart; the lease can. A
// lease that goes on being renewed shows a live run, which keeps its
// endpoint. Only a lease that has run out, by leaseSkew, proves its run
// gone: such an orphan may be claimed by a create with the same arguments
// (sibling_watch.go). Nothing else is ever taken over.
const creationMarkerKey = "engflow:creating"

const (
	// leaseTerm is how far ahead a lease reaches when written. It must
	// outlast EC2's lag after a create (CreateTags does not know a new
	// endpoint for seconds) and a throttled renewal or two.
	leaseTerm = 30 * time.Second
	// leaseRenewal is how often the creating process renews its leases.
	leaseRenewal = 10 * time.Second
	// leaseSkew is how long past its end a lease must be before it counts
	// as run out: room for the clocks of two machines to differ and for EC2
	// to show a tag as it was before its last renewal.
	leaseSkew = 10 * time.Second
	// markerDone replaces the lease of a finished create when the tag
	// cannot be removed (no ec2:DeleteTags): it makes no orphan.
	markerDone = "done"
	// markerTimeout bounds the tag calls that end a create; they run even
	// when the create itself was interrupted.
	markerTimeout = 30 * time.Second
)

// marker is an endpoint's creation marker as read from its tags.
type marker struct {
	present bool
	run     string    // the provider process that holds the lease
	until   time.Time // zero when the value is no lease (done, or unknown)
}

func markerOf(ep types.VpcEndpoint) marker {
	v, ok := markerTag(ep.Tags)
	if !ok {
		return marker{}
	}
	m := marker{present: true}
	run, until, _ := strings.Cut(v, " ")
	if t, err := time.Parse(time.RFC3339, until); err == nil && run != "" {
		m.run, m.until = run, t
	}
	return m
}

func (m marker) isLease() bool { return !m.until.IsZero() }

// ranOut reports whether the lease is proven over at now.
func (m marker) ranOut(now time.Time) bool { return m.isLease() && now.After(m.until.Add(leaseSkew)) }

// adoptableAt is when the lease counts as run out.
func (m marker) adoptableAt() time.Time { return m.until.Add(leaseSkew) }

// leaseValue is the marker of a lease held by run until the given time.
func leaseValue(run string, until time.Time) string {
	return run + " " + until.UTC().Format(time.RFC3339)
}

// owner is who an existing endpoint belongs to, as far as a create of this
// process can tell.
type owner int

const (
	ownerSettled     owner = iota // no lease: in a state, made by hand, or a finished create
	ownerThisProcess              // a create of this provider process, in flight
	ownerLiveRun                  // another run's create, whose lease has not run out
	ownerNone                     // another run's create whose lease ran out: an orphan
)

func (c *Client) ownerOf(ep types.VpcEndpoint, now time.Time) (owner, marker) {
	m := markerOf(ep)
	switch {
	case !m.isLease():
		return ownerSettled, m
	case m.run == c.processID:
		return ownerThisProcess, m
	case m.ranOut(now):
		return ownerNone, m
	}
	return ownerLiveRun, m
}

// sameRequest reports whether an existing endpoint is what a create of s
// would have made: the same subnets, groups, IP types and tags, and the
// same private DNS unless EngFlow must accept first (the creating run may
// or may not have got as far as turning it on).
func sameRequest(ep types.VpcEndpoint, s endpointSpec, acceptance bool) bool {
	if acceptance {
		s.PrivateDNSEnabled = aws.ToBool(ep.PrivateDnsEnabled)
	}
	return aws.ToString(ep.VpcId) == s.VpcID && aws.ToString(ep.ServiceName) == s.ServiceName &&
		shows(&ep, s) && maps.Equal(tagMap(ep.Tags), nonNilMap(s.Tags))
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// releaseMarker ends a create: the endpoint is Terraform's now, so its
// marker goes. Without permission to remove the tag, the lease is replaced
// by markerDone instead, so that no other run ever takes the endpoint for
// an orphan; the error then says so. EC2 may not know a new endpoint yet
// (eventual consistency): a not-found answer is tried again until
// markerTimeout. It runs on a context of its own, so that an interrupted
// create, which still saves the endpoint, leaves no lease behind.
func (c *Client) releaseMarker(ctx context.Context, p poller, id string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markerTimeout)
	defer cancel()
	err := retryWhileUnknown(ctx, p, func(ctx context.Context) error {
		_, err := c.markers.get(ctx, id)
		return err
	})
	if errorCode(err) != codeUnauthorized {
		return err
	}
	_, doneErr := c.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{id},
		Tags: []types.Tag{{Key: aws.String(creationMarkerKey), Value: aws.String(markerDone)}}})
	if doneErr != nil {
		return fmt.Errorf("%w; marking it %q failed too: %w. Until the tag is removed, a run with the same arguments "+
			"may take %s for an orphan once the lease has run out", err, markerDone, doneErr, id)
	}
	return &markerKeptError{err}
}

// markerKeptError is a release that could only mark the endpoint done.
type markerKeptError struct{ err error }

func (e *markerKeptError) Error() string {
	return fmt.Sprintf("%s; the tag now says %q, so that no other run takes the endpoint over", e.err, markerDone)
}
func (e *markerKeptError) Unwrap() error { return e.err }

// markerWarning words a failed release for the resource's diagnostics.
func markerWarning(id string, err error) (summary, detail string) {
	summary = fmt.Sprintf("Could not remove the tag %s from %s", creationMarkerKey, id)
	detail = fmt.Sprintf("Removing it failed: %s.", err)
	if errorCode(err) == codeUnauthorized {
		detail += " Allow ec2:DeleteTags on VPC endpoints (see the IAM permissions guide): the provider removes the tag " +
			"on the next refresh."
	} else {
		detail += fmt.Sprintf(" The next refresh tries again; or remove it by hand: aws ec2 delete-tags --resources %s --tags Key=%s",
			id, creationMarkerKey)
	}
	return summary, detail
}

// retryWhileUnknown calls f until EC2 knows the endpoint it names (a
// not-found answer may be EC2 lagging behind the create), ctx ends, or
// it fails otherwise; it returns f's last error.
func retryWhileUnknown(ctx context.Context, p poller, f func(context.Context) error) error {
	var lastErr error
	err := p.retry(ctx, func(ctx context.Context) (bool, error) {
		lastErr = f(ctx)
		if isNotFound(lastErr) || isEndpointNotFoundCode(errorCode(lastErr)) {
			return false, nil
		}
		return true, lastErr
	})
	if err != nil && lastErr != nil {
		return lastErr // says more than why the retries ended
	}
	return err
}

// tagEach is a batcher fetch that makes one tag call (CreateTags or
// DeleteTags) for many endpoints. EC2 refuses the whole call when one of
// them is unknown (it may be lagging behind its create); then each is tried
// alone, so that only the unknown ones are left out of the answer.
func tagEach(call func(ctx context.Context, ids []string) error) batchFetch[struct{}] {
	var fetch batchFetch[struct{}]
	fetch = func(ctx context.Context, ids []string) (map[string]struct{}, error) {
		err := call(ctx, ids)
		switch {
		case err == nil:
			done := make(map[string]struct{}, len(ids))
			for _, id := range ids {
				done[id] = struct{}{}
			}
			return done, nil
		case !isEndpointNotFoundCode(errorCode(err)):
			return nil, err
		case len(ids) == 1:
			return nil, nil // not known yet
		}
		done := map[string]struct{}{}
		for _, id := range ids {
			one, err := fetch(ctx, []string{id})
			if err != nil {
				return nil, err
			}
			maps.Copy(done, one)
		}
		return done, nil
	}
	return chunked(fetch)
}

// removeMarkers is the batcher fetch that removes the marker from many
// endpoints with one DeleteTags call.
func removeMarkers(conn EC2API) batchFetch[struct{}] {
	return tagEach(func(ctx context.Context, ids []string) error {
		_, err := conn.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: ids, Tags: []types.Tag{{Key: aws.String(creationMarkerKey)}}})
		return err
	})
}

// markerTag is the value of the creation marker among tags.
func markerTag(tags []types.Tag) (string, bool) {
	for _, t := range tags {
		if aws.ToString(t.Key) == creationMarkerKey {
			return aws.ToString(t.Value), true
		}
	}
	return "", false
}
