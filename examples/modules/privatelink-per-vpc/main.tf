# One EngFlow PrivateLink endpoint per VPC. See README.md.

# Verifies the service (and that your account is allowlisted) at plan time,
# and tells in which Availability Zones it is offered, by zone ID.
data "engflow_privatelink_service" "this" {
  service_name = var.service_name
}

locals {
  offered_zone_ids = toset(data.engflow_privatelink_service.this.availability_zone_ids)

  # For each VPC, the given subnets in zones the service is offered in, and
  # those left out. Zones are compared by ID: a zone name such as us-east-1a
  # is a different zone in each AWS account.
  subnet_ids = {
    for key, vpc in var.vpcs : key => [
      for zone_id, subnet_id in vpc.subnets_by_zone_id : subnet_id if contains(local.offered_zone_ids, zone_id)
    ]
  }
  skipped_subnets = {
    for key, vpc in var.vpcs : key => {
      for zone_id, subnet_id in vpc.subnets_by_zone_id : zone_id => subnet_id if !contains(local.offered_zone_ids, zone_id)
    }
  }
}

resource "engflow_privatelink_endpoint" "this" {
  for_each = var.vpcs

  service_name       = var.service_name
  vpc_id             = each.value.vpc_id
  subnet_ids         = local.subnet_ids[each.key]
  security_group_ids = each.value.security_group_ids
  tags               = merge({ Name = "engflow-${each.key}" }, var.tags)

  lifecycle {
    precondition {
      condition     = length(local.subnet_ids[each.key]) > 0
      error_message = "None of the subnets given for vpcs[\"${each.key}\"] (${each.value.vpc_id}) is in a zone the EngFlow service is offered in. The service is offered in ${join(", ", sort(local.offered_zone_ids))}; the subnets are in ${join(", ", sort(keys(each.value.subnets_by_zone_id)))}. Add a subnet in one of the service's zones (keyed by zone ID), or ask EngFlow to offer the service in your zones."
    }
  }
}

# The run-book's checks for each endpoint: available, private DNS on, the
# VPC's DNS attributes, security groups and network ACLs on TCP 443.
data "engflow_privatelink_endpoint" "this" {
  for_each = var.vpcs

  id                 = engflow_privatelink_endpoint.this[each.key].id
  bazel_config       = var.bazel_config
  client_cidr_blocks = each.value.client_cidr_blocks
  wait_for_available = var.wait_for_healthy

  lifecycle {
    postcondition {
      condition     = !var.wait_for_healthy || self.healthy
      error_message = "The EngFlow endpoint of vpcs[\"${each.key}\"] (${self.id} in ${self.vpc_id}, ${self.state}) is not healthy:\n${join("\n", [for c in self.checks : "  ${c.name}: ${replace(c.detail, "\n", "\n    ")}" if !c.ok])}"
    }
  }
}

# Without wait_for_healthy, an unhealthy endpoint is a warning, not an error.
# (A check's detail may span lines: they are indented under its name.)
check "engflow_endpoints_healthy" {
  assert {
    condition     = alltrue([for d in values(data.engflow_privatelink_endpoint.this) : d.healthy])
    error_message = "Some EngFlow endpoints are not healthy:\n${join("\n", flatten([for key, d in data.engflow_privatelink_endpoint.this : [for c in d.checks : "  ${key} (${d.id}): ${c.name}: ${replace(c.detail, "\n", "\n    ")}" if !c.ok]]))}"
  }
}
