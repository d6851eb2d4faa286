package privatelink

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/engflow/terraform-provider-engflow/internal/awsclient"
)

// Client is what the provider's Configure hands to the resource and data
// sources (as ProviderData): the EC2 connection of one account and Region
// and what every resource of this provider process shares, its look-up
// caches and batched readers. Unit tests build one around a fake EC2API
// with newClient.
type Client struct {
	ec2         EC2API
	region      string
	accountID   func(context.Context) (string, error)
	defaultTags map[string]string

	// processID tells this provider process's creations apart from those
	// of an earlier, interrupted run (see creation_marker.go).
	processID string

	lookups   lookups
	endpoints *batchReader[types.VpcEndpoint]
	enis      *batchReader[types.NetworkInterface]
	subnets   *batchReader[types.Subnet]
	groups    *batchReader[types.SecurityGroup]

	// endpointLocks serialises changes to one endpoint: EC2 refuses a
	// modify while another is in progress.
	endpointLocks sync.Map // endpoint ID -> *sync.Mutex
	// adopted holds the orphaned endpoints a create in this process took
	// over, so that two resources never adopt the same one.
	adoptedMu sync.Mutex
	adopted   map[string]bool
}

// NewClient wraps the provider's configured AWS connection.
func NewClient(c *awsclient.Client) *Client {
	return newClient(c.EC2, c.Region, c.AccountID, c.DefaultTags)
}

func newClient(conn EC2API, region string, accountID func(context.Context) (string, error), defaultTags map[string]string) *Client {
	return &Client{
		ec2: conn, region: region, accountID: accountID, defaultTags: defaultTags,
		processID: randomHex(8),
		endpoints: newBatchReader(kindEndpoint, batchWindow, describeEndpoints(conn)),
		enis:      newBatchReader(kindNetworkInterface, batchWindow, describeNetworkInterfaces(conn)),
		subnets:   newBatchReader("subnet", batchWindow, describeSubnets(conn)),
		groups:    newBatchReader("security group", batchWindow, describeSecurityGroups(conn)),
		adopted:   map[string]bool{},
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

// clientFromProviderData is called from every Configure method. ProviderData
// is nil during early validation, before the provider is configured; callers
// then keep a nil client and are not asked for API work.
func clientFromProviderData(data any, diags *diag.Diagnostics) *Client {
	if data == nil {
		return nil
	}
	c, ok := data.(*Client)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *privatelink.Client, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return c
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand documents it)
	return hex.EncodeToString(b)
}
