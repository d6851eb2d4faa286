package privatelink

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/engflow/terraform-provider-engflow/internal/awsclient"
)

// deps is what the resource and data sources need from the configured
// provider, built once per provider process so that every resource shares
// its caches and batched readers. Unit tests build one around a fake EC2API
// with newDeps.
type deps struct {
	ec2         EC2API
	region      string
	accountID   func(context.Context) (string, error)
	defaultTags map[string]string
	memo        *awsclient.Memo

	endpoints *batchReader[types.VpcEndpoint]
	enis      *batchReader[types.NetworkInterface]

	// endpointLocks serialises changes to one endpoint: EC2 refuses a
	// modify while another is in progress.
	endpointLocks sync.Map // endpoint ID -> *sync.Mutex
}

func newDeps(conn EC2API, region string, accountID func(context.Context) (string, error), defaultTags map[string]string, memo *awsclient.Memo) *deps {
	return &deps{
		ec2: conn, region: region, accountID: accountID, defaultTags: defaultTags, memo: memo,
		endpoints: newBatchReader(kindEndpoint, batchWindow, describeEndpoints(conn)),
		enis:      newBatchReader(kindNetworkInterface, batchWindow, describeNetworkInterfaces(conn)),
	}
}

// lockEndpoint holds the endpoint's lock until the returned func is called.
func (d *deps) lockEndpoint(id string) (unlock func()) {
	m, _ := d.endpointLocks.LoadOrStore(id, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// depsFromProviderData is called from every Configure method. ProviderData is
// nil during early validation, before the provider is configured; callers
// then keep a nil deps and are not asked for API work.
func depsFromProviderData(data any, diags *diag.Diagnostics) *deps {
	if data == nil {
		return nil
	}
	client, ok := data.(*awsclient.Client)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *awsclient.Client, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	d, _ := client.Memo.Do(context.Background(), "privatelink.deps", func(context.Context) (any, error) {
		return newDeps(client.EC2, client.Region, client.AccountID, client.DefaultTags, &client.Memo), nil
	})
	return d.(*deps)
}
