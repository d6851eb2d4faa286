"""Fixed addresses of an interface endpoint's network interfaces.

CreateVpcEndpoint and ModifyVpcEndpoint take SubnetConfiguration.N
(SubnetId, Ipv4, Ipv6): the address the endpoint's network interface in
that subnet gets (EC2 API reference, SubnetConfiguration; moto 5.2 ignores
the parameter).  On a modify, "we replace the existing endpoint network
interface with a new endpoint network interface with this IP address"
(same page).  The address must be usable in the subnet as for any network
interface:

* inside the subnet's CIDR block, else InvalidParameterValue "Address ...
  does not fall within the subnet's address range" (real RunInstances
  output, JamesWoolfenden/terraform-aws-cassandra issue 18);
* not one of the addresses AWS keeps in every subnet: "The first four IP
  addresses and the last IP address in each subnet CIDR block are not
  available for your use" (Amazon VPC User Guide, "Subnet CIDR blocks",
  subnet-sizing; the same for IPv6 blocks), answered as
  InvalidParameterValue "Address ... is in subnet's reserved address range"
  (the wording EC2 uses for a reserved private IP; no public record of it
  for this action was found, so only the code is certain);
* not held by another network interface, else InvalidIPAddress.InUse
  "Address ... is in use.": the code is in EC2's general list ("Error
  codes": "The specified IP address is already in use"), the wording is
  real output of another action (RunInstances, fog/fog issue 2727).
  Unverified for CreateVpcEndpoint and ModifyVpcEndpoint: no public record
  of their answer was found, so the provider's advice keys on the address
  the message names rather than on the code.

The family must be one the endpoint's IP address type carries, and "You
must provide an IPv4 address if the VPC endpoint supports IPv4" (likewise
IPv6) (API reference, SubnetConfiguration): both refused as
InvalidParameter, in our words.

Every refusal here is raised by CreateVpcEndpoint and ModifyVpcEndpoint
(SubnetConfiguration.N).  The codes are in EC2's general error list ("Error
codes for the Amazon EC2 API"); no public record of either operation's
answer was found, so each message is unverified for this operation.
"""

import ipaddress

from moto.ec2.exceptions import EC2ClientError

import privatelink_errors as errors

# The families each IpAddressType carries (API reference, CreateVpcEndpoint).
_FAMILIES = {"ipv4": ("Ipv4",), "ipv6": ("Ipv6",), "dualstack": ("Ipv4", "Ipv6")}


def parse(raw) -> dict:
    """{subnet id: {"Ipv4": str | None, "Ipv6": str | None}} from the request."""
    configs = {}
    for item in raw or []:
        subnet_id = item.get("SubnetId")
        if not subnet_id:
            # Our wording; unverified for this operation.
            raise errors.invalid_parameter("SubnetConfiguration needs a SubnetId.")
        configs[subnet_id] = {"Ipv4": item.get("Ipv4") or None, "Ipv6": item.get("Ipv6") or None}
    return configs


def check(backend, configs: dict, subnet_ids, ip_type: str, replaced_enis=()) -> None:
    """Refuses what EC2 refuses; replaced_enis give their addresses up."""
    families = _FAMILIES.get(ip_type, ("Ipv4",))
    for subnet_id, config in configs.items():
        if subnet_id not in subnet_ids:
            # Our wording; unverified for this operation.
            raise errors.invalid_parameter(
                f"The subnet {subnet_id} in SubnetConfiguration is not one of the endpoint's subnets."
            )
        for family in ("Ipv4", "Ipv6"):
            # The rule is the API reference's (SubnetConfiguration); both
            # messages are ours, unverified for this operation.
            if config[family] is None and family in families:
                raise errors.invalid_parameter(
                    f"You must provide an {family} address for subnet {subnet_id}: "
                    f"the VPC endpoint's IP address type is {ip_type}."
                )
            if config[family] is not None and family not in families:
                raise errors.invalid_parameter(
                    f"An {family} address cannot be given for subnet {subnet_id}: "
                    f"the VPC endpoint's IP address type is {ip_type}."
                )
        subnet = backend.get_subnet(subnet_id)
        for family in families:
            _check_address(backend, subnet, config[family], family, replaced_enis)


def _blocks(subnet, family: str) -> list:
    if family == "Ipv4":
        return [ipaddress.ip_network(subnet.cidr_block, strict=False)]
    return [
        ipaddress.ip_network(a["ipv6CidrBlock"], strict=False)
        for a in subnet.ipv6_cidr_block_associations.values()
        if a.get("ipv6CidrBlock")
    ]


def _check_address(backend, subnet, value: str, family: str, replaced_enis) -> None:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        # Our wording; unverified for this operation.
        raise EC2ClientError("InvalidParameterValue", f"Invalid {family} address: {value}")
    block = next((b for b in _blocks(subnet, family) if address in b), None)
    if block is None or address.version != block.version:
        # Wording from RunInstances (JamesWoolfenden/terraform-aws-cassandra
        # 18); unverified for this operation.
        raise EC2ClientError(
            "InvalidParameterValue", f"Address {value} does not fall within the subnet's address range"
        )
    offset = int(address) - int(block.network_address)
    if offset < 4 or address == block.broadcast_address:
        # Wording unverified for this operation (see the module docstring).
        raise EC2ClientError("InvalidParameterValue", f"Address {value} is in subnet's reserved address range")
    if address in in_use(backend, subnet, replaced_enis):
        # Code from EC2's general error list, wording from RunInstances
        # (fog/fog 2727); unverified for this operation.
        raise EC2ClientError("InvalidIPAddress.InUse", f"Address {value} is in use.")


def in_use(backend, subnet, except_enis=()) -> set:
    """Every address a network interface of the subnet holds."""
    used = set()
    for eni in backend.enis.values():
        if eni.subnet.id != subnet.id or eni.id in except_enis:
            continue
        for value in [eni.private_ip_address, *(eni.ipv6_addresses or [])]:
            if value:
                used.add(ipaddress.ip_address(value))
    return used


def for_subnet(configs: dict, subnet_id: str) -> dict:
    return configs.get(subnet_id) or {"Ipv4": None, "Ipv6": None}


def differs(eni, config: dict) -> bool:
    """Whether the interface lacks an address the configuration asks for."""
    if config["Ipv4"] and ipaddress.ip_address(config["Ipv4"]) != ipaddress.ip_address(eni.private_ip_address):
        return True
    held = {ipaddress.ip_address(a) for a in eni.ipv6_addresses or []}
    return bool(config["Ipv6"]) and ipaddress.ip_address(config["Ipv6"]) not in held


def fingerprint(configs: dict) -> frozenset:
    """The configurations as a ClientToken comparison sees them."""
    return frozenset((s, c["Ipv4"], c["Ipv6"]) for s, c in configs.items())
