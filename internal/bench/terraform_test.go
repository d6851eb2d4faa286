package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

const (
	providerModule = "github.com/engflow/terraform-provider-engflow"
	providerBinary = "terraform-provider-engflow"
	// sampleEvery is how often /proc is read while terraform runs.
	sampleEvery = 50 * time.Millisecond
)

// buildProvider compiles the provider under test into dir.
func buildProvider(dir string) error {
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, providerBinary), providerModule)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building the provider: %w\n%s", err, out)
	}
	return nil
}

// terraform runs the real terraform CLI in a scratch root module with the
// provider binary in providerDir, through a dev_overrides CLI config as
// internal/cmd/demo does: no terraform init, no registry.
type terraform struct {
	bin string
	dir string
	env []string
}

func newTerraform(b *testing.B, providerDir string) *terraform {
	b.Helper()
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("terraform"); err != nil {
			b.Fatal("no terraform CLI: set TF_ACC_TERRAFORM_PATH or put terraform on PATH")
		}
	}
	tf := &terraform{bin: bin, dir: b.TempDir()}
	tf.writeFile(b, "dev.tfrc", []byte(acctest.DevOverridesCLIConfig(providerDir)))
	// Later entries win: this replaces the TF_CLI_CONFIG_FILE=/dev/null of make's ACC_ENV.
	tf.env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+filepath.Join(tf.dir, "dev.tfrc"), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	return tf
}

func (tf *terraform) writeFile(b *testing.B, name string, data []byte) {
	b.Helper()
	if err := os.WriteFile(filepath.Join(tf.dir, name), data, 0o600); err != nil {
		b.Fatal(err)
	}
}

// hasResources reports whether the state may hold resources to destroy.
func (tf *terraform) hasResources() bool {
	data, err := os.ReadFile(filepath.Join(tf.dir, "terraform.tfstate"))
	var state struct {
		Resources []json.RawMessage `json:"resources"`
	}
	return err == nil && (json.Unmarshal(data, &state) != nil || len(state.Resources) > 0)
}

// result is what one terraform command did.
type result struct {
	exitCode int
	wall     time.Duration
	output   []byte
	// providerPeakKB is the VmHWM of each provider process the command
	// started, by PID.
	providerPeakKB map[int]int64
}

// providerPeakMB is the largest peak resident memory of the command's
// provider processes.
func (r result) providerPeakMB() float64 {
	var peak int64
	for _, kb := range r.providerPeakKB {
		peak = max(peak, kb)
	}
	return float64(peak) / 1024
}

// run runs one terraform command while sampling its provider processes.
// A non-zero exit is reported in the result, not as an error.
func (tf *terraform) run(ctx context.Context, args ...string) (result, error) {
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, tf.bin, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = tf.dir, tf.env, &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return result{}, err
	}
	stop, peaks := make(chan struct{}), make(chan map[int]int64)
	go func() { peaks <- sampleProviders(cmd.Process.Pid, stop) }()
	err := cmd.Wait()
	close(stop)
	r := result{wall: time.Since(start), output: out.Bytes(), providerPeakKB: <-peaks}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		r.exitCode, err = exit.ExitCode(), nil
	}
	return r, err
}

// sampleProviders reads /proc every sampleEvery until stop closes and
// returns the VmHWM (kB) of every terraform-provider-engflow process
// descended from root, by PID. Other processes are only read, never touched.
func sampleProviders(root int, stop <-chan struct{}) map[int]int64 {
	peaks := map[int]int64{}
	tick := time.NewTicker(sampleEvery)
	defer tick.Stop()
	for {
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil || !isProvider(pid) || !descendsFrom(pid, root) {
				continue
			}
			if kb := vmHWM(pid); kb > peaks[pid] {
				peaks[pid] = kb
			}
		}
		select {
		case <-stop:
			return peaks
		case <-tick.C:
		}
	}
}

func isProvider(pid int) bool {
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	return err == nil && filepath.Base(strings.TrimSuffix(exe, " (deleted)")) == providerBinary
}

func descendsFrom(pid, root int) bool {
	for range 64 {
		pid = parentPID(pid)
		if pid == root {
			return true
		}
		if pid <= 1 {
			return false
		}
	}
	return false
}

// parentPID reads the fourth field of /proc/<pid>/stat; the second, the
// command name in parentheses, may itself hold spaces and parentheses.
func parentPID(pid int) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	i := bytes.LastIndexByte(data, ')')
	if err != nil || i < 0 {
		return 0
	}
	fields := strings.Fields(string(data[i+1:])) // state, ppid, ...
	if len(fields) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(fields[1])
	return ppid
}

// vmHWM is the process's peak resident set size in kB, 0 if unknown.
func vmHWM(pid int) int64 {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb
		}
	}
	return 0
}
