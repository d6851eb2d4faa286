package tfcli

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// orphan is a process terraform left running when KillAlone killed it,
// known by its PID and start time, so that a PID the kernel has handed to
// another process since is never mistaken for it.
type orphan struct {
	pid   int
	start string // field 22 of /proc/<pid>/stat, in clock ticks since boot
}

// KillAlone sends SIGKILL to terraform only, not to its process group, as
// the OOM killer or `kill -9 <terraform's PID>` does: its providers live
// on until they notice that terraform is gone, and do whatever a cancelled
// call does meanwhile. AwaitOrphans then waits for them. It returns
// os.ErrProcessDone once terraform has exited.
func (p *Process) KillAlone() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.exited {
		return os.ErrProcessDone
	}
	pid := p.cmd.Process.Pid
	p.orphans = nil
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err == nil && descendsFrom(child, pid) {
			if start, alive := procStart(child); alive {
				p.orphans = append(p.orphans, orphan{child, start})
			}
		}
	}
	return syscall.Kill(pid, syscall.SIGKILL)
}

// AwaitOrphans waits up to timeout for the processes terraform left
// running when KillAlone killed it to end by themselves. Those still
// running then are killed, by PID, and named in the error.
func (p *Process) AwaitOrphans(timeout time.Duration) error {
	p.mu.Lock()
	orphans := p.orphans
	p.mu.Unlock()
	deadline := time.Now().Add(timeout)
	for {
		var running []orphan
		for _, o := range orphans {
			if start, alive := procStart(o.pid); alive && start == o.start {
				running = append(running, o)
			}
		}
		if len(running) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			pids := make([]int, len(running))
			for i, o := range running {
				pids[i] = o.pid
				_ = syscall.Kill(o.pid, syscall.SIGKILL)
			}
			return fmt.Errorf("processes %v still ran %s after terraform was killed; killed them", pids, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// procStart is a process's start time; alive is false once it has ended
// (gone from /proc, or a zombie waiting to be reaped).
func procStart(pid int) (start string, alive bool) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	i := bytes.LastIndexByte(data, ')')
	if err != nil || i < 0 {
		return "", false
	}
	fields := strings.Fields(string(data[i+1:])) // state is field 3, start time field 22
	if len(fields) < 20 || fields[0] == "Z" {
		return "", false
	}
	return fields[19], true
}
