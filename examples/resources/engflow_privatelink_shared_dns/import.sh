# The shared zone, by its Route 53 hosted zone ID (zone_id). The endpoint is
# read from the zone's alias record, the hub from the endpoint's VPC, and the
# spokes are the zone's other VPCs.
terraform import engflow_privatelink_shared_dns.engflow Z0123456789ABCDEFGHIJ
# A hub in another Region than the provider's takes the Region after an @,
# as in Z0123456789ABCDEFGHIJ@us-west-2.
