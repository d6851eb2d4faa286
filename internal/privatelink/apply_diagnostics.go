package privatelink

// Diagnostics of what goes wrong while applying: a refused or lost create,
// a wait that failed or ran out of time, an endpoint awaiting acceptance.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// importHint is the command that brings an existing endpoint under
// Terraform; the provider does not know the resource's address.
func importHint(id string) string {
	return fmt.Sprintf("terraform import <resource address, e.g. engflow_privatelink_endpoint.this> %s", id)
}

// createFailure words a failed CreateVpcEndpoint. EC2 creates nothing when
// it refuses the call, so the detail says so.
func createFailure(ctx context.Context, c *Client, s endpointSpec, svc *types.ServiceDetail, err error) diag.Diagnostic {
	summary := fmt.Sprintf("Creating EngFlow PrivateLink endpoint in %s failed", s.VpcID)
	var advice string
	var held *nameHeldError
	switch code := errorCode(err); {
	case code == codeServiceNotFound:
		return serviceLookupDiagnostic(ctx, c, s.ServiceName, &NotFoundError{Kind: kindService, ID: s.ServiceName, Cause: err})
	case messageSays(err, msgRemoteAccessZones):
		advice = fmt.Sprintf("The service lives in %s; AWS connects from %s across Regions only in the zone IDs it lists above. "+
			"Choose subnets whose availability_zone_id is one of them.", remoteRegion(s.ServiceName, c.region), c.region)
	case code == codeDuplicateSubnets:
		advice = "An endpoint takes at most one subnet per Availability Zone: keep one subnet per zone in subnet_ids."
	case messageSays(err, msgAvailabilityZone):
		advice = fmt.Sprintf("Choose subnets in the zones the service is offered in: %s (zone IDs %s). "+
			"The engflow_privatelink_service data source lists them.",
			strings.Join(svc.AvailabilityZones, ", "), strings.Join(svc.AvailabilityZoneIds, ", "))
	case errors.As(err, &held):
		now := time.Now()
		if young, _ := unfinishedElsewhere([]types.VpcEndpoint{held.holder}, "", "", now); len(young) > 0 {
			return unfinishedDiagnostic(c.region, young, now, "AWS refused this run's create for the private DNS name it holds, "+
				"so nothing was created.")
		}
		id := aws.ToString(held.holder.VpcEndpointId)
		advice = fmt.Sprintf("The name is held by %s. Manage that endpoint instead:\n  %s\nor set private_dns_enabled = false here.",
			id, importHint(id+"@"+c.region))
	case isPrivateDNSConflict(err):
		advice = "Another endpoint in this VPC already serves this private DNS name. Manage that endpoint instead (" +
			importHint("<its vpce- ID>") + "), or set private_dns_enabled = false on this one."
	case messageSays(err, msgDNSSupport, msgDNSHostnames):
		advice = "Turn on both DNS attributes of the VPC (enable_dns_support and enable_dns_hostnames on aws_vpc, " +
			"or aws ec2 modify-vpc-attribute), or set private_dns_enabled = false."
	case refusedAddress(err, s) != "":
		advice = addressAdvice(refusedAddress(err, s))
	case code == codeUnauthorized:
		advice = "The caller lacks an EC2 permission; the IAM permissions guide lists every action the provider calls."
	}
	detail := "AWS said: " + err.Error() + "\n\n" + createOutcome(err)
	if advice != "" {
		detail += " " + advice
	}
	return diag.NewErrorDiagnostic(summary, detail)
}

// refusedAddress is the fixed address (subnet_configuration) EC2 refused,
// if any: one the error message names, whatever its code, or any of them
// when the code says an address is in use. The plan cannot know which
// addresses other network interfaces hold, so only EC2 refuses one. The
// code is EC2's general one for an address in use (API reference, "Error
// codes"); no public record of it for CreateVpcEndpoint or
// ModifyVpcEndpoint was found, so the message is read too.
func refusedAddress(err error, s endpointSpec) string {
	if err == nil {
		return ""
	}
	var first string
	for _, id := range slices.Sorted(maps.Keys(s.SubnetAddresses)) {
		for _, a := range []string{s.SubnetAddresses[id].IPv4, s.SubnetAddresses[id].IPv6} {
			if a != "" && strings.Contains(err.Error(), a) {
				return a
			}
			first = cmp.Or(first, a)
		}
	}
	if errorCode(err) == codeAddressInUse {
		return first
	}
	return ""
}

// addressAdvice says what to do about a fixed address EC2 refused.
func addressAdvice(address string) string {
	return fmt.Sprintf("EC2 refused the fixed address %s of subnet_configuration: another network interface of its subnet "+
		"may hold it. Pick a free address (aws ec2 describe-network-interfaces --filters "+
		"Name=addresses.private-ip-address,Values=%s names its holder), or remove the entry to let AWS pick one.", address, address)
}

// createOutcome says what is known of AWS's side after a failed create. A
// refusal (an error code in a 4xx answer) created nothing; after a timeout,
// a lost connection or a server error the endpoint may exist, tagged with
// the creation marker, and the next plan names it.
func createOutcome(err error) string {
	var re *awshttp.ResponseError
	if errorCode(err) != "" && (!errors.As(err, &re) || re.HTTPStatusCode() < 500) {
		return "No endpoint was created."
	}
	return fmt.Sprintf("AWS may have created the endpoint before the answer was lost. If it did, it carries the tag %s, "+
		"and the next plan names it and stops rather than creating a second one.", creationMarkerKey)
}

// conflictSearch bounds the look for the endpoint that holds the private
// DNS name after EC2 refused a create for it: EC2's lists lag behind its
// own checks by seconds.
const conflictSearch = time.Minute

// nameHeldError is EC2's refusal of a private DNS name, with the endpoint
// of the VPC and service that holds it.
type nameHeldError struct {
	refused error
	holder  types.VpcEndpoint
}

func (e *nameHeldError) Error() string { return e.refused.Error() }
func (e *nameHeldError) Unwrap() error { return e.refused }

// waitFailure words a wait that failed or ran out of time; the spec, if
// any, is what the operation asked for.
func waitFailure(action, id string, err error, s endpointSpec) diag.Diagnostic {
	detail := err.Error()
	if errors.Is(err, errWaitTimeout) {
		detail += fmt.Sprintf(".\n\nAWS may still finish: the endpoint is in Terraform's state, so the next apply "+
			"picks it up. If %s routinely takes longer, raise the timeout: timeouts { %s = \"20m\" }.", action, action)
	}
	if a := refusedAddress(err, s); a != "" {
		detail += ".\n\n" + addressAdvice(a)
	}
	return diag.NewErrorDiagnostic(fmt.Sprintf("Waiting for EngFlow PrivateLink endpoint %s (%s) failed", id, action), detail)
}

// awaitingAcceptance is the warning for an endpoint EngFlow has yet to accept.
func awaitingAcceptance(id, serviceName string) diag.Diagnostic {
	return diag.NewWarningDiagnostic(
		fmt.Sprintf("EngFlow has not accepted endpoint %s yet", id),
		fmt.Sprintf("The service %s requires EngFlow to accept each new connection, and %s is still pendingAcceptance. "+
			"Ask your EngFlow support engineer to accept it. Private DNS can only be turned on after that: "+
			"run terraform apply again once it is accepted, and it finishes the job without replacing the endpoint.",
			serviceName, id))
}
