// Command emulator starts the local EC2 emulator for a person exploring
// (`make emulator`): it prints the environment to export, optionally sets
// up a simulated EngFlow endpoint service, and runs until Ctrl-C.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"syscall"
	"time"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

func main() {
	withService := flag.Bool("service", true, "also create a simulated EngFlow endpoint service")
	acceptance := flag.Bool("acceptance-required", false, "the simulated service requires acceptance of each connection")
	availableAfter := flag.Duration("available-after", 2*time.Second, "how long new endpoints stay pending")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *withService, *acceptance, *availableAfter); err != nil {
		fmt.Fprintln(os.Stderr, "emulator:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, withService, acceptance bool, availableAfter time.Duration) error {
	emu, err := acctest.StartEmulator(ctx, acctest.EmulatorOptions{AvailableAfter: availableAfter, DeleteAfter: time.Second, Log: os.Stderr})
	if err != nil {
		return err
	}
	defer func() {
		if err := emu.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping the emulator:", err)
		}
	}()

	acctest.UseEmulatorEnv(emu.URL)
	env := acctest.EmulatorEnv(emu.URL)
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Printf("EC2 emulator (pid %d) at %s. In another shell:\n\n", emu.PID(), emu.URL)
	for _, k := range keys {
		fmt.Printf("  export %s=%s\n", k, env[k])
	}
	if withService {
		fixture, err := acctest.NewAWS(ctx)
		if err != nil {
			return err
		}
		svc, err := fixture.CreateService(ctx, acctest.ServiceOptions{Cluster: "demo", AcceptanceRequired: acceptance})
		if err != nil {
			return err
		}
		fmt.Printf("\nSimulated EngFlow service: %s (private DNS name %s, zones %v, acceptance required: %v)\n",
			svc.Name, svc.PrivateDNSName, svc.Zones, acceptance)
		if acceptance {
			fmt.Printf("Accept a connection as EngFlow would:\n  aws --endpoint-url %s ec2 accept-vpc-endpoint-connections --service-id %s --vpc-endpoint-ids vpce-...\n", emu.URL, svc.ID)
		}
	}
	fmt.Printf("\nRequest log: curl %s/_emulator/requests\nCtrl-C stops the emulator.\n", emu.URL)
	<-ctx.Done()
	return nil
}
