package awsregion

import (
	"regexp"
	"testing"
)

func TestPattern(t *testing.T) {
	for _, name := range []string{"us-east-1", "eu-central-1", "us-gov-west-1", "cn-north-1", "ap-southeast-5", "eu-isoe-west-1"} {
		if !Pattern.MatchString(name) {
			t.Errorf("%q refused, want accepted", name)
		}
	}
	for _, name := range []string{"us-east", "US-EAST-1", "useast1", "us-east-1a", " us-east-1", "us-east-1 ", "", "u-east-1"} {
		if Pattern.MatchString(name) {
			t.Errorf("%q accepted, want refused", name)
		}
	}
}

// Expr embedded in a larger pattern adds no group of its own.
func TestExpr_capturesNothing(t *testing.T) {
	if n := regexp.MustCompile(Expr).NumSubexp(); n != 0 {
		t.Errorf("Expr has %d capturing groups, want 0", n)
	}
}
