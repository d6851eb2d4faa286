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
