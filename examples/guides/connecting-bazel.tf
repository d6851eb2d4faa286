# The EngFlow PrivateLink run-book as one configuration, from the service
# name EngFlow gave you to the .bazelrc line. It needs, as variables, the
# VPC where the Bazel clients run (with enableDnsSupport and
# enableDnsHostnames on: private DNS needs both), its subnets by
# Availability Zone ID, and a security group that lets the clients in on
# TCP 443.

terraform {
  required_providers {
    engflow = {
      source = "engflow/engflow"
    }
  }
}

provider "engflow" {
  region = var.region
}

variable "region" {
  description = "The AWS Region of the VPC, for example us-east-1."
  type        = string
}

variable "engflow_service_name" {
  description = "The endpoint service name EngFlow gave you: com.amazonaws.vpce.<region>.vpce-svc-<hex>."
  type        = string
}

variable "vpc_id" {
  description = "The VPC where the Bazel clients run."
  type        = string
}

variable "subnets_by_zone_id" {
  description = "Subnets of the VPC the endpoint may use, one per Availability Zone ID (such as use1-az1)."
  type        = map(string)
}

variable "security_group_ids" {
  description = "Security groups for the endpoint, with an ingress rule for TCP 443 from the Bazel clients."
  type        = list(string)
}

# Verifies the service name (and that your account is allowlisted) and
# lists the zones the service is offered in.
data "engflow_privatelink_service" "engflow" {
  service_name = var.engflow_service_name
}

locals {
  # Zone names differ between AWS accounts, zone IDs do not: keep the
  # subnets in zones the service offers, by ID.
  endpoint_subnets = [
    for zone_id, subnet_id in var.subnets_by_zone_id : subnet_id
    if contains(data.engflow_privatelink_service.engflow.availability_zone_ids, zone_id)
  ]
}

# Creates the Interface endpoint, waits until it is available and turns on
# private DNS, so that <cluster>.cluster.engflow.com resolves to it inside
# the VPC.
resource "engflow_privatelink_endpoint" "engflow" {
  service_name       = data.engflow_privatelink_service.engflow.service_name
  vpc_id             = var.vpc_id
  subnet_ids         = local.endpoint_subnets
  security_group_ids = var.security_group_ids
}

# The run-book's checks: waits until the endpoint is usable and reports
# each check with what to change.
data "engflow_privatelink_endpoint" "engflow" {
  id                 = engflow_privatelink_endpoint.engflow.id
  wait_for_available = true
  # From a runner inside the VPC:
  # resolve_dns = true
}

check "engflow" {
  assert {
    condition = data.engflow_privatelink_endpoint.engflow.healthy
    error_message = join("\n", [
      for c in data.engflow_privatelink_endpoint.engflow.checks : "${c.name}: ${c.detail}" if !c.ok
    ])
  }
}

output "bazelrc" {
  description = "The line for .bazelrc."
  value       = data.engflow_privatelink_endpoint.engflow.bazelrc
}
