variable "service_name" {
  description = "The endpoint service name EngFlow gave you: com.amazonaws.vpce.<region>.vpce-svc-<hex>."
  type        = string

  validation {
    condition     = can(regex("^com\\.amazonaws\\.vpce\\.[a-z]{2}(-[a-z]+)+-[0-9]+\\.vpce-svc-[0-9a-f]{8,17}$", var.service_name))
    error_message = "service_name must be the endpoint service name EngFlow gave you, of the form com.amazonaws.vpce.<region>.vpce-svc-<hex digits>, for example com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0."
  }
}

variable "vpcs" {
  description = <<-EOT
    The VPCs where Bazel clients run, by a name of your choice (it keys the
    endpoints and the outputs; a static name, unlike a VPC ID, is known at plan
    time even when the VPC is created in the same apply). For each VPC:
    vpc_id; subnets_by_zone_id, one subnet per Availability Zone keyed by zone
    ID (use1-az1, not us-east-1a), of which only those in zones the service is
    offered in are used; security_group_ids that let the clients in on TCP 443;
    and optionally client_cidr_blocks, where the clients connect from, for the
    health checks (defaults to the VPC's CIDR blocks), and region, the VPC's
    AWS Region when it is not the provider's (a VPC outside the service's
    Region connects across Regions, which EngFlow must enable).
  EOT
  type = map(object({
    vpc_id             = string
    subnets_by_zone_id = map(string)
    security_group_ids = list(string)
    client_cidr_blocks = optional(list(string))
    region             = optional(string)
  }))

  validation {
    condition     = alltrue([for v in values(var.vpcs) : v.region == null || can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", v.region))])
    error_message = "A vpcs entry's region must be an AWS Region name such as us-west-2. Not one: ${join(", ", [for k, v in var.vpcs : "${k} (${jsonencode(v.region)})" if v.region != null && !can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", v.region))])}."
  }

  validation {
    condition     = alltrue([for v in values(var.vpcs) : can(regex("^vpc-[0-9a-f]{8,17}$", v.vpc_id))])
    error_message = "Each vpcs entry needs vpc_id, a VPC ID such as vpc-0a1b2c3d4e5f67890. Not one: ${join(", ", [for k, v in var.vpcs : "${k} (${jsonencode(v.vpc_id)})" if !can(regex("^vpc-[0-9a-f]{8,17}$", v.vpc_id))])}."
  }

  validation {
    condition     = length(distinct([for v in values(var.vpcs) : v.vpc_id])) == length(var.vpcs)
    error_message = "Each VPC may appear only once in vpcs: a second endpoint to the same service in one VPC would claim the same private DNS name. Listed more than once: ${join(", ", distinct([for v in values(var.vpcs) : v.vpc_id if length([for w in values(var.vpcs) : w if w.vpc_id == v.vpc_id]) > 1]))}."
  }

  validation {
    condition     = alltrue([for v in values(var.vpcs) : length(v.subnets_by_zone_id) > 0])
    error_message = "Each vpcs entry needs at least one subnet in subnets_by_zone_id (one per Availability Zone, keyed by zone ID). Empty: ${join(", ", [for k, v in var.vpcs : k if length(v.subnets_by_zone_id) == 0])}."
  }

  validation {
    condition     = alltrue(flatten([for v in values(var.vpcs) : [for zone in keys(v.subnets_by_zone_id) : can(regex("^[a-z]{2,5}[0-9]+(-[a-z0-9]+)*-az[0-9]+$", zone))]]))
    error_message = "The keys of subnets_by_zone_id must be Availability Zone IDs such as use1-az1 (aws_subnet's availability_zone_id), not zone names such as us-east-1a: the same name is a different zone in another AWS account, an ID is the same zone everywhere, and EngFlow's service is offered by zone. Not zone IDs: ${join(", ", flatten([for k, v in var.vpcs : [for zone in keys(v.subnets_by_zone_id) : "${k}: ${zone}" if !can(regex("^[a-z]{2,5}[0-9]+(-[a-z0-9]+)*-az[0-9]+$", zone))]]))}."
  }

  validation {
    condition     = alltrue(flatten([for v in values(var.vpcs) : [for s in values(v.subnets_by_zone_id) : can(regex("^subnet-[0-9a-f]{8,17}$", s))]]))
    error_message = "The values of subnets_by_zone_id must be subnet IDs such as subnet-0a1b2c3d4e5f67890. Not subnet IDs: ${join(", ", flatten([for k, v in var.vpcs : [for zone, s in v.subnets_by_zone_id : "${k}: ${zone} = ${jsonencode(s)}" if !can(regex("^subnet-[0-9a-f]{8,17}$", s))]]))}."
  }

  validation {
    condition     = alltrue(flatten([for v in values(var.vpcs) : [length(v.security_group_ids) > 0, [for g in v.security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", g))]]]))
    error_message = "Each vpcs entry needs security_group_ids: at least one security group ID (sg-...) that lets the Bazel clients in on TCP 443. Missing or malformed in: ${join(", ", [for k, v in var.vpcs : k if length(v.security_group_ids) == 0 || !alltrue([for g in v.security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", g))])])}."
  }

  validation {
    condition     = alltrue(flatten([for v in values(var.vpcs) : [for c in coalesce(v.client_cidr_blocks, []) : can(cidrhost(c, 0))]]))
    error_message = "client_cidr_blocks must be CIDR blocks such as 10.20.0.0/16. Not CIDR blocks: ${join(", ", flatten([for k, v in var.vpcs : [for c in coalesce(v.client_cidr_blocks, []) : "${k}: ${jsonencode(c)}" if !can(cidrhost(c, 0))]]))}."
  }
}

variable "bazel_config" {
  description = "Config name in the .bazelrc lines (build:<bazel_config> --remote_executor=...). Defaults to the cluster name, the first label of the service's private DNS name."
  type        = string
  default     = null

  validation {
    condition     = var.bazel_config == null || can(regex("^[A-Za-z0-9_.-]+$", var.bazel_config))
    error_message = "bazel_config must be a Bazel config name: letters, digits, '_', '-' and '.' only, as in build:ci."
  }
}

variable "tags" {
  description = "Tags of every endpoint, merged over the provider's default_tags. Each endpoint also gets Name = engflow-<key of vpcs> unless tags sets Name."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "wait_for_healthy" {
  description = "Wait until every endpoint is available (up to 20 minutes each) and fail the apply, listing the failed checks, when one is not healthy. When false, unhealthy endpoints are reported in the healthy and failed_checks outputs and as a check warning."
  type        = bool
  default     = false
  nullable    = false
}
