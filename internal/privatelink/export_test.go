package privatelink

import "time"

// CreationMarkerOfAnotherRun is the creation marker another provider
// process leaves on an endpoint it creates. With ranOut, its lease ran out
// long ago: the run was interrupted and the endpoint is an orphan. So
// acceptance tests can stage another run's create, live or orphaned.
func CreationMarkerOfAnotherRun(ranOut bool) (key, value string) {
	until := time.Now().Add(leaseTerm)
	if ranOut {
		until = time.Now().Add(-time.Hour)
	}
	return creationMarkerKey, leaseValue("0123456789abcdef", until)
}

// CreateSettle is how long a create's wait lets pass before its first look.
const CreateSettle = createSettle
