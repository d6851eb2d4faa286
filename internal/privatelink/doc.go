// Package privatelink holds the engflow_privatelink_* resource and data
// sources and what they share: EC2 finders, the waiter, error mapping and
// flatteners.
package privatelink
