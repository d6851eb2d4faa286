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

// EmulatorOptions tune the emulator's timing. Zero values keep its defaults.
type EmulatorOptions struct {
	// AvailableAfter is how long a new or modified endpoint stays pending.
	AvailableAfter time.Duration
	// DeleteAfter is how long a deleted endpoint and its network interfaces linger.
	DeleteAfter time.Duration
	// Log receives the emulator's own log (stderr); nil discards it.
	Log io.Writer
}

const emulatorStartTimeout = 60 * time.Second

// StartEmulator launches the emulator on a free loopback port and waits
// until it serves.
func StartEmulator(ctx context.Context, opts EmulatorOptions) (*Emulator, error) {
	script, err := emulatorScript()
	if err != nil {
		return nil, err
	}
	args := []string{script, "--host", "127.0.0.1", "--port", "0", "--watch-stdin"}
	if opts.AvailableAfter > 0 {
		args = append(args, "--available-after", seconds(opts.AvailableAfter))
	}
	if opts.DeleteAfter > 0 {
		args = append(args, "--delete-after", seconds(opts.DeleteAfter))
	}
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

// Stop closes the emulator's standard input, which makes it exit, and kills
// it by its own PID if it has not gone within a few seconds.
func (e *Emulator) Stop() error {
	_ = e.stdin.Close()
	select {
	case err := <-e.exit:
		return err
	case <-time.After(5 * time.Second):
	}
	if err := e.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("killing EC2 emulator pid %d: %w", e.PID(), err)
	}
	return fmt.Errorf("the EC2 emulator (pid %d) did not exit within 5 s of its stdin closing and was killed: %w", e.PID(), <-e.exit)
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
