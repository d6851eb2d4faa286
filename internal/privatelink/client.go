package privatelink

import (
	"context"
	"crypto/rand"
	"encoding/hex"

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

	lookups lookups
	// Batched calls: concurrent callers share one EC2 call (batcher.go).
	endpoints   *batcher[types.VpcEndpoint]
	endpointsOf *batcher[[]types.VpcEndpoint] // by vpcServiceKey
	enis        *batcher[types.NetworkInterface]
	subnets     *batcher[types.Subnet]
	groups      *batcher[types.SecurityGroup]
	markers     *batcher[struct{}] // removes creation markers
}

func newClient(conn EC2API, region string, accountID func(context.Context) (string, error), defaultTags map[string]string) *Client {
	return &Client{
		ec2: conn, region: region, accountID: accountID, defaultTags: defaultTags,
		endpoints:   newBatcher(kindEndpoint, batchWindow, describeEndpoints(conn)),
		endpointsOf: newBatcher("VPC endpoint list", batchWindow, describeEndpointsOfServices(conn)),
		enis:        newBatcher(kindNetworkInterface, batchWindow, describeNetworkInterfaces(conn)),
		subnets:     newBatcher("subnet", batchWindow, describeSubnets(conn)),
		groups:      newBatcher("security group", batchWindow, describeSecurityGroups(conn)),
		markers:     newBatcher(kindEndpoint, batchWindow, removeMarkers(conn)),
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand documents it)
	return hex.EncodeToString(b)
}
