# The hub's health: the endpoint, the shared zone and its alias, every
# spoke associated with both VPC DNS attributes on, the hub VPC, and the
# security groups and network ACLs on TCP 443 from the hub's and the
# spokes' CIDR blocks.
data "engflow_privatelink_endpoint" "hub" {
  id                 = engflow_privatelink_endpoint.hub.id
  region             = engflow_privatelink_endpoint.hub.region
  shared_dns_zone_id = engflow_privatelink_shared_dns.this.zone_id
  spoke_vpc_ids      = var.spoke_vpc_ids
  client_cidr_blocks = var.hub.client_cidr_blocks
}

# An unhealthy hub is a warning, with each failed check's detail (what to
# change), not an error.
check "engflow_hub_healthy" {
  assert {
    condition     = data.engflow_privatelink_endpoint.hub.healthy
    error_message = "The EngFlow hub endpoint ${data.engflow_privatelink_endpoint.hub.id} is not healthy:\n${join("\n", [for c in data.engflow_privatelink_endpoint.hub.checks : "  ${c.name}: ${replace(c.detail, "\n", "\n    ")}" if !c.ok])}"
  }
}
