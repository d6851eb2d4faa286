package privatelink

import "fmt"

// serviceName is a parsed endpoint service name.
type serviceName struct {
	Region    string
	ServiceID string
}

func parseServiceName(name string) (serviceName, error) {
	m := serviceNamePattern.FindStringSubmatch(name)
	if m == nil {
		return serviceName{}, fmt.Errorf("%q is not %s", name, expectedServiceName)
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
