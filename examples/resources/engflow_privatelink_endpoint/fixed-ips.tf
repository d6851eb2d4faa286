# Fixed private IPs, for firewalls that must allow the endpoint's addresses
# before it exists: one entry per subnet, each address inside its subnet's
# CIDR block (here the subnets are 10.0.1.x and 10.0.2.x) and not one of the
# five AWS keeps in every block (the first four and the last). Changing an address
# later replaces that subnet's network interface, not the endpoint.
resource "engflow_privatelink_endpoint" "engflow" {
  service_name       = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
  vpc_id             = "vpc-0a1b2c3d4e5f67890"
  subnet_ids         = ["subnet-0a1b2c3d4e5f67890", "subnet-0b1c2d3e4f5a67890"]
  security_group_ids = ["sg-0a1b2c3d4e5f67890"]

  subnet_configuration = [
    { subnet_id = "subnet-0a1b2c3d4e5f67890", ipv4 = "10.0.1.10" },
    { subnet_id = "subnet-0b1c2d3e4f5a67890", ipv4 = "10.0.2.10" },
  ]
}
