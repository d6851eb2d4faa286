# Hub and spoke: one EngFlow endpoint in a shared (hub) VPC serves Bazel
# clients in many VPCs. Its own private DNS is off; a Route 53 private
# hosted zone for the cluster's name, associated with the hub and every
# spoke, points at the endpoint instead. The spokes need a route to the hub
# (Transit Gateway or peering) and the endpoint's security group must let
# them in on TCP 443.
resource "engflow_privatelink_endpoint" "hub" {
  service_name        = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
  vpc_id              = "vpc-0a1b2c3d4e5f67890"
  subnet_ids          = ["subnet-0a1b2c3d4e5f67890", "subnet-0b1c2d3e4f5a67890"]
  security_group_ids  = ["sg-0a1b2c3d4e5f67890"]
  private_dns_enabled = false # the shared zone answers for the cluster's name instead
}

resource "engflow_privatelink_shared_dns" "engflow" {
  endpoint_id = engflow_privatelink_endpoint.hub.id
  domain_name = "acme.cluster.engflow.com" # your cluster's name, as EngFlow gave it
  hub_vpc_id  = "vpc-0a1b2c3d4e5f67890"
  spoke_vpc_ids = [
    "vpc-0e1f2a3b4c5d67890",
    "vpc-0f1a2b3c4d5e67890",
  ]
}

output "shared_zone_id" {
  value = engflow_privatelink_shared_dns.engflow.zone_id
}
