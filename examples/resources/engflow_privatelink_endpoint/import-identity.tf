# Terraform or OpenTofu 1.12 and newer: import by the endpoint's identity.
import {
  to = engflow_privatelink_endpoint.engflow
  identity = {
    id = "vpce-0123456789abcdef0"
    # region = "us-west-2" # for an endpoint outside the provider's Region
  }
}
