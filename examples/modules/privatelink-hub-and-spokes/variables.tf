variable "service_name" {
  description = "The endpoint service name EngFlow gave you: com.amazonaws.vpce.<region>.vpce-svc-<hex>."
  type        = string

  validation {
    condition     = can(regex("^com\\.amazonaws\\.vpce\\.[a-z]{2}(-[a-z]+)+-[0-9]+\\.vpce-svc-[0-9a-f]{8,17}$", var.service_name))
    error_message = "service_name must be the endpoint service name EngFlow gave you, of the form com.amazonaws.vpce.<region>.vpce-svc-<hex digits>, for example com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0."
  }
}

variable "cluster_domain" {
  description = "The cluster's DNS name, for example acme.cluster.engflow.com: the shared zone's name. Defaults to the service's private DNS name, the name Bazel connects to; give it only when the service offers none."
  type        = string
  default     = null
}

variable "hub" {
  description = <<-EOT
    The shared VPC that holds the one endpoint: vpc_id; subnets_by_zone_id, one
    subnet per Availability Zone keyed by zone ID (use1-az1, not us-east-1a), of
    which only those in zones the service is offered in are used;
    security_group_ids, letting the Bazel clients of the hub and of every spoke
    in on TCP 443; and optionally client_cidr_blocks, where the clients connect
    from, for the health checks (defaults to the CIDR blocks of the hub and the
    spokes).
  EOT
  type = object({
    vpc_id             = string
    subnets_by_zone_id = map(string)
    security_group_ids = list(string)
    client_cidr_blocks = optional(list(string))
  })

  validation {
    condition     = length(var.hub.subnets_by_zone_id) > 0 && alltrue([for zone in keys(var.hub.subnets_by_zone_id) : can(regex("^[a-z]{2,5}[0-9]+(-[a-z0-9]+)*-az[0-9]+$", zone))])
    error_message = "hub.subnets_by_zone_id needs at least one subnet, keyed by Availability Zone ID such as use1-az1 (aws_subnet's availability_zone_id), not zone name such as us-east-1a: the same name is a different zone in another AWS account. Not zone IDs: ${join(", ", [for zone in keys(var.hub.subnets_by_zone_id) : zone if !can(regex("^[a-z]{2,5}[0-9]+(-[a-z0-9]+)*-az[0-9]+$", zone))])}."
  }
}

variable "spoke_vpc_ids" {
  description = "VPCs of this account and Region whose Bazel clients reach the cluster through the hub (routed to it by Transit Gateway or peering). Each must have enableDnsSupport and enableDnsHostnames on."
  type        = set(string)
  default     = []
  nullable    = false
}

variable "region" {
  description = "The AWS Region of the hub and spoke VPCs; defaults to the provider's, so one provider block serves hubs in many Regions."
  type        = string
  default     = null

  validation {
    condition     = var.region == null || can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must be an AWS Region name such as us-west-2."
  }
}

variable "bazel_config" {
  description = "Config name in the .bazelrc line (build:<bazel_config> --remote_executor=...). Defaults to the cluster name, the first label of cluster_domain."
  type        = string
  default     = null

  validation {
    condition     = var.bazel_config == null || can(regex("^[A-Za-z0-9_.-]+$", var.bazel_config))
    error_message = "bazel_config must be a Bazel config name: letters, digits, '_', '-' and '.' only, as in build:ci."
  }
}
