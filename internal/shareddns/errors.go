package shareddns

import (
	"errors"
	"fmt"

	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// associateError words the refusals of AssociateVPCWithHostedZone that a
// person can act on (the error list of
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_AssociateVPCWithHostedZone.html).
func associateError(vpcID, zoneID string, err error) error {
	var (
		conflict *r53types.ConflictingDomainExists
		denied   *r53types.NotAuthorizedException
		badVPC   *r53types.InvalidVPCId
	)
	switch {
	case errors.As(err, &conflict):
		return fmt.Errorf("associating %s with hosted zone %s: the VPC already uses another private hosted zone for this name "+
			"(ConflictingDomainExists). Disassociate that zone from %s, or leave %s out of spoke_vpc_ids: %w", vpcID, zoneID, vpcID, vpcID, err)
	case errors.As(err, &denied):
		return fmt.Errorf("associating %s with hosted zone %s: not authorised. A VPC of another AWS account needs "+
			"`aws route53 create-vpc-association-authorization --hosted-zone-id %s --vpc VPCRegion=<region>,VPCId=%s` "+
			"run by this zone's account first (see the guide One endpoint for many VPCs): %w", vpcID, zoneID, zoneID, vpcID, err)
	case errors.As(err, &badVPC):
		return fmt.Errorf("associating %s with hosted zone %s: Route 53 does not know the VPC in this Region and account: %w", vpcID, zoneID, err)
	}
	return fmt.Errorf("associating %s with hosted zone %s: %w", vpcID, zoneID, err)
}
