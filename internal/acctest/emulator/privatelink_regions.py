"""Cross-Region PrivateLink: the Regions a service serves, seen from each side.

moto keeps one EC2 backend per account and Region, picked by the SigV4
credential scope of each request.  Since November 2024 an interface endpoint
in one Region can reach an endpoint service in another, if the service lists
the endpoint's Region among its supported Regions (EC2 API reference:
CreateVpcEndpointServiceConfiguration SupportedRegion.N, "The Regions from
which service consumers can access the service"; CreateVpcEndpoint
ServiceRegion, "The Region where the service is hosted").

This module is the Region bookkeeping both sides share: which backends of an
account exist, a service's supported Regions (its own always among them), the
service a consumer Region may reach in another Region, and which zones of a
consumer Region take remote endpoints.
"""

from moto.ec2.exceptions import InvalidServiceName
from moto.ec2.models import ec2_backends
from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend
from moto.ec2.models.vpc_service_configuration import (
    VPCServiceConfiguration,
    VPCServiceConfigurationBackend,
)

import privatelink_errors as errors

# SupportedRegionDetail.ServiceState (EC2 API reference: "Pending | Available
# | Deleting | Deleted | Failed | Closed"); a listed Region serves at once here.
_AVAILABLE = "Available"

# Zone IDs AWS has refused for remote access.  In us-east-1 its refusal listed
# every zone ID but use1-az3 (chanzuckerberg/cztack PR 865).
_OBSERVED_REFUSED = {"us-east-1": "use1-az3"}


def account_backends(account_id: str) -> dict:
    """The account's EC2 backends by Region, only those that exist.

    Looking up a missing Region would create its backend, which describes
    (holding the shared lock only) must not do; a Region nobody used holds
    nothing anyway.
    """
    regions = dict.get(ec2_backends, account_id)
    return dict(regions) if regions is not None else {}


def supported_region_names(config) -> list:
    """The service's own Region first, then the others it lists, once each."""
    home = config.ec2_backend.region_name
    return list(dict.fromkeys([home, *config._supported_region_names]))


def _supported_regions(self) -> list:
    return [{"Region": r, "ServiceState": _AVAILABLE} for r in supported_region_names(self)]


def _remote_access_enabled(self) -> bool:
    # ServiceConfiguration.RemoteAccessEnabled: "Indicates whether consumers
    # can access the service from a Region other than the Region where the
    # service is hosted" (EC2 API reference).
    return len(supported_region_names(self)) > 1


def remote_service(consumer_backend, service_name: str, service_region: str):
    """The service of service_region that consumer_backend's Region may reach.

    A service in another Region is unknown unless the caller names that Region
    (cloud-custodian PR 10918: without ServiceRegions, InvalidServiceName).  A
    service that does not list the consumer's Region answers InvalidServiceName
    too: AWS documents no other error, and InvalidServiceName is what a service
    not offered to a Region gets (terraform-provider-aws 42970, service_region
    set for a service not shared across Regions); the closest documented
    behaviour.  Raised by CreateVpcEndpoint (ServiceRegion); the
    DescribeVpcEndpointServices refusal is privatelink_catalog's.
    """
    for config in remote_services(consumer_backend, service_region):
        if config.service_name == service_name:
            return config
    raise InvalidServiceName(service_name)


def remote_services(consumer_backend, service_region: str) -> list:
    """Services of service_region that list consumer_backend's Region."""
    here = consumer_backend.region_name
    home = account_backends(consumer_backend.account_id).get(service_region)
    if home is None or service_region == here:
        return []
    return [
        c for c in list(home.configurations.values()) if here in supported_region_names(c)
    ]


def remote_access_zone_ids(region: str) -> list:
    """The zone IDs of region where endpoints to remote services may go.

    AWS refuses the others with "Only the following availability zones are
    supported for remote access: use1-az1, ..." (chanzuckerberg/cztack PR 865)
    and documents no list.  Here: every zone ID but one, the one AWS refused
    where known, else the highest-numbered, so that tests can provoke the
    refusal (see README.md, "Cross-Region PrivateLink").
    """
    ids = sorted(z.zone_id for z in RegionsAndZonesBackend.zones.get(region, []))
    if not ids:
        return []
    refused = _OBSERVED_REFUSED.get(region) or max(ids, key=_zone_number)
    return [i for i in ids if i != refused]


def _zone_number(zone_id: str) -> int:
    digits = zone_id.rsplit("-az", 1)[-1]
    return int(digits) if digits.isdigit() else 0


# --- ModifyVpcEndpointServiceConfiguration ---------------------------------

_original_modify = VPCServiceConfigurationBackend.modify_vpc_endpoint_service_configuration


def _modify(self, service_id, *args, **kwargs):
    # An unknown ID raises moto's InvalidVpcEndpointServiceId.NotFound: code
    # from EC2's general error list; wording unverified for this operation.
    config = self.describe_vpc_endpoint_service_configurations([service_id])[0]
    config._supported_region_names = list(dict.fromkeys(config._supported_region_names))
    home = config.ec2_backend.region_name
    listed = supported_region_names(config)
    removed = kwargs.get("remove_supported_regions") or []
    if home in removed:
        # Real ModifyVpcEndpointServiceConfiguration output: "InvalidParameter:
        # Cannot remove service region <region> from vpce-svc-..."
        # (aws-controllers-k8s/community 2902).
        raise errors.cannot_remove_home_region(home, config.id)
    # moto appends duplicates and fails (HTTP 500) on Regions not listed.
    kwargs["add_supported_regions"] = [
        r for r in dict.fromkeys(kwargs.get("add_supported_regions") or []) if r not in listed
    ]
    kwargs["remove_supported_regions"] = [
        r for r in dict.fromkeys(removed) if r in config._supported_region_names
    ]
    return _original_modify(self, service_id, *args, **kwargs)


def install() -> None:
    VPCServiceConfiguration.supported_regions = property(_supported_regions)
    VPCServiceConfiguration.remote_access_enabled = property(_remote_access_enabled)
    VPCServiceConfigurationBackend.modify_vpc_endpoint_service_configuration = _modify
