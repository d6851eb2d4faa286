// Command terraform-provider-engflow serves the EngFlow Terraform provider
// over plugin protocol 6.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/engflow/terraform-provider-engflow/internal/provider"
)

// version is stamped by the release build (-X main.version=...).
var version = "dev"

// registryAddress is where users find the provider: source = "engflow/engflow".
const registryAddress = "registry.terraform.io/engflow/engflow"

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "start the provider in debug mode, for debuggers such as delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: registryAddress,
		Debug:   debugMode,
	})
	if err != nil {
		log.Fatal(err)
	}
}
