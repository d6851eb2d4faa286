package privatelink

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// creationMarkerKey tags an endpoint from the CreateVpcEndpoint call until
// the create that made it has finished and handed it to Terraform. Its value
// is "<provider process ID> <fingerprint of the request>".
//
// An endpoint that still carries the marker of another provider process was
// left by a run that died before Terraform could save it (SIGKILL, a lost
// answer after every retry): an orphan that no state holds. A create with
// the same arguments adopts it instead of making a second endpoint; the
// plan names any other orphan, with the import command. Endpoints marked by
// this process are creates still in flight, never orphans.
const creationMarkerKey = "engflow:creating"

// markerClearTimeout bounds the DeleteTags that clears the marker; it runs
// even when the create itself was interrupted.
const markerClearTimeout = 30 * time.Second

// creationMarker is the marker's value for a create of s by this process.
func (c *Client) creationMarker(s endpointSpec) string {
	return c.processID + " " + specFingerprint(s)
}

// specFingerprint is a digest of everything a create asks for.
func specFingerprint(s endpointSpec) string {
	h := sha256.New()
	groups := "default"
	if s.SecurityGroupIDs != nil {
		groups = strings.Join(sorted(s.SecurityGroupIDs), ",")
	}
	fmt.Fprintf(h, "%s|%s|%s|%s|%t|%s|%s", s.VpcID, s.ServiceName, strings.Join(sorted(s.SubnetIDs), ","),
		groups, s.PrivateDNSEnabled, s.IPAddressType, s.DNSRecordIPType)
	for _, t := range ec2Tags(s.Tags) {
		fmt.Fprintf(h, "|%s=%s", aws.ToString(t.Key), aws.ToString(t.Value))
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// orphanKind says what an existing endpoint is to a create of spec.
type orphanKind int

const (
	notAnOrphan     orphanKind = iota // managed, or made outside Terraform
	inFlightHere                      // a create of this process, still running
	orphanSameSpec                    // left by an interrupted run, same arguments: adoptable
	orphanOtherSpec                   // left by an interrupted run, other arguments
)

func (c *Client) classifyOrphan(ep types.VpcEndpoint, s endpointSpec) orphanKind {
	marker, ok := rawTag(ep.Tags, creationMarkerKey)
	if !ok {
		return notAnOrphan
	}
	process, fingerprint, _ := strings.Cut(marker, " ")
	switch {
	case process == c.processID:
		return inFlightHere
	case fingerprint == specFingerprint(s):
		return orphanSameSpec
	}
	return orphanOtherSpec
}

// adoptOrphan returns an endpoint an interrupted run created with exactly
// these arguments, claimed for this create, or nil.
func (c *Client) adoptOrphan(ctx context.Context, s endpointSpec) (*types.VpcEndpoint, error) {
	existing, err := c.endpointsOfServiceForCreate(ctx, s.VpcID, s.ServiceName)
	if err != nil {
		return nil, err
	}
	orphan, _ := c.pickOrphan(existing, s)
	return orphan, nil
}

// pickOrphan claims the first adoptable orphan among existing, and also
// reports whether another endpoint among them has private DNS on.
func (c *Client) pickOrphan(existing []types.VpcEndpoint, s endpointSpec) (orphan *types.VpcEndpoint, otherWithPrivateDNS bool) {
	for i := range existing {
		if c.classifyOrphan(existing[i], s) == orphanSameSpec {
			if orphan == nil && c.claimOrphan(aws.ToString(existing[i].VpcEndpointId)) {
				orphan = &existing[i]
			}
			continue
		}
		otherWithPrivateDNS = otherWithPrivateDNS || aws.ToBool(existing[i].PrivateDnsEnabled)
	}
	return orphan, otherWithPrivateDNS
}

// orphanSearchTimeout bounds awaitOrphan. EC2's lists lag its own checks
// by seconds (eventual consistency); a minute is ample.
const orphanSearchTimeout = time.Minute

// awaitOrphan is adoptOrphan for a create that EC2 refused because the VPC
// already has an endpoint with the service's private DNS name, while the
// list adoptOrphan read showed none: an orphan of a run killed moments ago
// can be too young to be listed. It looks again until that orphan shows
// (and returns it), until another endpoint with private DNS on shows (the
// conflict is real: nil), or until orphanSearchTimeout passes (nil).
func (c *Client) awaitOrphan(ctx context.Context, p poller, s endpointSpec) (*types.VpcEndpoint, error) {
	start := p.clock.Now() // the poller's clock, so that unit tests run on virtual time
	var orphan *types.VpcEndpoint
	err := p.poll(ctx, func(ctx context.Context) (bool, error) {
		existing, err := findEndpointsOfService(ctx, c, s.VpcID, s.ServiceName)
		if err != nil {
			return false, err
		}
		var conflict bool
		orphan, conflict = c.pickOrphan(existing, s)
		return orphan != nil || conflict || p.clock.Now().Sub(start) >= orphanSearchTimeout, nil
	})
	return orphan, err
}

// clearCreationMarker removes the marker once the endpoint is Terraform's.
// It runs on a context of its own so that an interrupted create, which
// still saves the endpoint to state, leaves no marker behind.
// EC2 may not know a new endpoint yet (eventual consistency), so a
// not-found answer is tried again until the timeout.
func (c *Client) clearCreationMarker(ctx context.Context, p poller, id string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markerClearTimeout)
	defer cancel()
	var lastErr error
	err := p.retry(ctx, func(ctx context.Context) (bool, error) {
		_, lastErr = c.markers.get(ctx, id)
		if isNotFound(lastErr) {
			return false, nil
		}
		return true, lastErr
	})
	if err != nil && lastErr != nil {
		return lastErr
	}
	return err
}

// clearCreationMarkers is the batcher fetch that removes the marker from
// many endpoints with one DeleteTags call. EC2 refuses the whole call when
// one of them is unknown (it may be lagging behind the create); then each
// is tried alone, so that only the unknown one is tried again later.
func clearCreationMarkers(conn EC2API) batchFetch[struct{}] {
	var clear batchFetch[struct{}]
	clear = func(ctx context.Context, ids []string) (map[string]struct{}, error) {
		_, err := conn.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: ids, Tags: []types.Tag{{Key: aws.String(creationMarkerKey)}}})
		switch {
		case err == nil:
			cleared := make(map[string]struct{}, len(ids))
			for _, id := range ids {
				cleared[id] = struct{}{}
			}
			return cleared, nil
		case !isEndpointNotFoundCode(errorCode(err)):
			return nil, fmt.Errorf("removing the tag %s: %w", creationMarkerKey, err)
		case len(ids) == 1:
			return nil, nil // not known yet
		}
		cleared := map[string]struct{}{}
		for _, id := range ids {
			one, err := clear(ctx, []string{id})
			if err != nil {
				return nil, err
			}
			maps.Copy(cleared, one)
		}
		return cleared, nil
	}
	return chunked(clear)
}

func rawTag(tags []types.Tag, key string) (string, bool) {
	for _, t := range tags {
		if aws.ToString(t.Key) == key {
			return aws.ToString(t.Value), true
		}
	}
	return "", false
}
