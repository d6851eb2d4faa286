# An existing Interface endpoint, for example one made in the console, by its ID:
terraform import engflow_privatelink_endpoint.engflow vpce-0123456789abcdef0
# An endpoint in another Region than the provider's takes the Region after an @,
# as in vpce-0123456789abcdef0@us-west-2.
