"""Route 53 as AWS documents it, where moto 5.2.1 is kinder in ways the
provider's engflow_privatelink_shared_dns relies on.

moto's server already serves Route 53 at /2013-04-01/... on the same port
as EC2.  Patched in memory here (nothing in site-packages is edited):

* Changes start PENDING.  AWS: "PENDING indicates that the changes in this
  request have not propagated to all Amazon Route 53 DNS servers. This is the
  initial status of all change requests." (API_ChangeInfo.html); GetChange
  reports INSYNC once they have.  moto answers INSYNC at once, with fixed
  change IDs.  Here every change gets its own ID and stays PENDING for the
  `route53_insync_after` knob (default 3 s; AWS: "Changes generally
  propagate to all Route 53 name servers within 60 seconds",
  resource-record-sets-editing.html); GetChange of an unknown ID is
  NoSuchChange.
* A repeated CallerReference is refused: HostedZoneAlreadyExists, "The hosted
  zone you're trying to create already exists. Amazon Route 53 returns this
  error when a hosted zone has already been created with the specified
  CallerReference." (API_CreateHostedZone.html, Errors).  moto makes a second
  zone.
* A VPC must exist: InvalidVPCId, "The VPC ID that you specified either isn't
  a valid ID or the current account is not authorized to access this VPC."
  (API_AssociateVPCWithHostedZone.html and API_CreateHostedZone.html, Errors).
  moto associates any string.
* One private zone per name in a VPC: ConflictingDomainExists; for
  CreateHostedZone AWS documents "A hosted zone with the specified name already
  exists and is already associated with the Amazon VPC that you specified"
  (API_CreateHostedZone.html, Errors), and AssociateVPCWithHostedZone lists
  the same code.  moto allows any number.
* Alias targets in the vpce.amazonaws.com domain must name the hosted zone
  AWS gives endpoint names in that Region and an endpoint that exists:
  Route 53 refuses others with InvalidChangeBatch, "Tried to create an alias
  that targets <name>, type A in zone <zone>, but the alias target name does
  not lie within the target zone" or "... but that target was not found"
  (Route 53's wording as quoted in public bug reports of Terraform users;
  not checked against a live account from here).  moto takes any alias.

Route 53's answers to a busy caller, Throttling ("Rate exceeded") and
PriorRequestNotComplete, both HTTP 400, are not made here: they depend on the
caller's rate and timing, which each test chooses, so the Go fault proxy
injects them (internal/acctest/fault_route53.go cites AWS's words).
"""

import threading
import time
import uuid

from moto.ec2.models import ec2_backends
from moto.route53.exceptions import Route53ClientError
from moto.route53.models import Route53Backend
from moto.route53.responses import Route53 as Route53Response

import realism
from privatelink_naming import VPCE_SUFFIX, region_of_vpce_name, vpce_hosted_zone_id


_changes_lock = threading.Lock()
_changes: dict[str, float] = {}  # change ID -> monotonic time it is INSYNC


def _error(code: str, message: str) -> Route53ClientError:
    return Route53ClientError(code, message)


def _new_change() -> str:
    change_id = "C" + uuid.uuid4().hex[:20].upper()
    with _changes_lock:
        _changes[change_id] = time.monotonic() + float(realism.knob("route53_insync_after"))
    return change_id


def _pending(result):
    """Gives a response's ChangeInfo its own ID, PENDING until due."""
    info = result.result.get("ChangeInfo")
    if info is not None:
        change_id = _new_change()
        info["Id"] = f"/change/{change_id}"
        info["Status"] = "PENDING" if _changes[change_id] > time.monotonic() else "INSYNC"
    return result


def _get_change(self):
    change_id = self._get_param("Id").split("/")[-1]
    with _changes_lock:
        due = _changes.get(change_id)
    if due is None:
        raise _error("NoSuchChange", f"A change with the specified change ID does not exist: {change_id}")
    result = _original_get_change(self)
    info = result.result["ChangeInfo"]
    info["Id"] = f"/change/{change_id}"
    info["Status"] = "INSYNC" if time.monotonic() >= due else "PENDING"
    return result


