package privatelink

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// leaseKeeper renews the leases of the creates this provider process has
// in flight (creation_marker.go): a lease written leaseRenewal ago or more
// is moved leaseTerm ahead, with one CreateTags call for all that are due.
// A create that ends sooner costs no renewal. A process that dies stops
// renewing, which is how other runs learn that it is gone.
type leaseKeeper struct {
	conn  EC2API
	run   string
	clock clock // what leases are dated by

	mu      sync.Mutex
	until   map[string]time.Time // endpoint ID -> end of its lease as last written
	logCtx  context.Context      // of the first holder: its logger
	running bool
	// renewing is held while a renewal's call is in flight, so that drop
	// can wait it out: a renewal landing after the marker was removed
	// would put a lease back on an endpoint that is Terraform's.
	renewing sync.Mutex
}

func newLeaseKeeper(conn EC2API, run string) *leaseKeeper {
	return &leaseKeeper{conn: conn, run: run, clock: realClock{}, until: map[string]time.Time{}}
}

// value is the marker of a lease of this process written now.
func (k *leaseKeeper) value() (string, time.Time) {
	until := k.clock.Now().Add(leaseTerm)
	return leaseValue(k.run, until), until
}

// hold renews the lease on the endpoint from now on; until is when the
// lease last written on it ends.
func (k *leaseKeeper) hold(ctx context.Context, id string, until time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.until[id] = until
	if !k.running {
		k.running, k.logCtx = true, context.WithoutCancel(ctx)
		go k.loop()
	}
}

// drop stops renewing the endpoint's lease, waiting out a renewal in
// flight. held is false when the lease had lapsed (renewals failed for
// leaseTerm): another run may have claimed the endpoint meanwhile.
func (k *leaseKeeper) drop(id string) (held bool) {
	k.mu.Lock()
	until, ok := k.until[id]
	delete(k.until, id)
	k.mu.Unlock()
	k.renewing.Lock()
	defer k.renewing.Unlock()
	return ok && k.clock.Now().Before(until)
}

// loop looks for leases due every half leaseRenewal of real time, until
// no lease is held.
func (k *leaseKeeper) loop() {
	for {
		<-time.After(leaseRenewal / 2)
		k.mu.Lock()
		if len(k.until) == 0 {
			k.running = false
			k.mu.Unlock()
			return
		}
		ids, ctx := k.due(), k.logCtx
		k.renewing.Lock()
		k.mu.Unlock()
		if len(ids) > 0 {
			k.renew(ctx, ids)
		}
		k.renewing.Unlock()
	}
}

// due lists the leases written leaseRenewal ago or more. k.mu is held.
func (k *leaseKeeper) due() []string {
	written := k.clock.Now().Add(leaseTerm - leaseRenewal) // a lease written then ends at this time
	var ids []string
	for _, id := range slices.Sorted(maps.Keys(k.until)) {
		if !k.until[id].After(written) {
			ids = append(ids, id)
		}
	}
	return ids
}

// renew writes a new lease on the endpoints with one call. One that EC2
// does not know yet (it lags behind the create) keeps the lease it has.
func (k *leaseKeeper) renew(ctx context.Context, ids []string) {
	ctx, cancel := context.WithTimeout(ctx, leaseRenewal)
	defer cancel()
	value, until := k.value()
	renewed, err := tagEach(func(ctx context.Context, ids []string) error {
		_, err := k.conn.CreateTags(ctx, &ec2.CreateTagsInput{Resources: ids,
			Tags: []types.Tag{{Key: aws.String(creationMarkerKey), Value: aws.String(value)}}})
		return err
	})(ctx, ids)
	if err != nil {
		tflog.Warn(ctx, "renewing creation leases failed", map[string]any{"endpoints": ids, "error": err.Error()})
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	for id := range renewed {
		if _, held := k.until[id]; held {
			k.until[id] = until
		}
	}
}
