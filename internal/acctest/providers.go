package acctest

import (
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/engflow/terraform-provider-engflow/internal/provider"
)

// ProtoV6ProviderFactories serves the provider in-process to the terraform
// CLI that terraform-plugin-testing drives.
func ProtoV6ProviderFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		provider.TypeName: providerserver.NewProtocol6WithError(provider.New("test")()),
	}
}
