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
// in flight (creation_marker.go): every leaseRenewal, one CreateTags call
// moves all of them leaseTerm ahead. A process that dies stops renewing,
// which is how other runs learn that it is gone.
type leaseKeeper struct {
	conn  EC2API
	run   string
	clock clock // what leases are dated by

	mu      sync.Mutex
	until   map[string]time.Time // endpoint ID -> end of its lease as last written
	logCtx  context.Context      // of the first holder: its logger
	running bool
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

// drop stops renewing the endpoint's lease. held is false when the lease
// had lapsed (renewals failed for leaseTerm): another run may have claimed
// the endpoint meanwhile.
func (k *leaseKeeper) drop(id string) (held bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	until, ok := k.until[id]
	delete(k.until, id)
	return ok && k.clock.Now().Before(until)
}

// loop renews every leaseRenewal of real time until no lease is held.
func (k *leaseKeeper) loop() {
	for {
		<-time.After(leaseRenewal)
		k.mu.Lock()
		if len(k.until) == 0 {
			k.running = false
			k.mu.Unlock()
			return
		}
		ids, ctx := slices.Sorted(maps.Keys(k.until)), k.logCtx
		k.mu.Unlock()
		k.renew(ctx, ids)
	}
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