def _vpc_exists(backend, vpc_id: str, region: str) -> bool:
    try:
        return vpc_id in ec2_backends[backend.account_id][region].vpcs
    except KeyError:
        return False


def _check_vpc(backend, zone_name: str, vpc_id: str, region: str, zone_id: str | None) -> None:
    if not _vpc_exists(backend, vpc_id, region):
        raise _error(
            "InvalidVPCId",
            "The VPC ID that you specified either isn't a valid ID or the current account "
            "is not authorized to access this VPC.",
        )
    for zone in backend.zones.values():
        if zone.id == zone_id or not zone.private_zone or zone.name != zone_name:
            continue
        if any(v.get("vpc_id") == vpc_id and v.get("vpc_region") == region for v in zone.vpcs):
            raise _error(
                "ConflictingDomainExists",
                f"A hosted zone with the specified name {zone_name} already exists and is already "
                f"associated with the Amazon VPC {vpc_id} ({zone.id.split('/')[-1]}).",
            )


def _create_hosted_zone(self, name, private_zone, caller_reference=None, vpcid=None, vpcregion=None, **kw):
    if caller_reference and any(z.caller_reference == caller_reference for z in self.zones.values()):
        raise _error(
            "HostedZoneAlreadyExists",
            "The hosted zone you're trying to create already exists. Amazon Route 53 returns this "
            f"error when a hosted zone has already been created with the specified CallerReference {caller_reference}.",
        )
    if private_zone and vpcid:
        _check_vpc(self, name, vpcid, vpcregion, None)
    return _original_create(self, name, private_zone, caller_reference=caller_reference, vpcid=vpcid, vpcregion=vpcregion, **kw)


def _associate(self, zone_id, vpcid, vpcregion):
    zone = self.get_hosted_zone(zone_id)
    if zone.private_zone:
        _check_vpc(self, zone.name, vpcid, vpcregion, zone.id)
    return _original_associate(self, zone_id, vpcid, vpcregion)


def _endpoint_names(account_id: str) -> set:
    # Every Region's: a cross-Region endpoint's names carry the service's
    # Region, not the endpoint's (see region_of_vpce_name).
    backends = list(ec2_backends[account_id].values())
    return {e["DnsName"] for b in backends for ep in list(b.vpc_end_points.values()) for e in (ep.dns_entries or [])}


def _check_alias(self, change: dict) -> None:
    rrset = change.get("ResourceRecordSet") or {}
    alias = rrset.get("AliasTarget")
    if not alias or change.get("Action") == "DELETE":
        return
    target = alias.get("DNSName", "").rstrip(".")
    if not target.endswith(VPCE_SUFFIX):
        return
    region = region_of_vpce_name(target)
    zone = alias.get("HostedZoneId", "")
    where = f"Tried to create an alias that targets {target}., type {rrset.get('Type')} in zone {zone}, but "
    if zone != vpce_hosted_zone_id(region):
        raise _error("InvalidChangeBatch", f"[{where}the alias target name does not lie within the target zone]")
    if target not in _endpoint_names(self.account_id):
        raise _error("InvalidChangeBatch", f"[{where}that target was not found]")


def _change_record_sets(self, zoneid, change_list):
    for change in change_list:
        _check_alias(self, change)
    return _original_change(self, zoneid, change_list)


def _wrap_pending(name: str):
    original = getattr(Route53Response, name)

    def wrapped(self):
        return _pending(original(self))

    wrapped.__name__ = name
    setattr(Route53Response, name, wrapped)


_original_create = Route53Backend.create_hosted_zone
_original_associate = Route53Backend.associate_vpc_with_hosted_zone
_original_change = Route53Backend.change_resource_record_sets
_original_get_change = Route53Response.get_change


def install() -> None:
    Route53Backend.create_hosted_zone = _create_hosted_zone
    Route53Backend.associate_vpc_with_hosted_zone = _associate
    Route53Backend.change_resource_record_sets = _change_record_sets
    for name in (
        "create_hosted_zone",
        "change_resource_record_sets",
        "associate_vpc_with_hosted_zone",
        "disassociate_vpc_from_hosted_zone",
    ):
        _wrap_pending(name)
    Route53Response.get_change = _get_change
