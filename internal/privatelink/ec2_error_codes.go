package privatelink

import (
	"slices"
	"strings"
)

// EC2 error codes the provider acts on, in one place so that every caller
// treats them alike. EC2 spells "endpoint not found" two ways: describe
// calls say InvalidVpcEndpointId.NotFound, DeleteVpcEndpoints reports
// InvalidVpcEndpoint.NotFound in Unsuccessful; both mean the same.
const (
	codeEndpointNotFound       = "InvalidVpcEndpointId.NotFound"
	codeEndpointNotFoundDelete = "InvalidVpcEndpoint.NotFound"
	codeEndpointMalformed      = "InvalidVpcEndpointId.Malformed"
	codeSubnetNotFound         = "InvalidSubnetID.NotFound"
	codeSubnetMalformed        = "InvalidSubnetID.Malformed"
	codeGroupNotFound          = "InvalidGroup.NotFound"
	codeGroupMalformed         = "InvalidGroupId.Malformed"
	codeVPCNotFound            = "InvalidVpcID.NotFound"
	codeVPCMalformed           = "InvalidVpcID.Malformed"
	codeServiceNotFound        = "InvalidServiceName"
	codeOperationInProgress    = "OperationInProgress"
	codeDuplicateSubnets       = "DuplicateSubnetsInSameZone"
	codeUnauthorized           = "UnauthorizedOperation"
)

// idErrorCodes says, per kind of ID, which codes name one bad ID in a
// batched describe: EC2 fails the whole call for it, so the batch is split
// until the bad ID stands alone.
type idErrorCodes struct {
	notFound  []string
	malformed []string
}

var (
	endpointIDCodes = idErrorCodes{notFound: []string{codeEndpointNotFound, codeEndpointNotFoundDelete}, malformed: []string{codeEndpointMalformed}}
	subnetIDCodes   = idErrorCodes{notFound: []string{codeSubnetNotFound}, malformed: []string{codeSubnetMalformed}}
	groupIDCodes    = idErrorCodes{notFound: []string{codeGroupNotFound}, malformed: []string{codeGroupMalformed}}
)

func (c idErrorCodes) isNotFound(code string) bool  { return slices.Contains(c.notFound, code) }
func (c idErrorCodes) isMalformed(code string) bool { return slices.Contains(c.malformed, code) }

// isEndpointNotFoundCode is true for either spelling of "no such endpoint".
func isEndpointNotFoundCode(code string) bool { return endpointIDCodes.isNotFound(code) }

// isInProgress catches EC2's refusal of a second change while one is under
// way, whether it comes as the code or only in the message ("VpcEndpoint
// modify operation in progress").
func isInProgress(err error) bool {
	return err != nil && (errorCode(err) == codeOperationInProgress ||
		strings.Contains(strings.ToLower(err.Error()), "operation in progress"))
}
