"""Installs the PrivateLink behaviour into moto's EC2 classes at start-up.

Nothing in site-packages is edited: model properties and EC2Response action
methods are replaced in memory.  See privatelink_services (provider side),
privatelink_endpoints (consumer side) and privatelink_lifecycle (timed states).
"""

import logging

from moto.ec2.responses import EC2Response

import privatelink_endpoints
import privatelink_lifecycle as lifecycle
import privatelink_services
from runtime_config import EmulatorConfig

_log = logging.getLogger("emulator")
_installed = False


def install(config: EmulatorConfig) -> None:
    global _installed
    lifecycle.configure(config)
    if _installed:
        return
    privatelink_services.install()
    privatelink_endpoints.install()
    _serialize_ec2_requests()
    _installed = True


def _serialize_ec2_requests() -> None:
    original = EC2Response.call_action

    def call_action(self):
        with lifecycle.EC2_LOCK:
            try:
                # Finish due deletions first so e.g. DescribeNetworkInterfaces
                # no longer lists the ENIs of a deleted endpoint.
                lifecycle.sweep(self.ec2_backend)
            except Exception:  # e.g. unknown region: let moto report it
                _log.debug("lifecycle sweep skipped", exc_info=True)
            return original(self)

    EC2Response.call_action = call_action
