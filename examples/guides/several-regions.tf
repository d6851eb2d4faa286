# One provider block for Bazel clients in two Regions. The EngFlow cluster
# lives in us-east-1; the clients run in a VPC there and in one in us-west-2,
# which connects to the cluster across Regions (EngFlow enables us-west-2
# for its service first).
provider "engflow" {
  region = "us-east-1" # the default for resources that name no region
}

resource "engflow_privatelink_endpoint" "east" {
  service_name       = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
  vpc_id             = "vpc-0a1b2c3d4e5f67890"
  subnet_ids         = ["subnet-0a1b2c3d4e5f67890", "subnet-0b1c2d3e4f5a67890"]
  security_group_ids = ["sg-0a1b2c3d4e5f67890"]
}

resource "engflow_privatelink_endpoint" "west" {
  region             = "us-west-2" # the VPC's Region; the service's comes from its name
  service_name       = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
  vpc_id             = "vpc-0c1d2e3f4a5b67890"
  subnet_ids         = ["subnet-0c1d2e3f4a5b67890", "subnet-0d1e2f3a4b5c67890"]
  security_group_ids = ["sg-0c1d2e3f4a5b67890"]
}

# The same cluster name in both VPCs: private DNS makes it resolve to each
# VPC's own endpoint.
output "bazelrc" {
  value = {
    east = "build:engflow --remote_executor=${engflow_privatelink_endpoint.east.remote_executor}"
    west = "build:engflow --remote_executor=${engflow_privatelink_endpoint.west.remote_executor}"
  }
}
