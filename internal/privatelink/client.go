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

	// processID tells this provider process's creations apart from those
	// of an earlier, interrupted run (see creation_marker.go).
	processID string

	lookups lookups
	// Batched calls: concurrent callers share one EC2 call (batcher.go).
	endpoints   *batcher[types.VpcEndpoint]
	endpointsOf *batcher[[]types.VpcEndpoint] // by vpcServiceKey
	enis        *batcher[types.NetworkInterface]
	subnets     *batcher[types.Subnet]
	groups      *batcher[types.SecurityGroup]
	markers     *batcher[struct{}] // clears creation markers
	// listings holds plans' existing-endpoint listings for the creates
	// that follow them (endpointsOfServiceForCreate).
	listings sync.Map // vpcServiceKey -> listing

	// endpointLocks serialises changes to one endpoint: EC2 refuses a
	// modify while another is in progress.
	endpointLocks sync.Map // endpoint ID -> *sync.Mutex
	// adopted holds the orphaned endpoints a create in this process took
	// over, so that two resources never adopt the same one.
	adoptedMu sync.Mutex
	adopted   map[string]bool
}

func newClient(conn EC2API, region string, accountID func(context.Context) (string, error), defaultTags map[string]string) *Client {
	return &Client{
		ec2: conn, region: region, accountID: accountID, defaultTags: defaultTags,
		processID:   randomHex(8),
		endpoints:   newBatcher(kindEndpoint, batchWindow, describeEndpoints(conn)),
		endpointsOf: newBatcher("VPC endpoint list", batchWindow, describeEndpointsOfServices(conn)),
		enis:        newBatcher(kindNetworkInterface, batchWindow, describeNetworkInterfaces(conn)),
		subnets:     newBatcher("subnet", batchWindow, describeSubnets(conn)),
		groups:      newBatcher("security group", batchWindow, describeSecurityGroups(conn)),
		markers:     newBatcher(kindEndpoint, batchWindow, clearCreationMarkers(conn)),
		adopted:     map[string]bool{},
	}
}

// lockEndpoint holds the endpoint's lock until the returned func is called.
func (c *Client) lockEndpoint(id string) (unlock func()) {
	m, _ := c.endpointLocks.LoadOrStore(id, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// claimOrphan marks an orphaned endpoint as taken by one create; false
// when another create of this process took it first.
func (c *Client) claimOrphan(id string) bool {
	c.adoptedMu.Lock()
	defer c.adoptedMu.Unlock()
	if c.adopted[id] {
		return false
	}
	c.adopted[id] = true
	return true
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand documents it)
	return hex.EncodeToString(b)
}
