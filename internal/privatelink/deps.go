package privatelink

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/engflow/terraform-provider-engflow/internal/awsclient"
)

// deps is what a resource or data source needs from the configured
// provider. It is an interface-shaped view of awsclient.Client so that unit
// tests can build one around a fake EC2API.
type deps struct {
	ec2       EC2API
	region    string
	accountID func(context.Context) (string, error)
}

// depsFromProviderData is called from every Configure method. ProviderData is
// nil during early validation, before the provider is configured; callers
// then keep a nil deps and must not be invoked for API work.
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
	return &deps{ec2: client.EC2, region: client.Region, accountID: client.AccountID}
}
