"""Installs the PrivateLink behaviour into moto's EC2 classes at start-up.

Nothing in site-packages is edited: model properties and EC2Response action
methods are replaced in memory.  See privatelink_services (provider side),
privatelink_regions (cross-Region PrivateLink), privatelink_catalog
(DescribeVpcEndpointServices), privatelink_endpoints (consumer side),
privatelink_lifecycle (timed states), privatelink_views (eventual
consistency and order) and paging (paged answers, ID shapes).  Locking and
latency are per request (realism, applied by request_log's middleware).
route53_patches brings moto's Route 53 closer to AWS for the shared DNS zone.
"""

import paging
import privatelink_catalog
import privatelink_endpoints
import privatelink_regions
import privatelink_services
import realism
import route53_patches
from runtime_config import EmulatorConfig

_installed = False


def install(config: EmulatorConfig) -> None:
    global _installed
    realism.set_default_config(config)
    if _installed:
        return
    privatelink_regions.install()
    privatelink_services.install()
    privatelink_catalog.install()
    privatelink_endpoints.install()
    paging.install()  # wraps the describes installed above
    route53_patches.install()  # shared DNS zones (engflow_privatelink_shared_dns)
    _installed = True
