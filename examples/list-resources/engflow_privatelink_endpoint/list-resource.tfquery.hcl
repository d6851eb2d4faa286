# Every Interface endpoint to an endpoint service in one VPC.
list "engflow_privatelink_endpoint" "build_vpc" {
  provider = engflow
  config {
    vpc_id = "vpc-0a1b2c3d4e5f67890"
  }
}

# Endpoints whose create never finished (a run killed before Terraform saved
# them), with their arguments, so that
#   terraform query -generate-config-out=leftovers.tf
# writes a resource and an import block for each.
list "engflow_privatelink_endpoint" "unfinished" {
  provider         = engflow
  include_resource = true
  config {
    unfinished_creates_only = true
  }
}
