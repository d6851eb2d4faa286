"""What one answer shows of an interface endpoint.

EC2 is eventually consistent (EC2 API reference, "Eventual consistency":
the result of a call that changes a resource "might not be immediately
visible to all subsequent commands").  Answers are therefore built from
frozen views of the endpoint rather than from the live model:

* visibility_delay: a new endpoint is unknown to every call naming it for a
  while (ansible-collections/amazon.aws 700 saw InvalidVpcEndpointId.NotFound
  right after CreateVpcEndpoint).  Its network interfaces may already be
  listed: AWS is not consistent across resources either.
* flicker_window / flicker_rate: for a while after it became visible, each
  DescribeVpcEndpoints may again miss it (EC2 reads from replicas that
  converge one by one; the aws provider tolerates ~20 not-found answers).
* stale_after_modify: after ModifyVpcEndpoint, describes keep showing the
  pre-modify view for a while.
* shuffle_order: AWS promises no order for DnsEntries, SubnetIds, Groups or
  NetworkInterfaceIds, so each answer lists them in a random order.
"""

import time

from moto.ec2.models.vpcs import VPCEndPoint

import realism


class EndpointView(VPCEndPoint):
    """A frozen copy of an endpoint as one answer shows it."""

    # moto's model metaclass files classes by the second part of the module.
    __module__ = "emulator.privatelink_views"

    state = property(lambda self: self.__dict__["_view_state"])
    dns_entries = property(lambda self: self.__dict__["_view_dns_entries"])
    groups = property(lambda self: self.__dict__["_view_groups"])

    def get_tags(self):
        return [dict(t) for t in self.__dict__["_view_tags"]]


# moto's serializer finds attributes by class-name prefix (VpcEndpointId ->
# id for class VPCEndPoint): keep the model's name.
EndpointView.__name__ = EndpointView.__qualname__ = VPCEndPoint.__name__

_LIST_FIELDS = ("subnet_ids", "network_interface_ids", "security_group_ids", "route_table_ids")


def _groups(endpoint) -> list:
    backend = endpoint.ec2_backend
    out = []
    for group_id in endpoint.security_group_ids or []:
        group = backend.get_security_group_from_id(group_id)
        if group is not None:
            out.append({"GroupId": group.id, "GroupName": group.name})
    return out


def freeze(endpoint) -> EndpointView:
    """A view of the endpoint now (or a copy of a view)."""
    fields = dict(endpoint.__dict__)
    if not isinstance(endpoint, EndpointView):
        fields["_view_state"] = endpoint.state
        fields["_view_dns_entries"] = list(endpoint.dns_entries or [])
        fields["_view_groups"] = _groups(endpoint)
        fields["_view_tags"] = endpoint.get_tags()
    for key in _LIST_FIELDS:
        if fields.get(key) is not None:
            fields[key] = list(fields[key])
    if isinstance(fields.get("dns_options"), dict):
        fields["dns_options"] = dict(fields["dns_options"])
    for key in ("_view_dns_entries", "_view_groups", "_view_tags"):
        fields[key] = [dict(item) for item in fields[key]]
    view = object.__new__(EndpointView)
    view.__dict__.update(fields)
    return view


def shuffled(view: EndpointView) -> EndpointView:
    """The view with its lists in a random order, if shuffle_order is on."""
    if not realism.knob("shuffle_order"):
        return view
    out = freeze(view)
    rng = realism.rng()
    for key in ("subnet_ids", "network_interface_ids", "security_group_ids"):
        if out.__dict__.get(key):
            rng.shuffle(out.__dict__[key])
    rng.shuffle(out.__dict__["_view_dns_entries"])
    rng.shuffle(out.__dict__["_view_groups"])
    return out


# --- eventual consistency ---------------------------------------------------


def mark_created(endpoint) -> None:
    endpoint.__dict__["_created_at"] = time.monotonic()


def _visible_from(endpoint) -> float | None:
    created = endpoint.__dict__.get("_created_at")
    if created is None:  # not an interface endpoint of ours
        return None
    return created + realism.knob("visibility_delay")


def invisible(endpoint, now: float) -> bool:
    """True while a new endpoint is unknown to calls naming it."""
    visible_from = _visible_from(endpoint)
    return visible_from is not None and now < visible_from


def missing_from_describe(endpoint, now: float) -> bool:
    """Whether this DescribeVpcEndpoints misses the endpoint (draws once)."""
    visible_from = _visible_from(endpoint)
    if visible_from is None:
        return False
    if now < visible_from:
        return True
    rate = realism.knob("flicker_rate")
    if rate <= 0 or now >= visible_from + realism.knob("flicker_window"):
        return False
    return realism.rng().random() < rate


def remember_before_modify(endpoint, before: EndpointView) -> None:
    """Describes show `before` for stale_after_modify seconds."""
    delay = realism.knob("stale_after_modify")
    if delay > 0:
        endpoint.__dict__["_stale"] = (time.monotonic() + delay, before)
    else:
        endpoint.__dict__.pop("_stale", None)


def stale_seconds_left(endpoint, now: float) -> float:
    stale = endpoint.__dict__.get("_stale")
    return max(0.0, stale[0] - now) if stale else 0.0


def forget_stale(endpoint) -> None:
    endpoint.__dict__.pop("_stale", None)


def describe_view(endpoint, now: float) -> EndpointView:
    """The endpoint as a describe at `now` reports it."""
    stale = endpoint.__dict__.get("_stale")
    if stale is not None and now < stale[0]:
        view = stale[1]
    else:
        view = freeze(endpoint)
    return shuffled(view)
