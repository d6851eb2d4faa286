package shareddns

import (
	"errors"
	"fmt"

	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// associateError words the refusals of AssociateVPCWithHostedZone that a
// person can act on (the error list of
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_AssociateVPCWithHostedZone.html).
func associateError(vpcID, zoneID, region string, err error) error {
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
		// Route 53 takes the association of another account's VPC only from
		// that account, once the zone's account has authorised it
		// (CreateVPCAssociationAuthorization); the zone's account may
		// disassociate it (DisassociateVPCFromHostedZone), which an apply
		// that no longer lists it would do.
		vpc := fmt.Sprintf("--hosted-zone-id %s --vpc VPCRegion=%s,VPCId=%s", zoneID, region, vpcID)
		return fmt.Errorf("associating %s with hosted zone %s: not authorised (the VPC belongs to another AWS account). "+
			"Route 53 accepts that association only from the VPC's own account, so no rerun of this resource, which "+
			"uses this zone's account, can make it. Take %s out of spoke_vpc_ids and apply; then run, with this zone's "+
			"account, `aws route53 create-vpc-association-authorization %s`, and with the VPC's account "+
			"`aws route53 associate-vpc-with-hosted-zone %s`; then list %s in spoke_vpc_ids again (the resource finds it "+
			"associated and leaves it; without it there, the next apply disassociates it). The guide One endpoint for "+
			"many VPCs shows the steps: %w", vpcID, zoneID, vpcID, vpc, vpc, vpcID, err)
	case errors.As(err, &badVPC):
		return fmt.Errorf("associating %s with hosted zone %s: Route 53 does not know the VPC in this Region and account: %w", vpcID, zoneID, err)
	}
	return fmt.Errorf("associating %s with hosted zone %s: %w", vpcID, zoneID, err)
}
