package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/engflow/terraform-provider-engflow/internal/awsclient"
)

// APIRequest is one AWS API call as the emulator's request log saw it.
// The log never holds credentials: only the service name from the
// signature's scope is kept.
type APIRequest struct {
	Seq       int               `json:"seq"`
	Service   string            `json:"service"`
	Action    string            `json:"action"`
	Params    map[string]string `json:"params"`
	Status    int               `json:"status"`
	ErrorCode string            `json:"error_code"`
	UserAgent string            `json:"user_agent"`
	// Time is when the emulator began handling the call, in Unix seconds.
	Time float64 `json:"time"`
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
		return fmt.Errorf("emulator control %s %s: HTTP %d", method, path, resp.StatusCode)
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
