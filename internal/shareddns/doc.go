// Package shareddns is the resource engflow_privatelink_shared_dns: one
// EngFlow endpoint in a hub VPC serving many spoke VPCs through a Route 53
// private hosted zone for the cluster's name, with an alias record to the
// endpoint's regional DNS name.
//
// It is its own package, not part of internal/privatelink, because it
// talks to another AWS service (Route 53) with its own lifecycle, errors
// and IAM actions, and reads only two EC2 facts (the endpoint, the VPCs'
// DNS attributes), which it asks through the endpoint resource's Client for
// the Region (privatelink.Client.FindEndpoint, VPCDNSAttributes). It takes the provider's configured AWS access from the
// privatelink.Regions that Configure hands out.
//
// It also checks a hub's shared zone for the endpoint data source
// (CheckHub, given shared_dns_zone_id): the zone, its alias and every
// spoke, with the same Route 53 reads and words as the resource.
package shareddns
