package privatelink

import (
	"fmt"
	"regexp"
)

// serviceNamePattern is the form of every endpoint service name EngFlow
// hands out: com.amazonaws.vpce.<region>.vpce-svc-<hex>. AWS issues 17 hex
// digits today; older services have 8.
var serviceNamePattern = regexp.MustCompile(`^com\.amazonaws\.vpce\.([a-z]{2}(?:-[a-z]+)+-[0-9]+)\.(vpce-svc-[0-9a-f]{8,17})$`)

// serviceName is a parsed endpoint service name.
type serviceName struct {
	Region    string
	ServiceID string
}

func parseServiceName(name string) (serviceName, error) {
	m := serviceNamePattern.FindStringSubmatch(name)
	if m == nil {
		return serviceName{}, fmt.Errorf("%q is not an endpoint service name: expected the form "+
			"com.amazonaws.vpce.<region>.vpce-svc-<hex digits>, for example "+
			"com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0, as EngFlow gave it to you", name)
	}
	return serviceName{Region: m[1], ServiceID: m[2]}, nil
}

// remoteRegion is the Region of the service named name when it is not
// region, the consumer's: the endpoint then connects across Regions
// (cross-Region PrivateLink), and EC2 calls about the service must name
// its Region (ServiceRegion, ServiceRegions). "" for a service of region,
// and for a name that does not parse (the validators report it).
func remoteRegion(name, region string) string {
	parsed, err := parseServiceName(name)
	if err != nil || parsed.Region == region {
		return ""
	}
	return parsed.Region
}
