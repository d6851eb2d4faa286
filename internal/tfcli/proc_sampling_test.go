package tfcli

import (
	"os"
	"testing"
)

// statusText is the memory part of a provider's /proc/<pid>/status.
const statusText = `Name:	terraform-provi
VmPeak:	 1871240 kB
VmSize:	 1871240 kB
VmLck:	       0 kB
VmHWM:	   61624 kB
VmRSS:	   58000 kB
RssAnon:	   21000 kB
RssFile:	   36900 kB
RssShmem:	     100 kB
VmData:	  120000 kB
Threads:	12
`

func TestParseStatus(t *testing.T) {
	got := parseStatus([]byte(statusText))
	want := procStatus{hwm: 61624, rss: 58000, anon: 21000, file: 36900, shmem: 100}
	if got != want {
		t.Errorf("parseStatus = %+v, want %+v", got, want)
	}
	if got := parseStatus(nil); got != (procStatus{}) {
		t.Errorf("parseStatus(nil) = %+v, want zeros", got)
	}
}

// The kernel sums VmRSS from the three parts in one read, so they add up
// exactly: the breakdown accounts for the whole resident set.
func TestParseStatusOfThisProcessAddsUp(t *testing.T) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc:", err)
	}
	s := parseStatus(data)
	if s.hwm <= 0 || s.rss <= 0 || s.anon <= 0 || s.file <= 0 {
		t.Fatalf("parseStatus(/proc/self/status) = %+v, want positive figures\n%s", s, data)
	}
	if s.anon+s.file+s.shmem != s.rss || s.rss > s.hwm {
		t.Errorf("RssAnon %d + RssFile %d + RssShmem %d != VmRSS %d, or VmRSS > VmHWM %d", s.anon, s.file, s.shmem, s.rss, s.hwm)
	}
}

func TestUpdateKeepsPeakAndLargestSample(t *testing.T) {
	var m ProcMemory
	for _, s := range []procStatus{
		{hwm: 30000, rss: 30000, anon: 10000, file: 20000},
		{hwm: 50000, rss: 48000, anon: 20000, file: 27000, shmem: 1000}, // the largest sampled RSS
		{hwm: 50000, rss: 40000, anon: 12000, file: 28000},
	} {
		m.update(s)
	}
	want := ProcMemory{HWMKB: 50000, RSSKB: 48000, AnonKB: 20000, FileKB: 27000, ShmemKB: 1000}
	if m != want {
		t.Errorf("after three samples: %+v, want %+v", m, want)
	}
}

func TestProviderPeakIsTheProcessWithTheLargestHWM(t *testing.T) {
	r := Result{
		ProviderPeakKB: map[int]int64{10: 40960, 11: 51200},
		ProviderMemory: map[int]ProcMemory{
			10: {HWMKB: 40960, RSSKB: 40960, AnonKB: 30720, FileKB: 10240},
			11: {HWMKB: 51200, RSSKB: 50176, AnonKB: 10240, FileKB: 39936},
		},
	}
	if got := r.ProviderPeakMB(); got != 50 {
		t.Errorf("ProviderPeakMB = %v, want 50", got)
	}
	if anon, file := r.ProviderPeakAnonMB(), r.ProviderPeakFileMB(); anon != 10 || file != 39 {
		t.Errorf("anon %v MB, file %v MB, want process 11's 10 and 39", anon, file)
	}
	if got := (Result{}).ProviderPeak(); got != (ProcMemory{}) {
		t.Errorf("ProviderPeak without providers = %+v, want zero", got)
	}
}
