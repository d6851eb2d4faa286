// Command emulator starts the local EC2 emulator (`make emulator`) and
// optionally sets up a simulated EngFlow endpoint service. Without -exec it
// prints the environment to export and runs until Ctrl-C, for a person
// exploring. With -exec it runs a command against the emulator, as if the
// emulator were an AWS account, then stops the emulator and exits with the
// command's exit code: `make testacc-aws-emulated` runs `make testacc-aws`
// this way.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"sort"
	"syscall"
	"time"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

type options struct {
	withService    bool
	acceptance     bool
	cluster        string
	availableAfter time.Duration
	deleteAfter    time.Duration
	exec           string
}

func main() {
	var o options
	flag.BoolVar(&o.withService, "service", true, "also create a simulated EngFlow endpoint service (with a private DNS name <cluster>.cluster.engflow.com)")
	flag.BoolVar(&o.acceptance, "acceptance-required", false, "the simulated service requires acceptance of each connection")
	flag.StringVar(&o.cluster, "cluster", "demo", "the simulated EngFlow cluster's name")
	flag.DurationVar(&o.availableAfter, "available-after", 2*time.Second, "how long new endpoints stay pending")
	flag.DurationVar(&o.deleteAfter, "delete-after", time.Second, "how long deleted endpoints stay deleting")
	flag.StringVar(&o.exec, "exec", "", "run this command with `sh -c` in the emulator's environment (plus "+
		acctest.EnvServiceName+" with -service), then stop the emulator and exit with the command's exit code")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "emulator: unexpected arguments %q (quote the command of -exec)\n", flag.Args())
		os.Exit(2)
	}

	// The launcher always works on its own emulator, whatever target the
	// command of -exec runs against: its fixture must not act as on real
	// AWS (which would, for one, create the service without a private DNS
	// name). The command gets the variable back as it was.
	target, hadTarget := os.LookupEnv(acctest.EnvTarget)
	os.Unsetenv(acctest.EnvTarget)

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	code, err := run(o, signals, func(env []string) []string {
		if hadTarget {
			env = append(env, acctest.EnvTarget+"="+target)
		}
		return env
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "emulator:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// run starts the emulator, sets up the service and either runs the
// command of -exec or waits for a signal. It returns the exit code.
func run(o options, signals <-chan os.Signal, commandEnv func([]string) []string) (code int, err error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Until the command runs, a signal stops the set-up (or, without
	// -exec, the emulator). handOver ends that, so the command gets them.
	setupOver, watcherGone := make(chan struct{}), make(chan struct{})
	handOver := func() { close(setupOver); <-watcherGone }
	go func() {
		defer close(watcherGone)
		select {
		case <-signals:
			cancel()
		case <-setupOver:
		}
	}()

	emu, err := acctest.StartEmulator(ctx, acctest.EmulatorOptions{AvailableAfter: o.availableAfter, DeleteAfter: o.deleteAfter, Log: os.Stderr})
	if err != nil {
		return 1, err
	}
	defer func() {
		if stopErr := emu.Stop(); stopErr != nil {
			err = errors.Join(err, fmt.Errorf("stopping the emulator (pid %d): %w", emu.PID(), stopErr))
		}
	}()

	// Information goes to stdout when a person reads it, to stderr when a
	// command's output is what matters.
	out := os.Stdout
	if o.exec != "" {
		out = os.Stderr
	}
	acctest.UseEmulatorEnv(emu.URL)
	env := acctest.EmulatorEnv(emu.URL)
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	seed := ""
	if s, err := emu.Seed(ctx); err == nil {
		seed = fmt.Sprintf(", seed %d (repeat with %s=%d)", s, acctest.EnvEmulatorSeed, s)
	}
	if o.exec != "" {
		fmt.Fprintf(out, "EC2 emulator (pid %d) at %s%s.\n", emu.PID(), emu.URL, seed)
	} else {
		fmt.Fprintf(out, "EC2 emulator (pid %d) at %s%s. In another shell:\n\n", emu.PID(), emu.URL, seed)
		for _, k := range keys {
			fmt.Fprintf(out, "  export %s=%s\n", k, env[k])
		}
	}

	serviceName := ""
	if o.withService {
		fixture, err := acctest.NewAWS(ctx)
		if err != nil {
			return 1, err
		}
		svc, err := fixture.CreateService(ctx, acctest.ServiceOptions{Cluster: o.cluster, AcceptanceRequired: o.acceptance})
		if err != nil {
			return 1, err
		}
		serviceName = svc.Name
		fmt.Fprintf(out, "\nSimulated EngFlow service: %s (private DNS name %s, zones %v, acceptance required: %v)\n",
			svc.Name, svc.PrivateDNSName, svc.Zones, o.acceptance)
		if o.acceptance {
			fmt.Fprintf(out, "Accept a connection as EngFlow would:\n  aws --endpoint-url %s ec2 accept-vpc-endpoint-connections --service-id %s --vpc-endpoint-ids vpce-...\n", emu.URL, svc.ID)
		}
	}

	if o.exec != "" {
		handOver()
		if ctx.Err() != nil {
			return 130, errors.New("interrupted before the command started")
		}
		return runCommand(o.exec, commandEnv(commandEnvironment(serviceName)), signals)
	}

	fmt.Fprintf(out, "\nRequest log: curl %s/_emulator/requests\nCtrl-C stops the emulator.\n", emu.URL)
	<-ctx.Done()
	return 0, nil
}

// commandEnvironment is this process's environment (already pointed at the
// emulator by UseEmulatorEnv) with ENGFLOW_ACC_SERVICE_NAME set to the
// simulated service, or removed when there is none, so that a value
// exported for a real account never leaks into a run against the emulator.
func commandEnvironment(serviceName string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if len(kv) > len(acctest.EnvServiceName) && kv[:len(acctest.EnvServiceName)+1] == acctest.EnvServiceName+"=" {
			continue
		}
		env = append(env, kv)
	}
	if serviceName != "" {
		env = append(env, acctest.EnvServiceName+"="+serviceName)
	}
	return env
}

// runCommand runs command with sh -c and waits for it. A signal that
// reaches the launcher is passed on to the command (Ctrl-C in a terminal
// reaches both anyway), which then decides when to end; the emulator is
// stopped only after it has. The exit code is the command's, or 128 plus
// the signal's number when a signal ended it, as a shell reports it.
func runCommand(command string, env []string, signals <-chan os.Signal) (int, error) {
	cmd := exec.Command("sh", "-c", command)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return 1, fmt.Errorf("starting sh -c %q: %w", command, err)
	}
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case sig := <-signals:
			_ = cmd.Process.Signal(sig)
		case err := <-done:
			code := 0
			var exitErr *exec.ExitError
			switch {
			case errors.As(err, &exitErr):
				code = exitErr.ExitCode()
				if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
					code = 128 + int(ws.Signal())
				}
			case err != nil:
				return 1, fmt.Errorf("running sh -c %q: %w", command, err)
			}
			fmt.Fprintf(os.Stderr, "emulator: command exited with code %d after %s: %s\n", code, time.Since(start).Round(time.Second), command)
			return code, nil
		}
	}
}
