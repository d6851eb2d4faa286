"""EC2 error codes and messages the PrivateLink emulation emits.

Everything is raised as moto's EC2ClientError so moto's EC2 serializer writes
the usual <Response><Errors><Error><Code>... body with HTTP 400, which
aws-sdk-go-v2 surfaces as a smithy APIError with the same code.
The wording follows the messages real EC2 returns where we know them.
"""

from moto.ec2.exceptions import EC2ClientError


def invalid_parameter(message: str) -> EC2ClientError:
    return EC2ClientError("InvalidParameter", message)


def subnet_not_in_vpc(subnet_id: str, vpc_id: str) -> EC2ClientError:
    return invalid_parameter(f"The subnet {subnet_id} does not belong to VPC {vpc_id}.")


def zone_not_supported(service_name: str, subnet_id: str) -> EC2ClientError:
    return invalid_parameter(
        f"The VPC endpoint service {service_name} does not support the "
        f"availability zone of the subnet: {subnet_id}."
    )


def zone_not_supported_for_remote_access(zone_ids: list[str]) -> EC2ClientError:
    # Real output for a cross-Region endpoint (chanzuckerberg/cztack PR 865):
    # "Only the following availability zones are supported for remote access:
    # use1-az1, use1-az2, ...", zone IDs of the consumer's Region.
    return invalid_parameter(
        "Only the following availability zones are supported for remote access: "
        + ", ".join(zone_ids)
    )


def cannot_remove_home_region(region: str, service_id: str) -> EC2ClientError:
    # Real output (aws-controllers-k8s/community 2902).
    return invalid_parameter(f"Cannot remove service region {region} from {service_id}")


def duplicate_subnets_in_zone(subnet_id: str) -> EC2ClientError:
    return EC2ClientError(
        "DuplicateSubnetsInSameZone",
        f"Found another VPC endpoint subnet in the availability zone of {subnet_id}. "
        "VPC endpoint subnets should be in different availability zones supported "
        "by the VPC endpoint service.",
    )


def security_group_not_in_vpc(group_id: str, vpc_id: str) -> EC2ClientError:
    return invalid_parameter(
        f"The security group {group_id} does not belong to VPC {vpc_id}."
    )


def not_an_interface_service(service_name: str) -> EC2ClientError:
    return invalid_parameter(
        f"The VPC endpoint service {service_name} does not support the VPC "
        "endpoint type Interface."
    )


def ip_address_type_not_supported(
    service_name: str, ip_type: str, supported: list[str]
) -> EC2ClientError:
    return invalid_parameter(
        f"The VPC endpoint service {service_name} does not support the IP address "
        f"type {ip_type}. Supported IP address types: {', '.join(supported)}."
    )


def private_dns_without_name(service_name: str) -> EC2ClientError:
    return invalid_parameter(
        f"Private DNS can't be enabled because the service {service_name} "
        "does not provide a private DNS name."
    )


def private_dns_before_acceptance(service_name: str) -> EC2ClientError:
    return invalid_parameter(
        "Private DNS can only be enabled after the VPC endpoint connection is "
        f"accepted by the owner of {service_name}."
    )


def private_dns_needs_vpc_dns(vpc_id: str) -> EC2ClientError:
    return invalid_parameter(
        "Enabling private DNS requires both enableDnsSupport and "
        f"enableDnsHostnames VPC attributes set to true for {vpc_id}."
    )


def private_dns_conflict(dns_name: str, vpc_id: str) -> EC2ClientError:
    return invalid_parameter(
        "private-dns-enabled cannot be set because there is already a conflicting "
        f"DNS domain for {dns_name} in the VPC {vpc_id}"
    )


def idempotent_parameter_mismatch(client_token: str) -> EC2ClientError:
    return EC2ClientError(
        "IdempotentParameterMismatch",
        f"The client token {client_token} has already been used with "
        "different request parameters.",
    )


def operation_in_progress() -> EC2ClientError:
    return EC2ClientError(
        "OperationInProgress", "VpcEndpoint modify operation in progress"
    )


def endpoint_not_modifiable(endpoint_id: str, state: str) -> EC2ClientError:
    return EC2ClientError(
        "IncorrectState",
        f"VpcEndpoint {endpoint_id} is in state {state} and cannot be modified.",
    )


# Per-item failures reported inside a successful response ("Unsuccessful").


def unsuccessful(resource_id: str, code: str, message: str) -> dict:
    return {"ResourceId": resource_id, "Error": {"Code": code, "Message": message}}


def endpoint_not_found_item(endpoint_id: str) -> dict:
    return unsuccessful(
        endpoint_id,
        "InvalidVpcEndpoint.NotFound",
        f"The VpcEndpoint Id '{endpoint_id}' does not exist",
    )


def connection_wrong_state_item(endpoint_id: str, state: str, verb: str) -> dict:
    return unsuccessful(
        endpoint_id,
        "IncorrectState",
        f"The VpcEndpoint {endpoint_id} is in state {state} and cannot be {verb}.",
    )


# Eventual consistency, paging and ID checks.


def endpoint_id_not_found(endpoint_id: str) -> EC2ClientError:
    # DescribeVpcEndpoints and ModifyVpcEndpoint fail the whole call;
    # DeleteVpcEndpoints reports endpoint_not_found_item instead.
    return EC2ClientError(
        "InvalidVpcEndpointId.NotFound", f"The VpcEndpoint Id '{endpoint_id}' does not exist"
    )


def invalid_next_token(token: str) -> EC2ClientError:
    # EC2 API reference, "Error codes": InvalidNextToken, "The specified
    # NextToken is not valid."
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
    """
    if privatelink_style:
        message = (
            f"Invalid Id: '{value}' (expecting '{prefix}-...; the Id may only contain "
            "lowercase alphanumeric characters and a single dash')"
        )
    else:
        message = f'Invalid id: "{value}" (expecting "{prefix}-...")'
    return EC2ClientError(code, message)
