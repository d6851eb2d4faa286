package privatelink

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"
)

// NotFoundError is what every finder returns when the thing asked for does
// not exist (an error code, an empty answer, or an endpoint in state
// deleted all mean the same to callers). Test for it with errors.As.
type NotFoundError struct {
	Kind  string // "VPC endpoint", "VPC endpoint service", ...
	ID    string
	Cause error // the API error, when there was one
	// Deleted is set when EC2 described the thing as deleted: a sure
	// answer, unlike "unknown", which may be EC2 lagging behind a create.
	Deleted bool
}

func (e *NotFoundError) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s %s not found: %s", e.Kind, e.ID, e.Cause)
	}
	return fmt.Sprintf("%s %s not found", e.Kind, e.ID)
}

func (e *NotFoundError) Unwrap() error { return e.Cause }

// isNotFound reports whether err is, or wraps, a NotFoundError.
func isNotFound(err error) bool {
	var nf *NotFoundError
	return errors.As(err, &nf)
}

// mayBeLagging reports whether err is a not-found answer that eventual
// consistency may explain: EC2 did not know the ID, rather than describing
// it as deleted.
func mayBeLagging(err error) bool {
	var nf *NotFoundError
	return errors.As(err, &nf) && !nf.Deleted
}

// errorCode returns the AWS error code of err ("InvalidServiceName"), or ""
// when err did not come from an AWS API answer.
func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// EC2 error codes the provider acts on, in one place so that every caller
// treats them alike. EC2 spells "endpoint not found" two ways: describe
// calls say InvalidVpcEndpointId.NotFound, DeleteVpcEndpoints reports
// InvalidVpcEndpoint.NotFound in Unsuccessful; both mean the same. "EC2's
// general error list" below is the API reference page "Error codes for the
// Amazon EC2 API", which is not per operation.
const (
	// DescribeVpcEndpoints, right after a create (ansible-collections/amazon.aws 700).
	codeEndpointNotFound = "InvalidVpcEndpointId.NotFound"
	// DeleteVpcEndpoints, in Unsuccessful: the aws provider's delete keys on
	// it (hashicorp/terraform-provider-aws PR 16656); EC2's general error list.
	codeEndpointNotFoundDelete = "InvalidVpcEndpoint.NotFound"
	// DescribeVpcAttribute: code from EC2's general error list, unverified
	// for this operation.
	codeVPCNotFound = "InvalidVpcID.NotFound"
	// DescribeVpcEndpointServices (hashicorp/terraform-provider-aws 24216)
	// and CreateVpcEndpoint (aws-samples/aws-network-firewall-terraform 4).
	codeServiceNotFound = "InvalidServiceName"
	// ModifyVpcEndpoint (hashicorp/terraform-provider-aws 42875, PR 42884).
	codeOperationInProgress = "OperationInProgress"
	// CreateVpcEndpoint (klothoplatform/klotho 468), ModifyVpcEndpoint
	// (terraform-aws-modules/terraform-aws-vpc 583).
	codeDuplicateSubnets = "DuplicateSubnetsInSameZone"
	// Any call: a common client error of EC2's general error list.
	codeUnauthorized = "UnauthorizedOperation"
	// A fixed address (subnet_configuration) another network interface
	// holds (EC2 API reference, "Error codes"). Unverified for
	// CreateVpcEndpoint and ModifyVpcEndpoint.
	codeAddressInUse = "InvalidIPAddress.InUse"
)

// isEndpointNotFoundCode is true for either spelling of "no such endpoint".
func isEndpointNotFoundCode(code string) bool {
	return code == codeEndpointNotFound || code == codeEndpointNotFoundDelete
}

// Refusals EC2 words only in its message (lower-cased here), with a
// generic code such as InvalidParameter or none of its own.
const (
	// "private-dns-enabled cannot be set because there is already a
	// conflicting DNS domain for <name> in the VPC" (CreateVpcEndpoint:
	// terraform-provider-aws 17535, 17269).
	msgPrivateDNSConflict = "conflicting dns domain"
	// "Only the following availability zones are supported for remote
	// access: ..." (cross-Region CreateVpcEndpoint; cztack 865).
	msgRemoteAccessZones = "supported for remote access"
	// "... does not support the availability zone of the subnet"
	// (CreateVpcEndpoint: aws-sdk-go-v2 1024).
	msgAvailabilityZone = "availability zone"
	// "Enabling private DNS requires both enableDnsSupport and
	// enableDnsHostnames VPC attributes set to true for vpc-..."
	// (CreateVpcEndpoint: GuardDuty User Guide, "VPC Endpoint Creation Failed").
	msgDNSSupport   = "enablednssupport"
	msgDNSHostnames = "enablednshostnames"
	// "VpcEndpoint modify operation in progress", sometimes without the
	// OperationInProgress code (ModifyVpcEndpoint: terraform-provider-aws
	// 3382, 42875).
	msgInProgress = "operation in progress"
)

// messageSays reports whether EC2's error message holds one of fragments.
func messageSays(err error, fragments ...string) bool {
	if err == nil {
		return false
	}
	msg := strings.ToLower(err.Error())
	for _, f := range fragments {
		if strings.Contains(msg, f) {
			return true
		}
	}
	return false
}

// isInProgress catches EC2's refusal of a second change while one is under
// way, whether it comes as the code or only in the message.
func isInProgress(err error) bool {
	return errorCode(err) == codeOperationInProgress || messageSays(err, msgInProgress)
}

// isPrivateDNSConflict reports EC2's refusal to create an endpoint with
// private DNS in a VPC where another endpoint serves the name.
func isPrivateDNSConflict(err error) bool { return messageSays(err, msgPrivateDNSConflict) }
