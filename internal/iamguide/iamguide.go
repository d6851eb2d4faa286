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

// Actions returns every action of the policy in
// templates/guides/iam-permissions.md.tmpl with its service prefix
// ("ec2:CreateVpcEndpoint", "vpce:AllowMultiRegion"), sorted.
func Actions() ([]string, error) {
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
		actions = append(actions, st.Action...)
	}
	slices.Sort(actions)
	return actions, nil
}

// EC2Actions returns the policy's EC2 actions without the "ec2:" prefix, sorted.
func EC2Actions() ([]string, error) { return ServiceActions("ec2") }

// ServiceActions returns the policy's actions of one service ("route53")
// without its prefix, sorted.
func ServiceActions(service string) ([]string, error) {
	all, err := Actions()
	var names []string
	for _, a := range all {
		if name, ok := strings.CutPrefix(a, service+":"); ok {
			names = append(names, name)
		}
	}
	return names, err
}
