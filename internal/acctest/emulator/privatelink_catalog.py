"""DescribeVpcEndpointServices: the services a consumer's Region can see.

Without ServiceRegion.N the answer holds the services of the caller's Region
only; a service of another Region is InvalidServiceName (cloud-custodian PR
10918).  With it, the services of each listed Region that the caller's Region
may reach (EC2 API reference, DescribeVpcEndpointServices: ServiceRegions,
"The service Regions"; PrivateLink guide, "Cross-region enabled AWS
services": from us-east-1, --service-region us-west-2 lists us-west-2's).  A remote service's
ServiceDetail carries its ServiceRegion and no Availability Zones, as AWS
answers (terraform-provider-aws 44186: empty availability_zones).  Paging is
left to paging.py, which wraps this.
"""

from operator import itemgetter

from moto.core.responses import ActionResult
from moto.ec2.exceptions import InvalidServiceName
from moto.ec2.responses import EC2Response

import privatelink_regions as regions


def _local_details(backend) -> list:
    here = backend.region_name
    defaults = [
        {**d, "ServiceRegion": here}
        for d in backend._collect_default_endpoint_services(backend.account_id, here)
    ]
    return defaults + [c.to_dict() for c in list(backend.configurations.values())]


def _remote_details(backend, service_region: str) -> list:
    return [
        {**c.to_dict(), "AvailabilityZones": [], "AvailabilityZoneIds": []}
        for c in regions.remote_services(backend, service_region)
    ]


def describe_vpc_endpoint_services(self) -> ActionResult:
    backend = self.ec2_backend
    here = backend.region_name
    details = []
    for region in dict.fromkeys(self._get_param("ServiceRegions", []) or [here]):
        details += _local_details(backend) if region == here else _remote_details(backend, region)
    names = self._get_param("ServiceNames", [])
    known = {d["ServiceName"] for d in details}
    for name in names:  # one unknown name fails the whole call
        if name not in known:
            # moto's InvalidServiceName "The Vpc Endpoint Service '...' does
            # not exist": real DescribeVpcEndpointServices output
            # (hashicorp/terraform-provider-aws 24216;
            # terraform-aws-modules/terraform-aws-vpc 356).
            raise InvalidServiceName(name)
    # moto's filter reads a service-name filter's values under "Value" and
    # the others' under "Values" (HTTP 500 otherwise): give it both.
    filters = [{**f, "Value": f.get("Values", [])} for f in self._get_param("Filters", [])]
    found = sorted(
        backend._filter_endpoint_services(names, filters, details), key=itemgetter("ServiceName")
    )
    return ActionResult(
        {"ServiceNames": [d["ServiceName"] for d in found], "ServiceDetails": found}
    )


def install() -> None:
    EC2Response.describe_vpc_endpoint_services = describe_vpc_endpoint_services
