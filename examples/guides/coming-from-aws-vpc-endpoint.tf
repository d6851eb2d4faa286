# Before: the endpoint as hashicorp/aws managed it.
#
#   resource "aws_vpc_endpoint" "engflow" {
#     vpc_endpoint_type   = "Interface"
#     service_name        = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
#     vpc_id              = "vpc-0a1b2c3d4e5f67890"
#     subnet_ids          = ["subnet-0a1b2c3d4e5f67890", "subnet-0b1c2d3e4f5a67890"]
#     security_group_ids  = ["sg-0a1b2c3d4e5f67890"]
#     private_dns_enabled = true
#     tags                = { team = "build" }
#   }
#
# After: the same arguments under engflow_privatelink_endpoint, and a moved
# block. The next plan says the resource has moved and changes nothing.
resource "engflow_privatelink_endpoint" "engflow" {
  service_name       = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
  vpc_id             = "vpc-0a1b2c3d4e5f67890"
  subnet_ids         = ["subnet-0a1b2c3d4e5f67890", "subnet-0b1c2d3e4f5a67890"]
  security_group_ids = ["sg-0a1b2c3d4e5f67890"]
  # private_dns_enabled = true is the default here
  tags = { team = "build" }
}

moved {
  from = aws_vpc_endpoint.engflow
  to   = engflow_privatelink_endpoint.engflow
}
