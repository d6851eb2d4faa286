# The whole consumer run-book in one resource: verify EngFlow's service,
# create the Interface endpoint in the VPC where Bazel runs, wait until it is
# available and turn on private DNS.
resource "engflow_privatelink_endpoint" "engflow" {
  service_name       = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
  vpc_id             = "vpc-0a1b2c3d4e5f67890"
  subnet_ids         = ["subnet-0a1b2c3d4e5f67890", "subnet-0b1c2d3e4f5a67890"] # one per Availability Zone
  security_group_ids = ["sg-0a1b2c3d4e5f67890"]                                 # allows TCP 443 from the Bazel clients

  tags = {
    team = "build"
  }
}

# The line to add to .bazelrc.
output "bazelrc" {
  value = "build:engflow --remote_executor=${engflow_privatelink_endpoint.engflow.remote_executor}"
}
