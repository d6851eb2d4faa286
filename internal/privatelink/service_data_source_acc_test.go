package privatelink_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

const serviceDataAddr = "data.engflow_privatelink_service.test"

func serviceLookup(name string) string {
	return fmt.Sprintf("provider \"engflow\" {}\n\ndata \"engflow_privatelink_service\" \"test\" {\n  service_name = %q\n}\n", name)
}

func stringsExact(xs []string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(xs))
	for i, x := range xs {
		checks[i] = knownvalue.StringExact(x)
	}
	return knownvalue.ListExact(checks)
}

// Every attribute is what DescribeVpcEndpointServices itself reports.
func TestAccServiceDataSource_attributes(t *testing.T) {
	acctest.PreCheck(t)
	for _, opts := range []acctest.ServiceOptions{{}, {AcceptanceRequired: true, PrivateDNSVerificationState: "pendingVerification"}} {
		t.Run(fmt.Sprintf("acceptance=%v", opts.AcceptanceRequired), func(t *testing.T) {
			svc := acctest.NewService(t, opts)
			// Paged like every Describe*, possibly with an empty first page.
			details, err := acctest.TestAWS(t).ServiceDetails(context.Background(),
				&ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{svc.Name}})
			if err != nil {
				t.Fatal(err)
			}
			if len(details) != 1 {
				t.Fatalf("DescribeVpcEndpointServices of %s returned %d services", svc.Name, len(details))
			}
			d := details[0]
			var ipTypes []string
			for _, x := range d.SupportedIpAddressTypes {
				ipTypes = append(ipTypes, string(x))
			}
			expect := func(attr string, v knownvalue.Check) statecheck.StateCheck {
				return statecheck.ExpectKnownValue(serviceDataAddr, tfjsonpath.New(attr), v)
			}
			acctest.Test(t, resource.TestCase{
				Steps: []resource.TestStep{{
					Config: serviceLookup(svc.Name),
					ConfigStateChecks: []statecheck.StateCheck{
						expect("service_id", knownvalue.StringExact(aws.ToString(d.ServiceId))),
						expect("service_type", knownvalue.StringExact(string(d.ServiceType[0].ServiceType))),
						expect("owner", knownvalue.StringExact(aws.ToString(d.Owner))),
						expect("acceptance_required", knownvalue.Bool(aws.ToBool(d.AcceptanceRequired))),
						expect("availability_zones", stringsExact(d.AvailabilityZones)),
						expect("availability_zone_ids", stringsExact(d.AvailabilityZoneIds)),
						expect("private_dns_name", knownvalue.StringExact(aws.ToString(d.PrivateDnsName))),
						expect("private_dns_name_verification_state", knownvalue.StringExact(string(d.PrivateDnsNameVerificationState))),
						expect("supported_ip_address_types", stringsExact(ipTypes)),
						expect("base_endpoint_dns_names", stringsExact(d.BaseEndpointDnsNames)),
					},
				}},
			})
		})
	}
}

func TestAccServiceDataSource_notAllowlisted(t *testing.T) {
	acctest.PreCheck(t)
	name := "com.amazonaws.vpce." + acctest.TestAWS(t).Region + ".vpce-svc-00000000000000000"
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      serviceLookup(name),
			ExpectError: acctest.ErrorText("not found or not allowlisted", "send AWS account "+acctest.TestAccountID(t), "to your EngFlow support engineer"),
		}},
	})
}

// From another Region the service is looked up across Regions: AWS reports
// it with its home Region and, as for every remote service, no zones. A
// service_region that disagrees with the name fails at plan.
func TestAccServiceDataSource_fromAnotherRegion(t *testing.T) {
	acctest.PreCheck(t)
	second := acctest.EmulatorSecondRegion
	svc := acctest.NewService(t, acctest.ServiceOptions{SupportedRegions: []string{second}})
	lookup := func(extra string) string {
		return fmt.Sprintf("provider \"engflow\" {}\n\ndata \"engflow_privatelink_service\" \"test\" {\n  service_name = %q\n  region = %q\n%s}\n",
			svc.Name, second, extra)
	}
	expect := func(attr string, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(serviceDataAddr, tfjsonpath.New(attr), v)
	}
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:      lookup(fmt.Sprintf("  service_region = %q\n", second)),
				ExpectError: acctest.ErrorText("service_region disagrees with service_name", "lives in "+svc.Region),
			},
			{
				Config: lookup(fmt.Sprintf("  service_region = %q\n", svc.Region)),
				ConfigStateChecks: []statecheck.StateCheck{
					expect("region", knownvalue.StringExact(second)),
					expect("service_region", knownvalue.StringExact(svc.Region)),
					expect("service_id", knownvalue.StringExact(svc.ID)),
					expect("availability_zone_ids", knownvalue.ListSizeExact(0)),
				},
			},
		},
	})
}
