package privatelink

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Client is the EC2 connection of one account and Region and what every
// resource of this provider process in that Region shares: its look-up
// caches and batched calls (Regions hands them out). Unit tests build one
// around a fake EC2API with newClient.
type Client struct {
	ec2         EC2API
	region      string
	accountID   func(context.Context) (string, error)
	defaultTags map[string]string

	// processID names this provider process in the leases of its creates
	// (creation_marker.go); leases renews them.
	processID string
	leases    *leaseKeeper

	lookups lookups
	// Batched calls: concurrent callers share one EC2 call (batcher.go).
	endpoints   *batcher[types.VpcEndpoint]
	endpointsOf *batcher[[]types.VpcEndpoint] // by vpcServiceKey
	enis        *batcher[types.NetworkInterface]
	subnets     *batcher[types.Subnet]
	groups      *batcher[types.SecurityGroup]
	markers     *batcher[struct{}] // removes creation markers
	// listings holds the existing-endpoint listings of plans for the
	// creates that follow them (takeListing).
	listings sync.Map // vpcServiceKey -> listing

	// claimed holds the orphaned endpoints a create in this process
	// claimed, so that two of its resources never claim the same one: the
	// lease they would write is the same (see claim).
	claimedMu sync.Mutex
	claimed   map[string]bool
}

// processID is this provider process's, the same in every Region.
var processID = randomHex(8)

func newClient(conn EC2API, region string, accountID func(context.Context) (string, error), defaultTags map[string]string) *Client {
	return &Client{
		ec2: conn, region: region, accountID: accountID, defaultTags: defaultTags,
		processID:   processID,
		leases:      newLeaseKeeper(conn, processID),
		endpoints:   newBatcher(kindEndpoint, batchWindow, describeEndpoints(conn)),
		endpointsOf: newBatcher("VPC endpoint list", batchWindow, describeEndpointsOfServices(conn)),
		enis:        newBatcher(kindNetworkInterface, batchWindow, describeNetworkInterfaces(conn)),
		subnets:     newBatcher("subnet", batchWindow, describeSubnets(conn)),
		groups:      newBatcher("security group", batchWindow, describeSecurityGroups(conn)),
		markers:     newBatcher(kindEndpoint, batchWindow, removeMarkers(conn)),
		claimed:     map[string]bool{},
	}
}

// claimInProcess marks an orphaned endpoint as claimed by one create of
// this process; false when another one claimed it first.
func (c *Client) claimInProcess(id string) bool {
	c.claimedMu.Lock()
	defer c.claimedMu.Unlock()
	if c.claimed[id] {
		return false
	}
	c.claimed[id] = true
	return true
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand documents it)
	return hex.EncodeToString(b)
}
