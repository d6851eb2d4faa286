output "endpoint_id" {
  description = "The hub endpoint."
  value       = engflow_privatelink_endpoint.hub.id
}

output "zone_id" {
  description = "The shared private hosted zone."
  value       = engflow_privatelink_shared_dns.this.zone_id
}

output "bazelrc" {
  description = "The line for .bazelrc in the hub and every spoke."
  value       = "build:engflow --remote_executor=grpcs://${engflow_privatelink_shared_dns.this.record_name}"
}
