// Package iamguide reads the IAM policy the docs publish, so that tests can
// hold the provider's EC2 calls to it.
package iamguide

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
)

// EC2Actions returns the EC2 actions (without the "ec2:" prefix) of the
// policy in templates/guides/iam-permissions.md.tmpl, sorted.
func EC2Actions() ([]string, error) {
	_, self, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(self), "..", "..", "templates", "guides", "iam-permissions.md.tmpl")
	page, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	_, rest, found := strings.Cut(string(page), "```json")
	if !found {
		return nil, fmt.Errorf("%s has no JSON policy block", path)
	}
	policyText, _, _ := strings.Cut(rest, "```")
	var policy struct {
		Statement []struct{ Action []string }
	}
	if err := json.Unmarshal([]byte(policyText), &policy); err != nil {
		return nil, fmt.Errorf("the policy in %s is not valid JSON: %w", path, err)
	}
	var actions []string
	for _, st := range policy.Statement {
		for _, a := range st.Action {
			name, ok := strings.CutPrefix(a, "ec2:")
			if !ok {
				return nil, fmt.Errorf("unexpected non-EC2 action %s in %s", a, path)
			}
			actions = append(actions, name)
		}
	}
	slices.Sort(actions)
	return actions, nil
}
