"""Clock-driven state machine for interface VPC endpoints.

Real endpoints move through pending -> available and deleting -> deleted on
their own.  Instead of background threads, each endpoint records a deadline
and the state is advanced lazily whenever it is read (serialization, filters)
and for the whole region at the start of every EC2 request, so that e.g.
DescribeNetworkInterfaces stops returning the ENIs of a deleted endpoint.
"""

import threading
import time

from runtime_config import EmulatorConfig

PENDING_ACCEPTANCE = "pendingAcceptance"
PENDING = "pending"
AVAILABLE = "available"
DELETING = "deleting"
DELETED = "deleted"
REJECTED = "rejected"
FAILED = "failed"

# Endpoints in these states no longer hold a private DNS name in their VPC.
INACTIVE_STATES = frozenset({DELETING, DELETED, REJECTED, FAILED})

# moto is not thread-safe and werkzeug serves requests on threads: every EC2
# request (and every lazy transition) runs under this re-entrant lock.
EC2_LOCK = threading.RLock()

_config = EmulatorConfig()


def configure(config: EmulatorConfig) -> None:
    global _config
    _config = config


def available_delay() -> float:
    return _config.available_after


def delete_delay() -> float:
    return _config.delete_after


class Lifecycle:
    """Current state plus an optional timed transition to the next one."""

    def __init__(self, state: str):
        self.state = state
        self.next_state: str | None = None
        self.deadline: float | None = None
        # True while the pending state comes from ModifyVpcEndpoint.
        self.modifying = False


def _lifecycle(endpoint) -> Lifecycle:
    lc = endpoint.__dict__.get("_lifecycle")
    if lc is None:
        lc = endpoint.__dict__["_lifecycle"] = Lifecycle(AVAILABLE)
    return lc


def set_state(endpoint, state: str) -> None:
    lc = _lifecycle(endpoint)
    lc.state, lc.next_state, lc.deadline, lc.modifying = state, None, None, False


def schedule(endpoint, state: str, next_state: str, delay: float, modifying=False):
    """Enter `state` now and `next_state` after `delay` seconds."""
    lc = _lifecycle(endpoint)
    lc.state, lc.next_state = state, next_state
    lc.deadline = time.monotonic() + delay
    lc.modifying = modifying


def is_modifying(endpoint) -> bool:
    return current_state(endpoint) == PENDING and _lifecycle(endpoint).modifying


def current_state(endpoint) -> str:
    with EC2_LOCK:
        lc = _lifecycle(endpoint)
        if lc.deadline is not None and time.monotonic() >= lc.deadline:
            lc.state, lc.next_state, lc.deadline = lc.next_state, None, None
            lc.modifying = False
            if lc.state == DELETED:
                _release_network_interfaces(endpoint)
        return lc.state


def _release_network_interfaces(endpoint) -> None:
    # AWS removes the endpoint's requester-managed ENIs once deletion finishes.
    for eni_id in endpoint.network_interface_ids:
        endpoint.ec2_backend.enis.pop(eni_id, None)
    endpoint.network_interface_ids = []


def sweep(ec2_backend) -> None:
    with EC2_LOCK:
        for endpoint in list(ec2_backend.vpc_end_points.values()):
            current_state(endpoint)


def install_state_property(endpoint_cls) -> None:
    """Make VPCEndPoint.state lazy; moto's own `self.state = ...` still works."""
    endpoint_cls.state = property(current_state, set_state)
