package shareddns

import (
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// domainPattern is a lower-case DNS name of two or more labels without the
// trailing dot, such as acme.cluster.engflow.com: labels of 1 to 63
// letters, digits and inner hyphens (RFC 1123), at most 253 characters
// (Route 53's limit, checked separately).
var domainPattern = regexp.MustCompile(`^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)

func domainShape() []validator.String {
	return []validator.String{
		stringvalidator.LengthAtMost(253),
		stringvalidator.RegexMatches(domainPattern,
			"must be the cluster's DNS name in lower case without a trailing dot, for example acme.cluster.engflow.com"),
	}
}

// fqdn is name as Route 53 writes it back: with the trailing dot.
func fqdn(name string) string { return strings.TrimSuffix(name, ".") + "." }

// endpointIDOfAlias is the endpoint ID at the front of an endpoint's
// regional DNS name, vpce-<id>-<token>.vpce-svc-..., so that an import by
// zone ID can name the endpoint; "" for another name.
func endpointIDOfAlias(dnsName string) string {
	label, _, _ := strings.Cut(dnsName, ".")
	parts := strings.SplitN(label, "-", 3)
	if len(parts) < 3 || parts[0] != "vpce" {
		return ""
	}
	return parts[0] + "-" + parts[1]
}

// zoneIDOf strips the /hostedzone/ prefix Route 53 puts on IDs it returns.
func zoneIDOf(id string) string { return strings.TrimPrefix(id, "/hostedzone/") }
