package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/engflow/terraform-provider-engflow/internal/awsclient"
)

// APIRequest is one AWS API call as the emulator's request log saw it.
// The log never holds credentials: only the service name from the
// signature's scope is kept, and the caller's ARN resolved from it.
type APIRequest struct {
	Seq       int               `json:"seq"`
	Service   string            `json:"service"`
	Action    string            `json:"action"`
	Params    map[string]string `json:"params"`
	Status    int               `json:"status"`
	ErrorCode string            `json:"error_code"`
	UserAgent string            `json:"user_agent"`
	// Caller is the ARN of the identity that signed the call, as
	// sts:GetCallerIdentity would name it (an assumed role's
	// arn:aws:sts::<account>:assumed-role/<role>/<session>, or
	// arn:aws:sts::123456789012:user/moto for other keys); "" if unsigned.
	Caller string `json:"caller"`
	// Time is when the emulator began handling the call, in Unix seconds.
	Time float64 `json:"time"`
	// Fault is what the fault proxy did to the call (FaultKind, and for
	// latency its length), or "" for a call it passed unharmed.
	Fault string `json:"fault"`
}

// providerAppID is how the provider's app ID shows in its User-Agent.
const providerAppID = "app/" + awsclient.AppID

// FromProvider reports whether the provider, not the test fixture, made the call.
func (r APIRequest) FromProvider() bool { return strings.Contains(r.UserAgent, providerAppID) }

// Requests returns the API calls logged after sequence number since, and
// the sequence number to pass next time.
func (e *Emulator) Requests(ctx context.Context, since int) ([]APIRequest, int, error) {
	var out struct {
		Next     int          `json:"next"`
		Requests []APIRequest `json:"requests"`
	}
	err := e.control(ctx, http.MethodGet, "/_emulator/requests?since="+strconv.Itoa(since), nil, &out)
	return out.Requests, out.Next, err
}

// Mark returns the current end of the request log; pass it to Requests to
// see only what happened afterwards.
func (e *Emulator) Mark(ctx context.Context) (int, error) {
	_, next, err := e.Requests(ctx, 0)
	return next, err
}

// Knobs of the emulator (keys of GET/POST /_emulator/config, and flags
// --available-after etc.). The realism knobs are on by default; a test that
// focuses on something else may turn one off with ConfigureForTest. See
// internal/acctest/emulator/README.md for what each does and why.
const (
	KnobAvailableAfter     = "available_after"       // seconds pending after create/modify
	KnobDeleteAfter        = "delete_after"          // seconds deleting after delete
	KnobVisibilityDelay    = "visibility_delay"      // seconds a new endpoint is unknown
	KnobFlickerWindow      = "flicker_window"        // seconds after that it may vanish again
	KnobFlickerRate        = "flicker_rate"          // chance per describe that it does
	KnobStaleAfterModify   = "stale_after_modify"    // seconds describes show the pre-modify view
	KnobPageSize           = "page_size"             // items per Describe* page; 0 = no paging
	KnobEmptyFirstPageRate = "empty_first_page_rate" // chance of an empty first page with NextToken
	KnobCheckIDFormat      = "check_id_format"       // *.Malformed for badly shaped IDs
	KnobReplayClientToken  = "replay_client_token"   // a repeated ClientToken returns the original answer
	KnobShuffleOrder       = "shuffle_order"         // random order of DnsEntries, SubnetIds, Groups, NetworkInterfaceIds
	KnobConcurrent         = "concurrent"            // serve requests concurrently
	KnobLatency            = "latency"               // [min, max] seconds per request, outside any lock
	KnobSeed               = "seed"                  // seed of all random decisions
	KnobRoute53InsyncAfter = "route53_insync_after"  // seconds a Route 53 change is PENDING
)

// Config is the emulator's current configuration (GET /_emulator/config).
func (e *Emulator) Config(ctx context.Context) (map[string]any, error) {
	var out map[string]any
	err := e.control(ctx, http.MethodGet, "/_emulator/config", nil, &out)
	return out, err
}

// Seed is the seed of the emulator's random decisions.
func (e *Emulator) Seed(ctx context.Context) (int64, error) {
	cfg, err := e.Config(ctx)
	if err != nil {
		return 0, err
	}
	seed, ok := cfg[KnobSeed].(float64)
	if !ok {
		return 0, fmt.Errorf("emulator config has no seed: %v", cfg)
	}
	return int64(seed), nil
}

