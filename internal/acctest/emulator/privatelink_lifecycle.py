"""Clock-driven state machine for interface VPC endpoints.

Real endpoints move through pending -> available and deleting -> deleted on
their own.  Instead of background threads, each endpoint records a deadline
and the state is advanced lazily whenever it is read, under STATE_LOCK (a
small lock of its own, so that concurrent describes can read states).

Removing a deleted endpoint's network interfaces changes moto's ENI table,
which readers may be iterating, so it is deferred to sweep(): the request
layer (realism.serve) runs it with the backend lock held exclusively before
a request proceeds whenever due() says a transition is due.  So e.g.
DescribeNetworkInterfaces stops returning the ENIs of a deleted endpoint.
"""

import threading
import time

import realism

PENDING_ACCEPTANCE = "pendingAcceptance"
PENDING = "pending"
AVAILABLE = "available"
DELETING = "deleting"
DELETED = "deleted"
REJECTED = "rejected"
FAILED = "failed"

# Endpoints in these states no longer hold a private DNS name in their VPC.
INACTIVE_STATES = frozenset({DELETING, DELETED, REJECTED, FAILED})

STATE_LOCK = threading.Lock()
# Endpoints with a timed transition ahead, by id(); and (backend, ENI IDs)
# that sweep() still has to remove.
_scheduled: dict[int, object] = {}
_to_release: list = []


def available_delay() -> float:
    return realism.knob("available_after")


def delete_delay() -> float:
    return realism.knob("delete_after")


class Lifecycle:
    """Current state plus an optional timed transition to the next one."""

    def __init__(self, state: str):
        self.state = state
        self.next_state: str | None = None
        self.deadline: float | None = None
        # True while the pending state comes from ModifyVpcEndpoint.
        self.modifying = False
        # Interfaces of subnets a modification removed: AWS deletes them as
        # part of the modification, so they go when it completes.
        self.release_when_done: list[str] = []


def _lifecycle(endpoint) -> Lifecycle:
    # Caller holds STATE_LOCK.
    lc = endpoint.__dict__.get("_lifecycle")
    if lc is None:
        lc = endpoint.__dict__["_lifecycle"] = Lifecycle(AVAILABLE)
    return lc


def set_state(endpoint, state: str) -> None:
    with STATE_LOCK:
        lc = _lifecycle(endpoint)
        lc.state, lc.next_state, lc.deadline, lc.modifying = state, None, None, False
        _scheduled.pop(id(endpoint), None)


def schedule(endpoint, state: str, next_state: str, delay: float, modifying=False, release=()):
    """Enter `state` now and `next_state` after `delay` seconds.

    release: network interface IDs to remove when `next_state` is reached.
    """
    with STATE_LOCK:
        lc = _lifecycle(endpoint)
        lc.state, lc.next_state = state, next_state
        lc.deadline = time.monotonic() + delay
        lc.modifying = modifying
        lc.release_when_done += list(release)
        _scheduled[id(endpoint)] = endpoint


def is_modifying(endpoint) -> bool:
    with STATE_LOCK:
        _advance(endpoint)
        lc = _lifecycle(endpoint)
        return lc.state == PENDING and lc.modifying


def _advance(endpoint) -> str:
    # Caller holds STATE_LOCK.
    lc = _lifecycle(endpoint)
    if lc.deadline is not None and time.monotonic() >= lc.deadline:
        lc.state, lc.next_state, lc.deadline = lc.next_state, None, None
        lc.modifying = False
        _scheduled.pop(id(endpoint), None)
        if lc.release_when_done:
            _to_release.append((endpoint.ec2_backend, lc.release_when_done))
            lc.release_when_done = []
        if lc.state == DELETED:
            # AWS removes the endpoint's requester-managed ENIs once deletion finishes.
            _to_release.append((endpoint.ec2_backend, list(endpoint.network_interface_ids)))
            # A new list, not a change to the old one: readers may hold that.
            endpoint.network_interface_ids = []
    return lc.state


def current_state(endpoint) -> str:
    with STATE_LOCK:
        return _advance(endpoint)


def due() -> bool:
    now = time.monotonic()
    with STATE_LOCK:
        if _to_release:
            return True
        return any(
            _lifecycle(e).deadline is not None and _lifecycle(e).deadline <= now
            for e in _scheduled.values()
        )


def sweep() -> None:
    """Finish due transitions; the caller holds the backend lock exclusively."""
    with STATE_LOCK:
        for endpoint in list(_scheduled.values()):
            _advance(endpoint)
        released, _to_release[:] = list(_to_release), []
    for backend, eni_ids in released:
        for eni_id in eni_ids:
            backend.enis.pop(eni_id, None)


def install_state_property(endpoint_cls) -> None:
    """Make VPCEndPoint.state lazy; moto's own `self.state = ...` still works."""
    endpoint_cls.state = property(current_state, set_state)
