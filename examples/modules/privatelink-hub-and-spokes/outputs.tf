output "endpoint_id" {
  description = "The hub endpoint."
  value       = engflow_privatelink_endpoint.hub.id
}

output "zone_id" {
  description = "The shared private hosted zone."
  value       = engflow_privatelink_shared_dns.this.zone_id
}

output "bazelrc" {
  description = "The .bazelrc line for the hub and every spoke: build:<bazel_config> --remote_executor=grpcs://<cluster_domain>."
  value       = "build:${local.bazel_config} --remote_executor=grpcs://${engflow_privatelink_shared_dns.this.record_name}"
}

output "healthy" {
  description = "Whether the hub passed every check, the shared zone's and the spokes' among them."
  value       = data.engflow_privatelink_endpoint.hub.healthy
}

output "failed_checks" {
  description = "The failed checks as \"name: detail\" (the detail says what to change, naming each failing spoke); an empty list when healthy."
  value       = [for c in data.engflow_privatelink_endpoint.hub.checks : "${c.name}: ${c.detail}" if !c.ok]
}

output "skipped_subnets" {
  description = "Hub subnets given in subnets_by_zone_id but not used, because the service is not offered in their zone (zone ID => subnet ID)."
  value       = local.skipped_subnets
}
