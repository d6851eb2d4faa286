package privatelink

import (
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// awsID is the shape of an EC2 resource ID: a prefix and 8 (older
// resources) or 17 lower-case hex digits. EC2 fails a whole call with
// *.Malformed for an ID of another shape, so IDs a person types are checked
// at validate time instead.
type awsID struct {
	prefix  string
	kind    string
	pattern *regexp.Regexp
}

func newAWSID(prefix, kind string) awsID {
	return awsID{prefix: prefix, kind: kind, pattern: regexp.MustCompile(`^` + prefix + `-(?:[0-9a-f]{8}|[0-9a-f]{17})$`)}
}

var (
	endpointID = newAWSID("vpce", "VPC endpoint")
	vpcID      = newAWSID("vpc", "VPC")
	subnetID   = newAWSID("subnet", "subnet")
	groupID    = newAWSID("sg", "security group")
)

// example is a well-formed ID of this kind, for messages.
func (a awsID) example() string { return a.prefix + "-0123456789abcdef0" }

// expected says what a well-formed ID looks like.
func (a awsID) expected() string {
	return fmt.Sprintf("a %s ID: %s- followed by 8 or 17 lower-case hex digits, for example %s", a.kind, a.prefix, a.example())
}

func (a awsID) valid(s string) bool { return a.pattern.MatchString(s) }

// validator checks a string attribute at validate time.
func (a awsID) validator() validator.String {
	return stringvalidator.RegexMatches(a.pattern, "must be "+a.expected())
}
