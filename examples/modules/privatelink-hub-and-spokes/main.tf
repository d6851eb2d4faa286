# One EngFlow endpoint in the hub VPC, its own private DNS off, and a
# Route 53 private hosted zone for the cluster's name shared with every
# spoke. See the guide "One endpoint for many VPCs" for the cost comparison
# with one endpoint per VPC (examples/modules/privatelink-per-vpc).
resource "engflow_privatelink_endpoint" "hub" {
  service_name        = var.service_name
  vpc_id              = var.hub.vpc_id
  subnet_ids          = var.hub.subnet_ids
  security_group_ids  = var.hub.security_group_ids
  private_dns_enabled = false
}

resource "engflow_privatelink_shared_dns" "this" {
  endpoint_id   = engflow_privatelink_endpoint.hub.id
  domain_name   = var.cluster_domain
  hub_vpc_id    = var.hub.vpc_id
  spoke_vpc_ids = var.spoke_vpc_ids
}
