package privatelink

// CreationMarkerOfAnotherRun is the creation marker another provider
// process leaves on an endpoint it creates, so that acceptance tests can
// stage another run's unfinished create.
func CreationMarkerOfAnotherRun() (key, value string) {
	return creationMarkerKey, "0123456789abcdef"
}
