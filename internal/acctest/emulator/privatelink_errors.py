"""EC2 error codes and messages the PrivateLink emulation emits.

Everything is raised as moto's EC2ClientError so moto's EC2 serializer writes
the usual <Response><Errors><Error><Code>... body with HTTP 400, which
aws-sdk-go-v2 surfaces as a smithy APIError with the same code.
The wording follows the messages real EC2 returns where we know them.

Sources: each helper names the operations that raise it and, for each, where
the code and the wording come from: the EC2 API reference or a public report
of real output for that operation.  "EC2's general error list" is the API
reference page "Error codes for the Amazon EC2 API", which lists codes for
EC2 as a whole, not per operation.  Where no source for the operation was
found, the comment says "unverified for this operation".
"""

from moto.ec2.exceptions import EC2ClientError


def invalid_parameter(message: str) -> EC2ClientError:
    # The code is in EC2's general error list; each message's source is at
    # its helper below or at the raise that words it.
    return EC2ClientError("InvalidParameter", message)


def subnet_not_in_vpc(subnet_id: str, vpc_id: str) -> EC2ClientError:
    # CreateVpcEndpoint, ModifyVpcEndpoint (AddSubnetId). Code from EC2's
    # general error list; wording unverified for this operation.
    return invalid_parameter(f"The subnet {subnet_id} does not belong to VPC {vpc_id}.")


def zone_not_supported(service_name: str, subnet_id: str) -> EC2ClientError:
    # CreateVpcEndpoint: real output (aws/aws-sdk-go-v2 1024;
    # terraform-aws-modules/terraform-aws-vpc 462, 785).
    # ModifyVpcEndpoint (AddSubnetId): unverified for this operation.
    return invalid_parameter(
        f"The VPC endpoint service {service_name} does not support the "
        f"availability zone of the subnet: {subnet_id}."
    )


def zone_not_supported_for_remote_access(zone_ids: list[str]) -> EC2ClientError:
    # Real CreateVpcEndpoint output for a cross-Region endpoint
    # (chanzuckerberg/cztack PR 865): "Only the following availability zones
    # are supported for remote access: use1-az1, use1-az2, ...", zone IDs of
    # the consumer's Region. ModifyVpcEndpoint (AddSubnetId): unverified for
    # this operation.
    return invalid_parameter(
        "Only the following availability zones are supported for remote access: "
        + ", ".join(zone_ids)
    )


def cannot_remove_home_region(region: str, service_id: str) -> EC2ClientError:
    # ModifyVpcEndpointServiceConfiguration (RemoveSupportedRegion): real
    # output (aws-controllers-k8s/community 2902).
    return invalid_parameter(f"Cannot remove service region {region} from {service_id}")


def duplicate_subnets_in_zone(subnet_id: str) -> EC2ClientError:
    # Code in EC2's general error list. Real output of CreateVpcEndpoint
    # (klothoplatform/klotho 468) and of ModifyVpcEndpoint
    # (terraform-aws-modules/terraform-aws-vpc 583).
    return EC2ClientError(
        "DuplicateSubnetsInSameZone",
        f"Found another VPC endpoint subnet in the availability zone of {subnet_id}. "
        "VPC endpoint subnets should be in different availability zones supported "
        "by the VPC endpoint service.",
    )


def security_group_not_in_vpc(group_id: str, vpc_id: str) -> EC2ClientError:
    # CreateVpcEndpoint, ModifyVpcEndpoint (AddSecurityGroupId). Code from
    # EC2's general error list; wording unverified for this operation.
    return invalid_parameter(
        f"The security group {group_id} does not belong to VPC {vpc_id}."
    )


def not_an_interface_service(service_name: str) -> EC2ClientError:
    # CreateVpcEndpoint. Code from EC2's general error list; wording
    # unverified for this operation. The reverse case, a Gateway request for
    # an Interface service, got "InvalidParameter: Endpoint type (Gateway)
    # does not match service type (Interface)."
    # (hashicorp/terraform-provider-aws 2695).
    return invalid_parameter(
        f"The VPC endpoint service {service_name} does not support the VPC "
        "endpoint type Interface."
    )


