"""IDs, DNS names and hosted zone IDs shaped like the ones AWS hands out."""

import base64
import hashlib
import random
import string

from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend

# The real hosted zone of *.vpce.amazonaws.com names in us-east-1.
_VPCE_HOSTED_ZONES = {"us-east-1": "Z7HUB22UULQXV"}

_rng = random.SystemRandom()


def new_service_id() -> str:
    return "vpce-svc-" + "".join(_rng.choice("0123456789abcdef") for _ in range(17))


def new_dns_token() -> str:
    """The 8 characters AWS puts after the endpoint ID in its DNS names."""
    return "".join(_rng.choice(string.ascii_lowercase + string.digits) for _ in range(8))


def _stable_upper_alnum(seed: str, length: int) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    return base64.b32encode(digest).decode().rstrip("=")[:length]


def vpce_hosted_zone_id(region: str) -> str:
    """Fixed per region: 13 uppercase characters like the real ones."""
    return _VPCE_HOSTED_ZONES.get(region) or "Z" + _stable_upper_alnum(region, 12)


VPCE_SUFFIX = ".vpce.amazonaws.com"


def region_of_vpce_name(name: str) -> str:
    """The Region in an endpoint's or a service's name under vpce.amazonaws.com.

    AWS documents the names as endpoint_service_id.region.vpce.amazonaws.com
    (the service's) and endpoint_id.endpoint_service_id.service_region.vpce.amazonaws.com
    (an endpoint's regional name; AWS PrivateLink guide, "Share your services
    through AWS PrivateLink", DNS hostnames): the Region is the label before
    the suffix, and for an endpoint it is the service's Region.
    """
    return name.rstrip(".")[: -len(VPCE_SUFFIX)].rsplit(".", 1)[-1]


def private_hosted_zone_id(account_id: str, vpc_id: str, dns_name: str) -> str:
    """The private hosted zone AWS creates for private DNS, stable per VPC+name."""
    return "Z" + _stable_upper_alnum(f"{account_id}/{vpc_id}/{dns_name}", 20)


def zone_ids_for(region: str, zone_names: list[str]) -> list[str]:
    by_name = {z.name: z.zone_id for z in RegionsAndZonesBackend.zones.get(region, [])}
    return [by_name[name] for name in zone_names if name in by_name]
