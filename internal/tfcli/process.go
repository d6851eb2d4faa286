package tfcli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// waitDelay bounds how long Wait waits for the output pipe after
// terraform exits, in case a process that left its group still holds it.
const waitDelay = 5 * time.Second

// Process is a terraform command started by Start. Its process group holds
// terraform and the providers it starts, and nothing else, so Interrupt and
// Kill reach them all as a terminal's Ctrl-C or a lost CI machine would.
type Process struct {
	cmd   *exec.Cmd
	ctx   context.Context
	args  []string
	start time.Time
	out   acctest.SyncBuffer

	// mu orders signals before the reaping of terraform: while terraform
	// is unreaped (running or a zombie) its PID, our PGID, cannot be reused
	// by another process group, so signals never reach a stranger.
	mu       sync.Mutex
	exited   bool     // terraform has exited; about to be reaped
	canceled bool     // ctx ended first and the group was killed
	orphans  []orphan // what KillAlone left running

	done   chan struct{}
	result Result
	err    error
}

// Start starts one terraform command in a new process group and samples
// its provider processes until it exits. If ctx ends before terraform
// exits, the whole group is killed (no provider is left behind).
func (tf *Terraform) Start(ctx context.Context, args ...string) (*Process, error) {
	p := &Process{ctx: ctx, args: args, done: make(chan struct{})}
	cmd := exec.CommandContext(ctx, tf.Bin, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = tf.Dir, tf.Env, &p.out, &p.out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		err := p.signal(syscall.SIGKILL)
		if err == nil {
			p.mu.Lock()
			p.canceled = true
			p.mu.Unlock()
		}
		return err
	}
	cmd.WaitDelay = waitDelay
	p.cmd = cmd
	p.start = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop, peaks := make(chan struct{}), make(chan map[int]ProcMemory)
	go func() { peaks <- sampleProviders(cmd.Process.Pid, stop) }()
	go p.wait(stop, peaks)
	return p, nil
}

// PID is terraform's process ID, also the ID of its process group.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Interrupt sends SIGINT to terraform and its providers, as Ctrl-C in a
// terminal or a CI runner's cancel does: terraform then stops gracefully.
// It returns os.ErrProcessDone once terraform has exited.
func (p *Process) Interrupt() error { return p.signal(syscall.SIGINT) }

// Kill sends SIGKILL to terraform and its providers at once, as when the
// CI machine goes away: nobody gets to clean up or write state. It returns
// os.ErrProcessDone once terraform has exited.
func (p *Process) Kill() error { return p.signal(syscall.SIGKILL) }

// Exited reports whether terraform has ended and Wait would not block.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Output is a copy of what terraform has written so far; safe to call
// while it runs.
func (p *Process) Output() []byte { return p.out.Bytes() }

// Wait waits for terraform to exit and returns what it did. A non-zero
// exit, or death by a signal (ExitCode -1), is in the Result, not an
// error; the error is for a failure to run it, or ctx ending first. Wait
// may be called more than once.
func (p *Process) Wait() (Result, error) {
	<-p.done
	return p.result, p.err
}

// signal signals the process group, only while terraform is unreaped.
func (p *Process) signal(sig syscall.Signal) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.exited {
		return os.ErrProcessDone
	}
	return syscall.Kill(-p.cmd.Process.Pid, sig)
}

func (p *Process) wait(stop chan<- struct{}, peaks <-chan map[int]ProcMemory) {
	pid := p.cmd.Process.Pid
	// Learn of the exit without reaping, so that no signal can be under
	// way when the PGID is given up. Nothing is killed here: terraform
	// stops its providers itself, and a test may check that it did.
	var info unix.Siginfo
	for unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil) == unix.EINTR {
	}
	p.mu.Lock()
	p.exited = true
	p.mu.Unlock()

	err := p.cmd.Wait()
	r := Result{Wall: time.Since(p.start), Output: p.out.Bytes()}
	close(stop)
	r.ProviderMemory = <-peaks
	r.ProviderPeakKB = make(map[int]int64, len(r.ProviderMemory))
	for pid, m := range r.ProviderMemory {
		r.ProviderPeakKB[pid] = m.HWMKB
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		r.ExitCode, err = exit.ExitCode(), nil
	}
	p.mu.Lock()
	canceled := p.canceled
	p.mu.Unlock()
	if canceled {
		err = fmt.Errorf("terraform %s killed: %w", strings.Join(p.args, " "), context.Cause(p.ctx))
	}
	p.result, p.err = r, err
	close(p.done)
}