# CreateVpcEndpoint, ModifyVpcEndpoint (IpAddressType). Code from EC2's
# general error list; wording unverified for this operation.
def ip_address_type_not_supported(
    service_name: str, ip_type: str, supported: list[str]
) -> EC2ClientError:
    return invalid_parameter(
        f"The VPC endpoint service {service_name} does not support the IP address "
        f"type {ip_type}. Supported IP address types: {', '.join(supported)}."
    )


def private_dns_without_name(service_name: str) -> EC2ClientError:
    # CreateVpcEndpoint, ModifyVpcEndpoint (PrivateDnsEnabled). Real output
    # (vespa-engine/vespa PR 33303), but the report does not name the call:
    # unverified for this operation.
    return invalid_parameter(
        f"Private DNS can't be enabled because the service {service_name} "
        "does not provide a private DNS name."
    )


def private_dns_before_acceptance(service_name: str) -> EC2ClientError:
    # CreateVpcEndpoint, ModifyVpcEndpoint (PrivateDnsEnabled). The refusal
    # is reported (crossplane-contrib/provider-aws 1363) without AWS's text.
    # Code from EC2's general error list; wording unverified for this
    # operation.
    return invalid_parameter(
        "Private DNS can only be enabled after the VPC endpoint connection is "
        f"accepted by the owner of {service_name}."
    )


def private_dns_needs_vpc_dns(vpc_id: str) -> EC2ClientError:
    # CreateVpcEndpoint: AWS's GuardDuty User Guide quotes this text, without
    # the final period, for a failed endpoint creation (runtime coverage
    # troubleshooting, "VPC Endpoint Creation Failed"). ModifyVpcEndpoint
    # (PrivateDnsEnabled): unverified for this operation.
    return invalid_parameter(
        "Enabling private DNS requires both enableDnsSupport and "
        f"enableDnsHostnames VPC attributes set to true for {vpc_id}."
    )


def private_dns_conflict(dns_name: str, vpc_id: str) -> EC2ClientError:
    # CreateVpcEndpoint: real output (hashicorp/terraform-provider-aws 17269,
    # 17535). ModifyVpcEndpoint (PrivateDnsEnabled): unverified for this
    # operation.
    return invalid_parameter(
        "private-dns-enabled cannot be set because there is already a conflicting "
        f"DNS domain for {dns_name} in the VPC {vpc_id}"
    )


def idempotent_parameter_mismatch(client_token: str) -> EC2ClientError:
    # CreateVpcEndpoint. Code: EC2's general error list and the developer
    # guide, "Ensuring idempotency". Wording unverified for this operation.
    return EC2ClientError(
        "IdempotentParameterMismatch",
        f"The client token {client_token} has already been used with "
        "different request parameters.",
    )


def operation_in_progress() -> EC2ClientError:
    # ModifyVpcEndpoint: real output (hashicorp/terraform-provider-aws 42875,
    # PR 42884). The code is not in EC2's general error list.
    return EC2ClientError(
        "OperationInProgress", "VpcEndpoint modify operation in progress"
    )


def endpoint_not_modifiable(endpoint_id: str, state: str) -> EC2ClientError:
    # ModifyVpcEndpoint of an endpoint being deleted. Code from EC2's general
    # error list; wording unverified for this operation.
    return EC2ClientError(
        "IncorrectState",
        f"VpcEndpoint {endpoint_id} is in state {state} and cannot be modified.",
    )


# Per-item failures reported inside a successful response ("Unsuccessful").


def unsuccessful(resource_id: str, code: str, message: str) -> dict:
    return {"ResourceId": resource_id, "Error": {"Code": code, "Message": message}}


def endpoint_not_found_item(endpoint_id: str) -> dict:
    # DeleteVpcEndpoints: the aws provider's delete reads this code from
    # Unsuccessful (hashicorp/terraform-provider-aws, resourceVPCEndpointDelete,
    # PR 16656); EC2's general error list gives it for unsuccessful items of
    # bulk requests. Accept/RejectVpcEndpointConnections: code unverified for
    # this operation. Wording unverified for every operation.
    return unsuccessful(
        endpoint_id,
        "InvalidVpcEndpoint.NotFound",
        f"The VpcEndpoint Id '{endpoint_id}' does not exist",
    )


