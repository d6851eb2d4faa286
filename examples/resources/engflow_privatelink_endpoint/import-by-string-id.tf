import {
  to = engflow_privatelink_endpoint.engflow
  id = "vpce-0123456789abcdef0"
}
