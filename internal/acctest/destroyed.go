package acctest

// CheckDestroy: is every endpoint the test made gone? "Gone" is an answer
// EC2 gives, never the absence of one: a describe that failed (throttled
// past the SDK's retries, access denied, a lost connection, a bad
// endpoint URL) says nothing about the endpoint, and a check that took it
// for "destroyed" would pass on a provider that leaks endpoints.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// EndpointType is the resource type of the provider's endpoint.
const EndpointType = "engflow_privatelink_endpoint"

// EC2's codes for "no such endpoint": describe calls answer
// InvalidVpcEndpointId.NotFound, DeleteVpcEndpoints reports
// InvalidVpcEndpoint.NotFound among its unsuccessful items.
const (
	codeEndpointIDNotFound = "InvalidVpcEndpointId.NotFound"
	codeEndpointNotFound   = "InvalidVpcEndpoint.NotFound"
)

// endpointUnknown reports whether err is EC2 answering that it does not
// know the endpoint: an endpoint NotFound code, or an empty answer.
func endpointUnknown(err error) bool {
	var nf *NotFoundError
	if !errors.As(err, &nf) {
		return false
	}
	if nf.Err == nil {
		return true // an empty list: an answer, too
	}
	code := apiErrorCode(nf.Err)
	return code == codeEndpointIDNotFound || code == codeEndpointNotFound
}

// deletingTimeout bounds how long CheckEndpointDestroyed waits for an
// endpoint EC2 reports deleting: its own deletes take seconds on the
// emulator, minutes on AWS.
func deletingTimeout() time.Duration {
	if Target() == TargetEmulator {
		return emulatorDependencyTimeout
	}
	return dependencyTimeout
}

// destroyedPoll is the pause between CheckEndpointDestroyed's describes.
const destroyedPoll = 500 * time.Millisecond

// CheckEndpointDestroyed returns nil when EC2, in a's Region, says the
// endpoint is gone: it reports it deleted, or answers that it does not
// know it (InvalidVpcEndpointId.NotFound, or an empty answer) for
// notFoundSettle in a row, as a describe may miss an endpoint that exists.
// An endpoint still deleting is asked about again until it is gone, for
// deletingTimeout at most. Every other answer is an error: an endpoint in
// any other state still exists, and a describe that failed is "cannot
// tell", never "gone".
func (a *AWS) CheckEndpointDestroyed(ctx context.Context, id string) error {
	ctx, cancel := context.WithTimeout(ctx, deletingTimeout())
	defer cancel()
	var notFoundSince time.Time
	var last string // the state EC2 last reported, if any
	for {
		ep, err := a.Endpoint(ctx, id)
		switch {
		case err == nil && strings.EqualFold(string(ep.State), "deleted"):
			return nil
		case err == nil && strings.EqualFold(string(ep.State), "deleting"):
			notFoundSince, last = time.Time{}, string(ep.State)
		case err == nil:
			return fmt.Errorf("endpoint %s still exists in state %s", id, ep.State)
		case endpointUnknown(err):
			if notFoundSince.IsZero() {
				notFoundSince = time.Now()
			} else if time.Since(notFoundSince) >= notFoundSettle() {
				return nil
			}
		case ctx.Err() != nil:
			return waitEnded(id, last, ctx.Err())
		default:
			return fmt.Errorf("cannot tell whether endpoint %s is gone: %w", id, err)
		}
		select {
		case <-ctx.Done():
			return waitEnded(id, last, ctx.Err())
		case <-time.After(destroyedPoll):
		}
	}
}

// waitEnded is CheckEndpointDestroyed's error when its time is up.
func waitEnded(id, lastState string, err error) error {
	if lastState != "" {
		return fmt.Errorf("endpoint %s still exists: EC2 last reported it %s (%w)", id, lastState, err)
	}
	return fmt.Errorf("cannot tell whether endpoint %s is gone: %w", id, err)
}

// StateEndpoint is an endpoint resource instance found in state.
type StateEndpoint struct {
	Address string
	ID      string
	// Region is the resource's region attribute: where the endpoint is.
	// Empty when state does not say, which means the provider's Region.
	Region string
}

// CheckEndpointsGone asks EC2 whether each endpoint is gone (see
// CheckEndpointDestroyed), each in its own Region: the endpoint's Region,
// or a's when it has none. All are asked; the errors are joined.
func (a *AWS) CheckEndpointsGone(ctx context.Context, endpoints []StateEndpoint) error {
	eps := append([]StateEndpoint(nil), endpoints...)
	sort.Slice(eps, func(i, j int) bool { return eps[i].Address < eps[j].Address })
	// Concurrently: each may wait notFoundSettle for NotFound to persist.
	return Parallel(len(eps), 8, func(i int) error {
		if err := a.InRegion(eps[i].Region).CheckEndpointDestroyed(ctx, eps[i].ID); err != nil {
			return fmt.Errorf("%s: %w", eps[i].Address, err)
		}
		return nil
	})
}

// CheckEndpointsDestroyed is a resource.TestCase CheckDestroy: every
// engflow_privatelink_endpoint resource that was in state, in any module,
// must be gone according to EC2 (see CheckEndpointDestroyed), asked in the
// Region of its region attribute, or a's Region when the attribute is
// empty. Data sources are not checked: they own no endpoint.
func CheckEndpointsDestroyed(a *AWS) func(*terraform.State) error {
	return func(s *terraform.State) error {
		return a.CheckEndpointsGone(context.Background(), legacyStateEndpoints(s))
	}
}

// legacyStateEndpoints lists the endpoint resources of a state as
// terraform-plugin-testing hands it to CheckDestroy.
func legacyStateEndpoints(s *terraform.State) []StateEndpoint {
	var out []StateEndpoint
	if s == nil {
		return nil
	}
	for _, m := range s.Modules {
		prefix := ""
		for _, name := range m.Path[min(1, len(m.Path)):] { // Path[0] is "root"
			prefix += "module." + name + "."
		}
		for key, rs := range m.Resources {
			if rs == nil || rs.Type != EndpointType || strings.HasPrefix(key, "data.") || rs.Primary == nil {
				continue
			}
			out = append(out, StateEndpoint{Address: prefix + key, ID: rs.Primary.ID, Region: rs.Primary.Attributes["region"]})
		}
	}
	return out
}
