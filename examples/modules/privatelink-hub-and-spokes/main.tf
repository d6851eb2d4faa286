# One EngFlow endpoint in the hub VPC, its own private DNS off, and a
# Route 53 private hosted zone for the cluster's name shared with every
# spoke. See README.md; health.tf checks the result.

# Verifies the service (and that your account is allowlisted) at plan time,
# and tells in which Availability Zones it is offered, by zone ID. Seen from
# another Region (cross-Region PrivateLink) AWS lists no zones: AWS itself
# then decides at create which zones take the endpoint.
data "engflow_privatelink_service" "this" {
  service_name = var.service_name
  region       = var.region
}

locals {
  offered_zone_ids = toset(data.engflow_privatelink_service.this.availability_zone_ids)

  # The hub's subnets in zones the service is offered in, compared by zone
  # ID: a zone name such as us-east-1a is a different zone in each account.
  usable_zone = {
    for zone_id, subnet_id in var.hub.subnets_by_zone_id : zone_id =>
    length(local.offered_zone_ids) == 0 || contains(local.offered_zone_ids, zone_id)
  }
  subnet_ids      = [for zone_id, subnet_id in var.hub.subnets_by_zone_id : subnet_id if local.usable_zone[zone_id]]
  skipped_subnets = { for zone_id, subnet_id in var.hub.subnets_by_zone_id : zone_id => subnet_id if !local.usable_zone[zone_id] }

  # The name Bazel connects to: the service's private DNS name.
  cluster_domain = var.cluster_domain != null ? var.cluster_domain : data.engflow_privatelink_service.this.private_dns_name
  bazel_config   = var.bazel_config != null ? var.bazel_config : split(".", coalesce(local.cluster_domain, "engflow"))[0]
}

resource "engflow_privatelink_endpoint" "hub" {
  region              = var.region
  service_name        = var.service_name
  vpc_id              = var.hub.vpc_id
  subnet_ids          = local.subnet_ids
  security_group_ids  = var.hub.security_group_ids
  private_dns_enabled = false # the shared zone answers for the cluster's name instead

  lifecycle {
    precondition {
      condition     = length(local.subnet_ids) > 0
      error_message = "None of the hub's subnets (${var.hub.vpc_id}) is in a zone the EngFlow service is offered in. The service is offered in ${join(", ", sort(local.offered_zone_ids))}; the subnets are in ${join(", ", sort(keys(var.hub.subnets_by_zone_id)))}. Add a subnet in one of the service's zones (keyed by zone ID), or ask EngFlow to offer the service in your zones."
    }
  }
}

resource "engflow_privatelink_shared_dns" "this" {
  region        = engflow_privatelink_endpoint.hub.region
  endpoint_id   = engflow_privatelink_endpoint.hub.id
  domain_name   = local.cluster_domain
  hub_vpc_id    = var.hub.vpc_id
  spoke_vpc_ids = var.spoke_vpc_ids

  lifecycle {
    precondition {
      condition     = local.cluster_domain != null
      error_message = "The EngFlow service ${var.service_name} offers no private DNS name: set cluster_domain to the cluster's DNS name EngFlow gave you (<cluster>.cluster.engflow.com)."
    }
  }
}
