// Command terraform-provider-engflow serves the EngFlow Terraform provider
// over plugin protocol 6.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/debug"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/engflow/terraform-provider-engflow/internal/provider"
)

// version is stamped by the release build (-X main.version=...).
var version = "dev"

// registryAddress is where users find the provider: source = "engflow/engflow".
const registryAddress = "registry.terraform.io/engflow/engflow"

// gcPercent is the provider's garbage collection target (GOGC) unless the
// environment sets one. Go's default, 100, lets the heap grow to twice
// what is live between collections. Planning 100 endpoints keeps about
// 11 MB live (terraform's 10 requests in flight: decoded values, loggers,
// gRPC buffers), so the heap peaked near 24 MB. Measured with make bench
// (N=100, two runs each; peak of one provider process, provider CPU time
// over N=1 and N=100):
//
//	GOGC=100: 53.7-54.9 MB, 10.3-10.6 s CPU
//	GOGC=50:  46.5-49.3 MB, 12.2-12.9 s CPU
//	GOGC=25:  44.2-44.6 MB, 15.8-16.2 s CPU
//
// Memory is the target here (see issue 13); the extra CPU is small next
// to the time spent waiting on AWS. A built-in memory limit
// (debug.SetMemoryLimit) was rejected: once live data nears it, the
// collector runs without pause (16 MiB: 2.6 times the CPU, apply twice
// as slow), and bigger configurations would hit it. GOMEMLIMIT still
// applies when set.
const gcPercent = 25

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "start the provider in debug mode, for debuggers such as delve")
	flag.Parse()
	tuneGC(os.Getenv)

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: registryAddress,
		Debug:   debugMode,
	})
	if err != nil {
		log.Fatal(err)
	}
}

// tuneGC sets gcPercent unless GOGC is set in the environment.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}