def connection_wrong_state_item(endpoint_id: str, state: str, verb: str) -> dict:
    # Accept/RejectVpcEndpointConnections. Code from EC2's general error list;
    # wording unverified for this operation.
    return unsuccessful(
        endpoint_id,
        "IncorrectState",
        f"The VpcEndpoint {endpoint_id} is in state {state} and cannot be {verb}.",
    )


# Eventual consistency, paging and ID checks.


def endpoint_id_not_found(endpoint_id: str) -> EC2ClientError:
    # DescribeVpcEndpoints and ModifyVpcEndpoint fail the whole call;
    # DeleteVpcEndpoints reports endpoint_not_found_item instead.
    # DescribeVpcEndpoints: code seen right after a create
    # (ansible-collections/amazon.aws 700). ModifyVpcEndpoint, CreateTags,
    # DeleteTags: code from EC2's general error list, unverified for this
    # operation. Wording unverified for every operation.
    return EC2ClientError(
        "InvalidVpcEndpointId.NotFound", f"The VpcEndpoint Id '{endpoint_id}' does not exist"
    )


def invalid_next_token(token: str) -> EC2ClientError:
    # EC2 API reference, "Error codes": InvalidNextToken, "The specified
    # NextToken is not valid." Raised by every paged Describe* call
    # (paging.py). The message is the list's description, not recorded
    # output: unverified for this operation. DescribeVpcs answered an empty
    # NextToken with InvalidParameterValue (boto/boto3 2673).
    return EC2ClientError("InvalidNextToken", "The specified NextToken is not valid.")


def malformed_id(code: str, value: str, prefix: str, privatelink_style: bool) -> EC2ClientError:
    """An ID that does not have AWS's shape fails the whole call.

    Codes: EC2 API reference, "Error codes" (*.Malformed).  Wording as real
    EC2 answers: the VPC endpoint actions say
      Invalid Id: 'x' (expecting 'vpce-...; the Id may only contain lowercase
      alphanumeric characters and a single dash')
    (hashicorp/terraform-provider-aws 9693, 111; mongodb/mongodbatlas-
    cloudformation-resources 160), the older EC2 actions
      Invalid id: "x" (expecting "sg-...")
    (InvalidGroupId.Malformed from AuthorizeSecurityGroupIngress).

    Per operation (paging.check_id_format runs on every EC2 action):
    * InvalidVpcEndpointId.Malformed: DescribeVpcEndpoints, read by the aws
      provider's import of a route table association
      (hashicorp/terraform-provider-aws 9693). ModifyVpcEndpoint,
      DeleteVpcEndpoints, Accept/RejectVpcEndpointConnections: unverified for
      this operation.
    * InvalidVpcId.Malformed: CreateVpcEndpoint (mongodb/mongodbatlas-
      cloudformation-resources PR 160). hashicorp/terraform-provider-aws 111
      shows the same wording for a route table ID of CreateVpcEndpoint.
    * InvalidSubnetID.Malformed and InvalidGroupId.Malformed on the VPC
      endpoint actions: unverified for this operation. ModifyVpcEndpoint
      answered a bad subnet ID with InvalidSubnetId.Malformed "Invalid Subnet
      Id: 'x' (expecting 'subnet-...; ...')"
      (terraform-aws-modules/terraform-aws-vpc 722).
    * InvalidVpcEndpointServiceId.Malformed: EC2's general error list spells
      it InvalidVpcEndpointServiceIdId.Malformed; code and wording unverified
      for this operation.
    * Older-style wording: InvalidGroupId.Malformed from the ingress rule
      calls (hashicorp/terraform-provider-aws 2375, genevieve/leftovers 7),
      InvalidNetworkInterfaceId.Malformed from an address association
      (F5Networks/f5-cloud-failover-extension 150). DescribeSecurityGroups,
      DescribeNetworkInterfaces, DescribeSubnets, DescribeVpcs and the other
      calls: unverified for this operation.
    """
    if privatelink_style:
        message = (
            f"Invalid Id: '{value}' (expecting '{prefix}-...; the Id may only contain "
            "lowercase alphanumeric characters and a single dash')"
        )
    else:
        message = f'Invalid id: "{value}" (expecting "{prefix}-...")'
    return EC2ClientError(code, message)
