package privatelink_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

const endpointAddr = "engflow_privatelink_endpoint.test"

// endpointConfig renders a test configuration of one endpoint.
type endpointConfig struct {
	ServiceName      string
	VPCID            string
	SubnetIDs        []string
	SecurityGroupIDs []string // nil: argument omitted
	PrivateDNS       *bool    // nil: argument omitted (default true)
	Tags             map[string]string
	DefaultTags      map[string]string
	Extra            string // more HCL inside the resource block
	Count            int    // > 0: that many endpoints with the same arguments
	EC2Endpoint      string // the provider's endpoints.ec2, e.g. a fault proxy
	After            string // more HCL after the resource block
}

// instance is the address of the resource instance with this count index.
func instance(i int) string { return fmt.Sprintf("%s[%d]", endpointAddr, i) }

func (c endpointConfig) String() string {
	var b strings.Builder
	b.WriteString("provider \"engflow\" {\n")
	if c.EC2Endpoint != "" {
		fmt.Fprintf(&b, "  endpoints {\n    ec2 = %q\n  }\n", c.EC2Endpoint)
	}
	if c.DefaultTags != nil {
		fmt.Fprintf(&b, "  default_tags {\n    tags = %s\n  }\n", hclMap(c.DefaultTags))
	}
	b.WriteString("}\n\n")
	fmt.Fprintf(&b, "resource \"engflow_privatelink_endpoint\" \"test\" {\n  service_name = %q\n  vpc_id       = %q\n  subnet_ids   = %s\n",
		c.ServiceName, c.VPCID, acctest.HCLList(c.SubnetIDs))
	if c.Count > 0 {
		fmt.Fprintf(&b, "  count = %d\n", c.Count)
	}
	if c.SecurityGroupIDs != nil {
		fmt.Fprintf(&b, "  security_group_ids = %s\n", acctest.HCLList(c.SecurityGroupIDs))
	}
	if c.PrivateDNS != nil {
		fmt.Fprintf(&b, "  private_dns_enabled = %t\n", *c.PrivateDNS)
	}
	if c.Tags != nil {
		fmt.Fprintf(&b, "  tags = %s\n", hclMap(c.Tags))
	}
	b.WriteString(c.Extra)
	b.WriteString("}\n")
	b.WriteString(c.After)
	return b.String()
}

func hclMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%q = %q", k, m[k])
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

func boolPtr(b bool) *bool { return &b }

// basicSetup is the common start: an EngFlow-like service, a consumer VPC
// with one subnet in each of the service's zones, and a configuration of
// one endpoint that adapts to what the service offers (see privateDNSFor).
func basicSetup(t *testing.T, opts acctest.ServiceOptions) (*acctest.AWS, *acctest.Service, *acctest.VPC, endpointConfig) {
	t.Helper()
	acctest.PreCheck(t)
	svc := acctest.NewService(t, opts)
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	return acctest.TestAWS(t), svc, vpc, endpointConfig{
		ServiceName: svc.Name, VPCID: vpc.ID, SubnetIDs: vpc.SubnetIDs(), SecurityGroupIDs: []string{vpc.SecurityGroupID},
		PrivateDNS: privateDNSFor(svc),
	}
}

// privateDNSFor is the private_dns_enabled argument for an endpoint of svc:
// omitted (on, the default) when the service has a private DNS name, as
// EngFlow's services do; false when it has none, as the services the tests
// create on real AWS (which needs a verified domain for one), and as the
// provider's plan check then asks.
func privateDNSFor(svc *acctest.Service) *bool {
	if svc.PrivateDNSName == "" {
		return boolPtr(false)
	}
	return nil
}

// privateDNSOn reports whether the configuration turns private DNS on.
func (c endpointConfig) privateDNSOn() bool { return c.PrivateDNS == nil || *c.PrivateDNS }

// regionalDNSName is the shape of an endpoint's Region-wide DNS name,
// vpce-<id>-<suffix>.vpce-svc-<id>.<region>.vpce.amazonaws.com.
var regionalDNSName = regexp.MustCompile(`^vpce-[0-9a-f]+-[0-9a-z]+\.vpce-svc-[0-9a-f]+\.[a-z0-9-]+\.vpce\.amazonaws\.com$`)

// namesOf checks the names an endpoint of svc at address, in subnets
// subnets and configured by basicSetup, has: its regional name and one
// zonal name per subnet always (acctest.EndpointMatchesAPI compares them
// with EC2's); with a private DNS name, private DNS on and remote_executor
// grpcs://<name>; without one, private DNS off and private_dns_name and
// remote_executor null, never "grpcs://".
func namesOf(address string, svc *acctest.Service, subnets int) []statecheck.StateCheck {
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(address, tfjsonpath.New("regional_dns_name"), knownvalue.StringRegexp(regionalDNSName)),
		statecheck.ExpectKnownValue(address, tfjsonpath.New("zonal_dns_names"), knownvalue.MapSizeExact(subnets)),
	}
	if svc.PrivateDNSName == "" {
		return append(checks,
			statecheck.ExpectKnownValue(address, tfjsonpath.New("private_dns_enabled"), knownvalue.Bool(false)),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("private_dns_name"), knownvalue.Null()),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("remote_executor"), knownvalue.Null()))
	}
	return append(checks,
		statecheck.ExpectKnownValue(address, tfjsonpath.New("private_dns_enabled"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue(address, tfjsonpath.New("private_dns_name"), knownvalue.StringExact(svc.PrivateDNSName)),
		statecheck.ExpectKnownValue(address, tfjsonpath.New("remote_executor"), knownvalue.StringExact("grpcs://"+svc.PrivateDNSName)))
}

// captureID stores the endpoint's ID from state, for later steps.
func captureID(id *string) func(*terraform.State) error {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[endpointAddr]
		if !ok {
			return fmt.Errorf("%s not in state", endpointAddr)
		}
		*id = rs.Primary.ID
		return nil
	}
}
