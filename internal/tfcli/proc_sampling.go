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
// returns the memory of every terraform-provider-engflow process descended
// from root, by PID. The kernel keeps only the peak of a live process, so
// it has to be read before the provider exits. Other processes are only
// read, never touched.
func sampleProviders(root int, stop <-chan struct{}) map[int]ProcMemory {
	peaks := map[int]ProcMemory{}
	tick := time.NewTicker(sampleEvery)
	defer tick.Stop()
	for {
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil || !isProvider(pid) || !descendsFrom(pid, root) {
				continue
			}
			data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
			s := parseStatus(data)
			if s.hwm == 0 {
				continue // gone, or a zombie that has no memory left
			}
			m := peaks[pid]
			m.update(s)
			peaks[pid] = m
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

// procStatus is one reading of the memory lines of /proc/<pid>/status, in
// kB; 0 where a line is missing.
type procStatus struct {
	hwm, rss, anon, file, shmem int64
}

// parseStatus reads VmHWM, VmRSS, RssAnon, RssFile and RssShmem from the
// text of /proc/<pid>/status.
func parseStatus(data []byte) procStatus {
	var s procStatus
	fields := map[string]*int64{"VmHWM": &s.hwm, "VmRSS": &s.rss, "RssAnon": &s.anon, "RssFile": &s.file, "RssShmem": &s.shmem}
	for line := range strings.Lines(string(data)) {
		key, rest, ok := strings.Cut(line, ":")
		if p := fields[key]; ok && p != nil {
			*p, _ = strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return s
}

// update folds one reading into m: the kernel's peak, and the split of
// the largest resident set sampled so far.
func (m *ProcMemory) update(s procStatus) {
	m.HWMKB = max(m.HWMKB, s.hwm)
	if s.rss > m.RSSKB {
		m.RSSKB, m.AnonKB, m.FileKB, m.ShmemKB = s.rss, s.anon, s.file, s.shmem
	}
}
