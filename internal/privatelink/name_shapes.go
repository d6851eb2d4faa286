package privatelink

import (
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/engflow/terraform-provider-engflow/internal/awsregion"
)

// The shapes of the names and IDs users type. Each is checked at validate
// time, before any API call, by the one string validator below; EC2 would
// fail a whole call for an ID of another shape (*.Malformed).

// hexIDExpr ends every EC2 ID: 8 (older resources) or 17 lower-case hex digits.
const hexIDExpr = `(?:[0-9a-f]{8}|[0-9a-f]{17})`

var (
	// regionPattern is an AWS Region name: us-east-1, us-gov-west-1, ap-southeast-5.
	regionPattern = awsregion.Pattern
	// serviceNamePattern is the form of every endpoint service name EngFlow
	// hands out; its groups are the Region and the service ID.
	serviceNamePattern = whole(`com\.amazonaws\.vpce\.(` + awsregion.Expr + `)\.(vpce-svc-` + hexIDExpr + `)`)
)

func whole(expr string) *regexp.Regexp { return regexp.MustCompile(`^` + expr + `$`) }

// shapeValidator checks a string argument against a pattern at validate
// time; unknown values are checked once known.
func shapeValidator(re *regexp.Regexp, mustBe string) validator.String {
	return stringvalidator.RegexMatches(re, "must be "+mustBe)
}

// expectedServiceName says what a well-formed service name looks like.
const expectedServiceName = "an endpoint service name of the form com.amazonaws.vpce.<region>.vpce-svc-<hex digits>, " +
	"for example com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0, as EngFlow gave it to you"

var (
	regionName       = shapeValidator(regionPattern, "an AWS Region name such as us-east-1")
	serviceNameShape = shapeValidator(serviceNamePattern, expectedServiceName)
	// Route 53 hosted zone IDs are upper-case letters and digits (AWS's
	// start with Z); the /hostedzone/ prefix of its API answers is accepted.
	hostedZoneIDShape = shapeValidator(whole(`(?:/hostedzone/)?[A-Z0-9]{1,32}`),
		"a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ: engflow_privatelink_shared_dns.<name>.zone_id")
)

// awsID is the shape of one kind of EC2 resource ID: a prefix and hexIDExpr.
type awsID struct {
	prefix  string
	kind    string
	pattern *regexp.Regexp
}

func newAWSID(prefix, kind string) awsID {
	return awsID{prefix: prefix, kind: kind, pattern: whole(prefix + "-" + hexIDExpr)}
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
func (a awsID) validator() validator.String { return shapeValidator(a.pattern, a.expected()) }
