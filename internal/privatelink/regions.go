package privatelink

import (
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/engflow/terraform-provider-engflow/internal/awsclient"
)

// Regions is what the provider's Configure hands to the resource and data
// sources (as ProviderData): one Client per AWS Region, each with its own
// EC2 connection, look-up caches and batched readers, made on first use. A
// single provider block thus serves endpoints in every Region its
// resources name.
type Regions struct {
	defaultRegion string
	newClient     func(region string) *Client

	mu      sync.Mutex
	clients map[string]*Client

	// aws is the provider's configured AWS access, for resources outside
	// this package (engflow_privatelink_shared_dns); nil in unit tests.
	aws *awsclient.Client
}

// NewRegions serves the Regions of the provider's configured account; the
// provider's own Region is the default.
func NewRegions(c *awsclient.Client) *Regions {
	rs := newRegions(c.Region, func(region string) *Client {
		return newClient(c.EC2In(region), region, c.AccountID, c.DefaultTags)
	})
	rs.aws = c
	return rs
}

// AWS is the provider's configured AWS access (EC2 per Region, Route 53).
func (rs *Regions) AWS() *awsclient.Client { return rs.aws }

func newRegions(defaultRegion string, newClient func(region string) *Client) *Regions {
	return &Regions{defaultRegion: defaultRegion, newClient: newClient, clients: map[string]*Client{}}
}

// Default is the provider's Region, for resources that name none.
func (rs *Regions) Default() string { return rs.defaultRegion }

// In returns the Client of region ("" means the default), making it on
// first use.
func (rs *Regions) In(region string) *Client {
	if region == "" {
		region = rs.defaultRegion
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	c, ok := rs.clients[region]
	if !ok {
		c = rs.newClient(region)
		rs.clients[region] = c
	}
	return c
}

// regionsFromProviderData is called from every Configure method.
// ProviderData is nil during early validation, before the provider is
// configured; callers then keep nil and are not asked for API work.
func regionsFromProviderData(data any, diags *diag.Diagnostics) *Regions {
	if data == nil {
		return nil
	}
	rs, ok := data.(*Regions)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *privatelink.Regions, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return rs
}

// regional is what the resource and the data sources share to work in the
// Region a call names.
type regional struct {
	regions *Regions
}

func (g *regional) configure(providerData any, diags *diag.Diagnostics) {
	g.regions = regionsFromProviderData(providerData, diags)
}

// clientIn is the Client of region ("" for the provider's).
func (g *regional) clientIn(region string) *Client { return g.regions.In(region) }
