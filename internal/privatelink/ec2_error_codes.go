package privatelink

import "strings"

// EC2 error codes the provider acts on, in one place so that every caller
// treats them alike. EC2 spells "endpoint not found" two ways: describe
// calls say InvalidVpcEndpointId.NotFound, DeleteVpcEndpoints reports
// InvalidVpcEndpoint.NotFound in Unsuccessful; both mean the same.
const (
	codeEndpointNotFound       = "InvalidVpcEndpointId.NotFound"
	codeEndpointNotFoundDelete = "InvalidVpcEndpoint.NotFound"
	codeVPCNotFound            = "InvalidVpcID.NotFound"
	codeServiceNotFound        = "InvalidServiceName"
	codeOperationInProgress    = "OperationInProgress"
	codeDuplicateSubnets       = "DuplicateSubnetsInSameZone"
	codeUnauthorized           = "UnauthorizedOperation"
)

// isEndpointNotFoundCode is true for either spelling of "no such endpoint".
func isEndpointNotFoundCode(code string) bool {
	return code == codeEndpointNotFound || code == codeEndpointNotFoundDelete
}

// isInProgress catches EC2's refusal of a second change while one is under
// way, whether it comes as the code or only in the message ("VpcEndpoint
// modify operation in progress").
func isInProgress(err error) bool {
	return err != nil && (errorCode(err) == codeOperationInProgress ||
		strings.Contains(strings.ToLower(err.Error()), "operation in progress"))
}
