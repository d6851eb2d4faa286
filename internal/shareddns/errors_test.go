package shareddns

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// Another account's VPC: the authorisation is the zone account's step and
// the association the VPC account's (Route 53 API Reference,
// CreateVPCAssociationAuthorization and AssociateVPCWithHostedZone), so the
// message gives both commands with the account that runs each, and never
// suggests that this resource can finish the job on a rerun.
func TestAssociateError_anotherAccountsVPC(t *testing.T) {
	err := associateError("vpc-2", "Z1", "us-east-1", &r53types.NotAuthorizedException{Message: aws.String("not authorized")})
	msg := err.Error()
	args := "--hosted-zone-id Z1 --vpc VPCRegion=us-east-1,VPCId=vpc-2"
	for _, want := range []string{
		"with this zone's account, `aws route53 create-vpc-association-authorization " + args + "`",
		"with the VPC's account `aws route53 associate-vpc-with-hosted-zone " + args + "`",
		"Take vpc-2 out of spoke_vpc_ids",
		"not authorized", // AWS's own words
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "rerun") && !strings.Contains(msg, "no rerun") {
		t.Errorf("the message suggests a rerun works:\n%s", msg)
	}
}
