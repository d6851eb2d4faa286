// Package awsregion holds the shape of an AWS Region name, for the
// provider's arguments and the PrivateLink names that embed a Region.
package awsregion

import "regexp"

// Expr is an AWS Region name in every partition's naming scheme
// (us-east-1, us-gov-west-1, cn-north-1, eu-isoe-west-1), without a list
// that goes stale. It has no capturing group, so that it can sit inside
// larger patterns (an endpoint service name) without moving their groups.
const Expr = `[a-z]{2}(?:-[a-z]+)+-[0-9]+`

// Pattern matches a whole string that is an AWS Region name.
var Pattern = regexp.MustCompile(`^` + Expr + `$`)
