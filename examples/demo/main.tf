# The README's first command, `make demo`, applies this configuration against
# the local EC2 emulator, where a simulated EngFlow service and a VPC with
# Bazel clients are waiting. Against real AWS, set the variables to the
# service name EngFlow gave you and your own VPC.

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

variable "vpc_id" {
  description = "The VPC where the Bazel clients run."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets for the endpoint, one per Availability Zone."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups that let the Bazel clients reach the endpoint on TCP 443."
  type        = list(string)
}

resource "engflow_privatelink_endpoint" "engflow" {
  service_name       = var.service_name
  vpc_id             = var.vpc_id
  subnet_ids         = var.subnet_ids
  security_group_ids = var.security_group_ids

  tags = {
    purpose = "engflow-demo"
  }
}

output "endpoint" {
  description = "The endpoint as AWS reports it."
  value = {
    id                  = engflow_privatelink_endpoint.engflow.id
    state               = engflow_privatelink_endpoint.engflow.state
    private_dns_enabled = engflow_privatelink_endpoint.engflow.private_dns_enabled
    private_dns_name    = engflow_privatelink_endpoint.engflow.private_dns_name
    regional_dns_name   = engflow_privatelink_endpoint.engflow.regional_dns_name
    zonal_dns_names     = engflow_privatelink_endpoint.engflow.zonal_dns_names
    private_ips         = engflow_privatelink_endpoint.engflow.private_ips
  }
}

output "bazelrc" {
  description = "The line to add to .bazelrc."
  value       = "build:${var.cluster_name} --remote_executor=${engflow_privatelink_endpoint.engflow.remote_executor}"
}
