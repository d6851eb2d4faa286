variable "service_name" {
  description = "The EngFlow endpoint service name, as EngFlow gave it to you."
  type        = string
}

variable "cluster_domain" {
  description = "The cluster's DNS name, for example acme.cluster.engflow.com."
  type        = string
}

variable "hub" {
  description = "The shared VPC that holds the one endpoint: its subnets (one per Availability Zone) and security groups (TCP 443 open to every spoke)."
  type = object({
    vpc_id             = string
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
}

variable "spoke_vpc_ids" {
  description = "VPCs of this account and Region whose Bazel clients reach the cluster through the hub (routed to it by Transit Gateway or peering)."
  type        = set(string)
  default     = []
}
