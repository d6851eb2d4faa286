# The README's first command, `make demo`, applies this configuration against
# the local EC2 emulator, where a simulated EngFlow service is waiting. Against
# real AWS, set service_name to the name EngFlow gave you.

terraform {
  required_providers {
    engflow = {
      source = "engflow/engflow"
    }
  }
}

# Region, credentials and the EC2 endpoint come from the environment
# (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL_EC2, ...).
provider "engflow" {}

variable "service_name" {
  description = "The endpoint service name EngFlow gave you: com.amazonaws.vpce.<region>.vpce-svc-<hex>."
  type        = string
}

variable "cluster_name" {
  description = "Your EngFlow cluster's name, used as the Bazel config name in the .bazelrc line."
  type        = string
  default     = "engflow"
}

# Step 1 of the run-book: verify the service, and learn its zones and private DNS name.
data "engflow_privatelink_service" "engflow" {
  service_name = var.service_name
}

output "service" {
  description = "What AWS reports about the EngFlow endpoint service."
  value = {
    id                  = data.engflow_privatelink_service.engflow.service_id
    acceptance_required = data.engflow_privatelink_service.engflow.acceptance_required
    availability_zones  = data.engflow_privatelink_service.engflow.availability_zones
    private_dns_name    = data.engflow_privatelink_service.engflow.private_dns_name
    dns_name_state      = data.engflow_privatelink_service.engflow.private_dns_name_verification_state
  }
}

output "bazelrc" {
  description = "The line to add to .bazelrc once the endpoint is available."
  value       = "build:${var.cluster_name} --remote_executor=grpcs://${data.engflow_privatelink_service.engflow.private_dns_name}"
}
