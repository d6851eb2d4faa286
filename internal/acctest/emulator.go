package acctest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Emulator is a running local EC2 emulator: moto's server extended with
// AWS's PrivateLink behaviour by internal/acctest/emulator. It binds to
// 127.0.0.1 only and dies with its parent: it exits when the pipe on its
// standard input closes.
type Emulator struct {
	URL   string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	exit  chan error
}

// EmulatorOptions tune the emulator. Zero values keep its defaults, and
// its defaults are as unfriendly as AWS documents (see the emulator's
// README.md): eventual consistency, paging, malformed-ID errors,
// ClientToken replay, random list order, concurrent requests.
type EmulatorOptions struct {
	// AvailableAfter is how long a new or modified endpoint stays pending.
	AvailableAfter time.Duration
	// DeleteAfter is how long a deleted endpoint and its network interfaces linger.
	DeleteAfter time.Duration
	// Settings are knobs of POST /_emulator/config to set at start, by the
	// same keys (KnobVisibilityDelay, ...): seconds as float64 or
	// time.Duration, rates as float64, page sizes and the seed as int,
	// switches as bool, the latency range as [2]float64 or []float64.
	Settings map[string]any
	// Log receives the emulator's own log (stderr); nil discards it.
	Log io.Writer
}

// EnvEmulatorSeed, when set, seeds the emulator's random decisions (flicker,
// empty first pages, list order, latency) unless Settings has a seed. The
// emulator prints its seed at start and GET /_emulator/config reports it.
const EnvEmulatorSeed = "ENGFLOW_EMULATOR_SEED"

// emulatorFlags turns options into the launcher's command-line flags.
func emulatorFlags(opts EmulatorOptions) ([]string, error) {
	settings := map[string]any{}
	for k, v := range opts.Settings {
		settings[k] = v
	}
	if opts.AvailableAfter > 0 {
		settings[KnobAvailableAfter] = opts.AvailableAfter
	}
	if opts.DeleteAfter > 0 {
		settings[KnobDeleteAfter] = opts.DeleteAfter
	}
	if _, ok := settings[KnobSeed]; !ok {
		if s := strings.TrimSpace(os.Getenv(EnvEmulatorSeed)); s != "" {
			seed, err := strconv.ParseInt(s, 10, 64)
			if err != nil || seed < 0 {
				return nil, fmt.Errorf("%s=%q is not a non-negative integer", EnvEmulatorSeed, s)
			}
			settings[KnobSeed] = seed
		}
	}
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var args []string
	for _, k := range keys {
		v, err := flagValue(settings[k])
		if err != nil {
			return nil, fmt.Errorf("emulator setting %s: %w", k, err)
		}
		args = append(args, "--"+strings.ReplaceAll(k, "_", "-"), v)
	}
	return args, nil
}

func flagValue(v any) (string, error) {
	switch x := v.(type) {
	case bool:
		return strconv.FormatBool(x), nil
	case time.Duration:
		return seconds(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case [2]float64:
		return flagValue(x[:])
	case []float64:
		parts := make([]string, len(x))
		for i, f := range x {
			parts[i] = strconv.FormatFloat(f, 'g', -1, 64)
		}
		return strings.Join(parts, ","), nil
	case [2]time.Duration:
		return seconds(x[0]) + "," + seconds(x[1]), nil
	}
	return "", fmt.Errorf("unsupported value %v (%T)", v, v)
}

const emulatorStartTimeout = 60 * time.Second

// StartEmulator launches the emulator on a free loopback port and waits
// until it serves.
func StartEmulator(ctx context.Context, opts EmulatorOptions) (*Emulator, error) {
	script, err := emulatorScript()
	if err != nil {
		return nil, err
	}
	flags, err := emulatorFlags(opts)
	if err != nil {
		return nil, err
	}
	args := append([]string{script, "--host", "127.0.0.1", "--port", "0", "--watch-stdin"}, flags...)
	// Not CommandContext: the emulator must outlive the start-up context.
	cmd := exec.Command(pythonCommand(), args...) //nolint:gosec // fixed script from this repository
	cmd.Stderr = opts.Log
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the EC2 emulator (%s %s): %w; is Python 3 with moto installed?", cmd.Path, script, err)
	}
	e := &Emulator{cmd: cmd, stdin: stdin, exit: make(chan error, 1)}

	ready := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			if url, ok := strings.CutPrefix(scanner.Text(), "EMULATOR_READY "); ok {
				ready <- strings.TrimSpace(url)
			}
		}
		e.exit <- cmd.Wait()
	}()

	ctx, cancel := context.WithTimeout(ctx, emulatorStartTimeout)
	defer cancel()
	select {
	case e.URL = <-ready:
		return e, nil
	case err := <-e.exit:
		return nil, fmt.Errorf("the EC2 emulator exited before it was ready (%w); run it by hand to see why: python3 %s --port 0", err, script)
	case <-ctx.Done():
		_ = e.Stop()
		return nil, fmt.Errorf("the EC2 emulator was not ready within %s", emulatorStartTimeout)
	}
}

// PID is the emulator process's ID.
func (e *Emulator) PID() int { return e.cmd.Process.Pid }

// emulatorStopGrace is how long Stop waits for the emulator to exit by
// itself. It exits within a second on a quiet machine; a CI machine busy
// compiling (load 30 on 2 cores) once took over 5 s.
const emulatorStopGrace = 20 * time.Second

// Stop closes the emulator's standard input, which makes it exit, and kills
// it by its own PID if it has not gone within a few seconds.
func (e *Emulator) Stop() error {
	_ = e.stdin.Close()
	select {
	case err := <-e.exit:
		return err
	case <-time.After(emulatorStopGrace):
	}
	if err := e.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("killing EC2 emulator pid %d: %w", e.PID(), err)
	}
	return fmt.Errorf("the EC2 emulator (pid %d) did not exit within %s of its stdin closing and was killed: %w", e.PID(), emulatorStopGrace, <-e.exit)
}

// emulatorScript finds the launcher next to this source file, or where
// ENGFLOW_EMULATOR_SCRIPT says.
func emulatorScript() (string, error) {
	if p := os.Getenv("ENGFLOW_EMULATOR_SCRIPT"); p != "" {
		return p, nil
	}
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("cannot locate the emulator launcher; set ENGFLOW_EMULATOR_SCRIPT")
	}
	p := filepath.Join(filepath.Dir(self), "emulator", "engflow_ec2_emulator.py")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("emulator launcher not found (%w); set ENGFLOW_EMULATOR_SCRIPT to its path", err)
	}
	return p, nil
}

func pythonCommand() string {
	if p := os.Getenv("PYTHON"); p != "" {
		return p
	}
	return "python3"
}

func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) }
