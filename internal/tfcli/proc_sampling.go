package tfcli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// sampleEvery is how often /proc is read while terraform runs.
const sampleEvery = 50 * time.Millisecond

// sampleProviders reads /proc every sampleEvery until stop closes and
// returns the VmHWM (kB) of every terraform-provider-engflow process
// descended from root, by PID. The kernel keeps only the peak of a live
// process, so it has to be read before the provider exits. Other processes
// are only read, never touched.
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
	return err == nil && filepath.Base(strings.TrimSuffix(exe, " (deleted)")) == ProviderBinary
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
