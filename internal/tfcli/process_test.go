package tfcli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// parentScript plays terraform with one provider: a child that ignores
// SIGINT (as sh starts background jobs), which the parent stops on SIGINT
// as terraform stops its providers.
const parentScript = `trap 'echo interrupted; kill $child; exit 130' INT
sleep 30 >/dev/null 2>&1 &
child=$!
echo "child $child"
wait $child
`

// fakeTerraform is a Terraform whose Bin is a shell script. The tests do
// not run in parallel: a fork while another test writes its script would
// make the exec fail with ETXTBSY.
func fakeTerraform(t *testing.T, script string) *Terraform {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "terraform")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"+script), 0o700); err != nil {
		t.Fatal(err)
	}
	return &Terraform{Bin: bin, Dir: dir, Env: os.Environ()}
}

// startParent starts parentScript and returns it with its child's PID.
func startParent(t *testing.T, ctx context.Context) (*Process, int) {
	t.Helper()
	p, err := fakeTerraform(t, parentScript).Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Kill() })
	childLine := regexp.MustCompile(`child (\d+)\n`)
	var m []string
	waitUntil(t, "the script to print its child's PID", func() bool {
		m = childLine.FindStringSubmatch(string(p.Output()))
		return m != nil
	})
	child, _ := strconv.Atoi(m[1])
	return p, child
}

// gone reports whether pid has ended: no longer in /proc, or a zombie that
// only waits to be reaped (PID 1 here need not reap orphans promptly).
func gone(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	i := bytes.LastIndexByte(data, ')')
	return i >= 0 && strings.HasPrefix(string(data[i+1:]), " Z")
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestInterruptStopsTerraformGracefully(t *testing.T) {
	p, child := startParent(t, context.Background())
	if err := p.Interrupt(); err != nil {
		t.Fatal(err)
	}
	r, err := p.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if r.ExitCode != 130 {
		t.Errorf("exit code %d, want the trap's 130\n%s", r.ExitCode, r.Output)
	}
	if !bytes.Contains(r.Output, []byte("interrupted")) || !bytes.Equal(r.Output, p.Output()) {
		t.Errorf("Result.Output %q, Output() %q: want both to hold the trap's line", r.Output, p.Output())
	}
	waitUntil(t, "the child to end", func() bool { return gone(child) })
	if err := p.Interrupt(); !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("Interrupt after exit: %v, want os.ErrProcessDone", err)
	}
}

func TestKillEndsTheWholeGroupAtOnce(t *testing.T) {
	p, child := startParent(t, context.Background())
	if err := p.Kill(); err != nil {
		t.Fatal(err)
	}
	// Before Wait: the child dies of the group's SIGKILL, not of a clean-up.
	waitUntil(t, "the child to die", func() bool { return gone(child) })
	r, err := p.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if r.ExitCode != -1 {
		t.Errorf("exit code %d, want -1 (killed by a signal)", r.ExitCode)
	}
	if bytes.Contains(r.Output, []byte("interrupted")) {
		t.Errorf("the script's trap ran; SIGKILL cannot be trapped:\n%s", r.Output)
	}
	if !gone(p.PID()) {
		t.Errorf("terraform (PID %d) still runs", p.PID())
	}
	if err := p.Kill(); !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("Kill after exit: %v, want os.ErrProcessDone", err)
	}
}

func TestContextEndKillsTheGroup(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p, child := startParent(t, ctx)
	cancel()
	r, err := p.Wait()
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Wait: %v, want context.Canceled", err)
	}
	if r.ExitCode != -1 {
		t.Errorf("exit code %d, want -1 (killed by a signal)", r.ExitCode)
	}
	waitUntil(t, "the child to die", func() bool { return gone(child) })
}

func TestRunReportsExitCodeAndOutput(t *testing.T) {
	tf := fakeTerraform(t, `echo "args $*, FOO=$FOO"; echo oops >&2; exit 3`)
	tf.Setenv("FOO=first", "FOO=last")
	r, err := tf.Run(context.Background(), "plan", "-input=false")
	if err != nil {
		t.Fatal(err)
	}
	if r.ExitCode != 3 {
		t.Errorf("exit code %d, want 3", r.ExitCode)
	}
	if want := "args plan -input=false, FOO=last\noops\n"; string(r.Output) != want {
		t.Errorf("output %q, want %q", r.Output, want)
	}
	if len(r.ProviderPeakKB) != 0 || len(r.ProviderMemory) != 0 {
		t.Errorf("provider peaks %v, memory %v of a command that started no provider", r.ProviderPeakKB, r.ProviderMemory)
	}
}

func TestHasResources(t *testing.T) {
	tf := &Terraform{Dir: t.TempDir()}
	for _, c := range []struct {
		state string // "" for no state file
		want  bool
	}{
		{"", false},
		{`{"version": 4, "resources": []}`, false},
		{`{"version": 4, "resources": [{"type": "engflow_privatelink_endpoint"}]}`, true},
		{`{"version": 4, "resou`, true}, // unreadable: may hold some
	} {
		if c.state != "" {
			tf.WriteFile(t, "terraform.tfstate", []byte(c.state))
		}
		if got := tf.HasResources(); got != c.want {
			t.Errorf("state %q: HasResources() = %v, want %v", c.state, got, c.want)
		}
	}
}

func TestKillAloneLeavesTheChildToEndByItself(t *testing.T) {
	p, child := startParent(t, context.Background())
	if err := p.KillAlone(); err != nil {
		t.Fatal(err)
	}
	r, err := p.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if r.ExitCode != -1 || bytes.Contains(r.Output, []byte("interrupted")) {
		t.Errorf("exit code %d, want -1 and no trap:\n%s", r.ExitCode, r.Output)
	}
	// The child (sleep 30) outlives its parent: KillAlone did not touch it.
	if gone(child) {
		t.Fatalf("the child %d died with terraform; KillAlone must signal terraform only", child)
	}
	err = p.AwaitOrphans(200 * time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), strconv.Itoa(child)) {
		t.Errorf("AwaitOrphans: %v, want an error naming the child %d that still ran", err, child)
	}
	waitUntil(t, "AwaitOrphans to have killed the child", func() bool { return gone(child) })
	if err := p.AwaitOrphans(time.Second); err != nil {
		t.Errorf("AwaitOrphans once the child is gone: %v", err)
	}
}
