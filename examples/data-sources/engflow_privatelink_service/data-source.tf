# Verify the service EngFlow gave you and learn where it is offered.
data "engflow_privatelink_service" "engflow" {
  service_name = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
}

output "engflow_zones" {
  value = data.engflow_privatelink_service.engflow.availability_zone_ids
}
