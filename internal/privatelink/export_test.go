package privatelink

// CreationMarkerOfAnotherRun is the creation marker an interrupted run of
// another provider process leaves on an endpoint created with these
// arguments, so that acceptance tests can stage such an orphan.
func CreationMarkerOfAnotherRun(serviceName, vpcID string, subnetIDs, groupIDs []string, privateDNS bool) (key, value string) {
	s := endpointSpec{ServiceName: serviceName, VpcID: vpcID, SubnetIDs: subnetIDs, SecurityGroupIDs: groupIDs, PrivateDNSEnabled: privateDNS}
	return creationMarkerKey, "0123456789abcdef " + specFingerprint(s)
}
