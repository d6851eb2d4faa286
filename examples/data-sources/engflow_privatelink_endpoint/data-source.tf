# Is the endpoint usable, and if not, why? Look it up by VPC and service
# (or by id), wait until EngFlow has accepted it, and run the run-book's checks.
data "engflow_privatelink_endpoint" "engflow" {
  vpc_id             = "vpc-0a1b2c3d4e5f67890"
  service_name       = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
  wait_for_available = true

  # Where the Bazel clients connect from (defaults to the VPC's CIDR blocks).
  client_cidr_blocks = ["10.20.0.0/16"]

  # From a runner inside the VPC, also resolve the private name:
  # resolve_dns  = true
  # dns_resolver = "169.254.169.253:53"

  timeouts {
    read = "15m"
  }
}

output "bazelrc" {
  value = data.engflow_privatelink_endpoint.engflow.bazelrc
}

# Fail the pipeline with the reasons when something is off.
check "engflow_endpoint_healthy" {
  assert {
    condition = data.engflow_privatelink_endpoint.engflow.healthy
    error_message = join("\n", [
      for c in data.engflow_privatelink_endpoint.engflow.checks : "${c.name}: ${c.detail}" if !c.ok
    ])
  }
}
