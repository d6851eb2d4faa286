# One EngFlow PrivateLink endpoint per VPC. See README.md.

locals {
  # The Region of each VPC; "" stands for the provider's.
  vpc_regions = { for key, vpc in var.vpcs : key => vpc.region == null ? "" : vpc.region }
}

# Verifies the service (and that your account is allowlisted) at plan time,
# from each Region with VPCs, and tells in which Availability Zones it is
# offered, by zone ID. Seen from another Region (cross-Region PrivateLink)
# AWS lists no zones: AWS itself then decides at create which zones take
# the endpoint.
data "engflow_privatelink_service" "this" {
  for_each = toset(values(local.vpc_regions))

  service_name = var.service_name
  region       = each.key == "" ? null : each.key
}

locals {
  offered_zone_ids = { for region, svc in data.engflow_privatelink_service.this : region => toset(svc.availability_zone_ids) }

  # For each VPC, the given subnets in zones the service is offered in, and
  # those left out. Zones are compared by ID: a zone name such as us-east-1a
  # is a different zone in each AWS account.
  usable_zone = {
    for key, vpc in var.vpcs : key => {
      for zone_id, subnet_id in vpc.subnets_by_zone_id : zone_id =>
      length(local.offered_zone_ids[local.vpc_regions[key]]) == 0 || contains(local.offered_zone_ids[local.vpc_regions[key]], zone_id)
    }
  }
  subnet_ids = {
    for key, vpc in var.vpcs : key => [
      for zone_id, subnet_id in vpc.subnets_by_zone_id : subnet_id if local.usable_zone[key][zone_id]
    ]
  }
  skipped_subnets = {
    for key, vpc in var.vpcs : key => {
      for zone_id, subnet_id in vpc.subnets_by_zone_id : zone_id => subnet_id if !local.usable_zone[key][zone_id]
    }
  }
}

resource "engflow_privatelink_endpoint" "this" {
  for_each = var.vpcs

  region             = each.value.region
  service_name       = var.service_name
  vpc_id             = each.value.vpc_id
  subnet_ids         = local.subnet_ids[each.key]
  security_group_ids = each.value.security_group_ids
  tags               = merge({ Name = "engflow-${each.key}" }, var.tags)

  lifecycle {
    precondition {
      condition     = length(local.subnet_ids[each.key]) > 0
      error_message = "None of the subnets given for vpcs[\"${each.key}\"] (${each.value.vpc_id}) is in a zone the EngFlow service is offered in. The service is offered in ${join(", ", sort(local.offered_zone_ids[local.vpc_regions[each.key]]))}; the subnets are in ${join(", ", sort(keys(each.value.subnets_by_zone_id)))}. Add a subnet in one of the service's zones (keyed by zone ID), or ask EngFlow to offer the service in your zones."
    }
  }
}

# The run-book's checks for each endpoint: available, private DNS on, the
# VPC's DNS attributes, security groups and network ACLs on TCP 443.
data "engflow_privatelink_endpoint" "this" {
  for_each = var.vpcs

  id                 = engflow_privatelink_endpoint.this[each.key].id
  region             = engflow_privatelink_endpoint.this[each.key].region
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
