output "endpoints" {
  description = "Each VPC's endpoint, by the key of vpcs: id, vpc_id, state, subnet_ids (the ones used), private_dns_name (what Bazel connects to), regional_dns_name and private_ips."
  value = {
    for key, d in data.engflow_privatelink_endpoint.this : key => {
      id                = d.id
      vpc_id            = d.vpc_id
      state             = d.state
      subnet_ids        = d.subnet_ids
      private_dns_name  = d.private_dns_name
      regional_dns_name = d.regional_dns_name
      private_ips       = d.private_ips
    }
  }
}

output "bazelrc" {
  description = "Each VPC's ready .bazelrc line, by the key of vpcs: build:<bazel_config> --remote_executor=grpcs://<private DNS name>."
  value       = { for key, d in data.engflow_privatelink_endpoint.this : key => d.bazelrc }
}

output "healthy" {
  description = "Whether each VPC's endpoint passed every check, by the key of vpcs."
  value       = { for key, d in data.engflow_privatelink_endpoint.this : key => d.healthy }
}

output "failed_checks" {
  description = "Each VPC's failed checks as \"name: detail\" (the detail says what to change), by the key of vpcs; empty lists when healthy."
  value       = { for key, d in data.engflow_privatelink_endpoint.this : key => [for c in d.checks : "${c.name}: ${c.detail}" if !c.ok] }
}

output "skipped_subnets" {
  description = "Subnets given in subnets_by_zone_id but not used, because the service is not offered in their zone, by the key of vpcs (zone ID => subnet ID)."
  value       = local.skipped_subnets
}