// Configure changes knobs (keys KnobVisibilityDelay, ...; values as JSON:
// seconds and rates as numbers, switches as bool, latency as [min, max])
// and returns a function that puts back the values they had. The emulator
// refuses unknown keys and bad values and then changes nothing.
func (e *Emulator) Configure(ctx context.Context, changes map[string]any) (restore func(context.Context) error, err error) {
	old, err := e.Config(ctx)
	if err != nil {
		return nil, err
	}
	body := map[string]any{}
	for k, v := range changes {
		body[k] = jsonKnob(v)
	}
	if err := e.control(ctx, http.MethodPost, "/_emulator/config", body, nil); err != nil {
		return nil, err
	}
	previous := map[string]any{}
	for k := range changes {
		previous[k] = old[k]
	}
	return func(ctx context.Context) error {
		return e.control(ctx, http.MethodPost, "/_emulator/config", previous, nil)
	}, nil
}

// jsonKnob turns durations into seconds, as the emulator takes them.
func jsonKnob(v any) any {
	switch x := v.(type) {
	case time.Duration:
		return x.Seconds()
	case [2]time.Duration:
		return []float64{x[0].Seconds(), x[1].Seconds()}
	case []time.Duration:
		out := make([]float64, len(x))
		for i, d := range x {
			out[i] = d.Seconds()
		}
		return out
	case [2]float64:
		return x[:]
	}
	return v
}

// ConfigureForTest changes knobs for one test and puts them back when it
// ends. Knobs are global to the emulator: tests that call it must not run
// in parallel with tests that depend on those knobs.
func (e *Emulator) ConfigureForTest(t testing.TB, changes map[string]any) {
	t.Helper()
	restore, err := e.Configure(context.Background(), changes)
	if err != nil {
		t.Fatalf("configuring the emulator (%v): %v", changes, err)
	}
	t.Cleanup(func() {
		if err := restore(context.Background()); err != nil {
			t.Errorf("restoring the emulator's configuration: %v", err)
		}
	})
}

// SetDelays changes how long endpoints stay pending and deleting.
func (e *Emulator) SetDelays(ctx context.Context, availableAfter, deleteAfter time.Duration) error {
	body := map[string]float64{
		"available_after": availableAfter.Seconds(),
		"delete_after":    deleteAfter.Seconds(),
	}
	return e.control(ctx, http.MethodPost, "/_emulator/config", body, nil)
}

func (e *Emulator) control(ctx context.Context, method, path string, in, out any) error {
	var body bytes.Buffer
	if in != nil {
		if err := json.NewEncoder(&body).Encode(in); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, e.URL+path, &body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("emulator control %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var problem struct {
			Error string `json:"error"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&problem)
		return fmt.Errorf("emulator control %s %s: HTTP %d %s", method, path, resp.StatusCode, problem.Error)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// FindCalls returns the logged calls of one action whose parameters
// include every key and value in params.
func FindCalls(reqs []APIRequest, action string, params map[string]string) []APIRequest {
	var out []APIRequest
	for _, r := range reqs {
		if r.Action != action {
			continue
		}
		match := true
		for k, v := range params {
			if r.Params[k] != v {
				match = false
				break
			}
		}
		if match {
			out = append(out, r)
		}
	}
	return out
}

// mutatingActions change EC2 resources the provider manages.
var mutatingActions = map[string]bool{
	"CreateVpcEndpoint": true, "ModifyVpcEndpoint": true, "DeleteVpcEndpoints": true,
	"CreateTags": true, "DeleteTags": true,
}

// MutatingEC2Actions lists the EC2 actions the provider calls that change
// anything: a read-only role is denied exactly these.
func MutatingEC2Actions() []string { return slices.Sorted(maps.Keys(mutatingActions)) }

// MutatingCalls returns the mutating EC2 calls logged after since.
func (e *Emulator) MutatingCalls(ctx context.Context, since int) ([]APIRequest, error) {
	reqs, _, err := e.Requests(ctx, since)
	if err != nil {
		return nil, err
	}
	var out []APIRequest
	for _, r := range reqs {
		if mutatingActions[r.Action] {
			out = append(out, r)
		}
	}
	return out, nil
}
