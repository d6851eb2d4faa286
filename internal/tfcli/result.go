package tfcli

import "time"

// Result is what one terraform command did.
type Result struct {
	// ExitCode is terraform's exit status; -1 when a signal ended it
	// (os/exec's convention), whichever signal it was.
	ExitCode int
	Wall     time.Duration
	// Output is stdout and stderr, interleaved as terraform wrote them.
	Output []byte
	// ProviderPeakKB is the VmHWM of each provider process the command
	// started, by PID.
	ProviderPeakKB map[int]int64
	// ProviderMemory is the memory of each provider process the command
	// started, by PID: its VmHWM again, and what its largest sampled
	// resident set was made of.
	ProviderMemory map[int]ProcMemory
}

// ProcMemory is the memory of one process as /proc/<pid>/status reports
// it, in kB. HWMKB is the kernel's peak resident set size (VmHWM), the
// figure the targets are about. The others come from the sample (one
// every 50 ms) with the largest VmRSS: RSSKB = AnonKB + FileKB + ShmemKB.
// AnonKB is private memory (Go heap, stacks, runtime); FileKB is pages
// of mapped files, mostly the provider binary's code and read-only data.
// The sampled RSSKB may miss the very peak, so it can be below HWMKB.
type ProcMemory struct {
	HWMKB, RSSKB, AnonKB, FileKB, ShmemKB int64
}

// ProviderPeakMB is the largest peak resident memory of the command's
// provider processes.
func (r Result) ProviderPeakMB() float64 {
	var peak int64
	for _, kb := range r.ProviderPeakKB {
		peak = max(peak, kb)
	}
	return float64(peak) / 1024
}

// ProviderPeak is the memory of the provider process with the largest
// peak (VmHWM), the one ProviderPeakMB reports; zero without providers.
func (r Result) ProviderPeak() ProcMemory {
	var peak ProcMemory
	for _, m := range r.ProviderMemory {
		if m.HWMKB > peak.HWMKB {
			peak = m
		}
	}
	return peak
}

// ProviderPeakAnonMB is the anonymous part (RssAnon: heap, stacks,
// runtime) of the largest sampled resident set of the provider process
// with the largest peak.
func (r Result) ProviderPeakAnonMB() float64 { return float64(r.ProviderPeak().AnonKB) / 1024 }

// ProviderPeakFileMB is the file-backed part (RssFile: the mapped binary's
// pages) of the largest sampled resident set of the provider process with
// the largest peak.
func (r Result) ProviderPeakFileMB() float64 { return float64(r.ProviderPeak().FileKB) / 1024 }
