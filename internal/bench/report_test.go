package bench

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
	"github.com/engflow/terraform-provider-engflow/internal/awsclient"
	"github.com/engflow/terraform-provider-engflow/internal/tfcli"
)

// EnvBenchReport names the file the figures are written to (make bench
// sets it), so that runs can be compared.
const EnvBenchReport = "ENGFLOW_BENCH_REPORT"

// The performance rules: a run that misses one fails. Calls and memory
// are held to their targets (memory at Terraform's default parallelism;
// the long cases' figures are reported); the machines are shared and
// noisy, so a wait is held only to its target plus noticeNoise, and its
// figure reported.
var (
	targetCallsPerNewEndpoint = map[string]float64{"N=1": 18, "N=100": 10}
	targetRefreshCalls        = 0.5 // at N=100
	targetPeakMB              = 70.0
	noticeNoise               = 2 * time.Second
)

// figures gathers what the benchmarks measured, for the report.
var figures = struct {
	sync.Mutex
	// calls[command][column][action] is EC2 calls per endpoint.
	calls   map[string]map[string]map[string]float64
	peakMB  map[string]memoryFigure // by column: the largest provider peak
	columns []string
	notices []noticeFigure
}{calls: map[string]map[string]map[string]float64{}, peakMB: map[string]memoryFigure{}}

// memoryFigure is a provider process's peak (VmHWM) and what its largest
// sampled resident set was made of.
type memoryFigure struct{ peak, anon, file float64 }

type noticeFigure struct {
	wait, overshoot time.Duration
}

// recordCalls notes the provider's EC2 calls of one command per endpoint.
func recordCalls(column, command string, cs acctest.Calls, endpoints int) {
	figures.Lock()
	defer figures.Unlock()
	if !slices.Contains(figures.columns, column) {
		figures.columns = append(figures.columns, column)
	}
	if figures.calls[command] == nil {
		figures.calls[command] = map[string]map[string]float64{}
	}
	byAction := map[string]float64{}
	for _, c := range cs.FromProvider("ec2") {
		byAction[c.Action] += 1 / float64(endpoints)
	}
	figures.calls[command][column] = byAction
}

// recordPeak notes the peak of the command whose provider peaked highest.
func recordPeak(column string, r tfcli.Result) {
	figures.Lock()
	defer figures.Unlock()
	if m := r.ProviderPeakMB(); m > figures.peakMB[column].peak {
		figures.peakMB[column] = memoryFigure{m, r.ProviderPeakAnonMB(), r.ProviderPeakFileMB()}
	}
}

func recordNotice(wait, overshoot time.Duration) {
	figures.Lock()
	defer figures.Unlock()
	figures.notices = append(figures.notices, noticeFigure{wait, overshoot})
}

// commands in the order the report shows them, with what each measures.
var commands = []struct{ name, title string }{
	{"apply", "terraform apply: plan and create N new endpoints, one per VPC (plan-time checks included)"},
	{"plan", "terraform plan: refresh N endpoints, nothing to change"},
	{"destroy", "terraform destroy: delete N endpoints and wait for their network interfaces"},
}

// writeReport writes the figures as Markdown tables: calls per endpoint by
// action for each command and N, the provider's peak memory, and the
// targets met or missed. It returns the rules missed.
func writeReport(w io.Writer) (missed []string) {
	figures.Lock()
	defer figures.Unlock()
	if len(figures.columns) == 0 && len(figures.notices) == 0 {
		return nil
	}
	fmt.Fprintf(w, "# make bench, %s\n\nEC2 calls of the provider per endpoint, by action, from the emulator's request log (realism on).\n",
		time.Now().UTC().Format(time.RFC3339))
	header := "| action | " + strings.Join(figures.columns, " | ") + " |\n|---|" + strings.Repeat("---:|", len(figures.columns)) + "\n"
	for _, c := range commands {
		byColumn := figures.calls[c.name]
		if len(byColumn) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n## %s\n\n%s", c.title, header)
		actions := map[string]float64{}
		for _, byAction := range byColumn {
			for a, v := range byAction {
				actions[a] += v
			}
		}
		for _, a := range slices.SortedFunc(maps.Keys(actions), func(x, y string) int {
			return cmp.Or(cmp.Compare(actions[y], actions[x]), strings.Compare(x, y))
		}) {
			row := []string{a}
			for _, col := range figures.columns {
				row = append(row, fmt.Sprintf("%.2f", byColumn[col][a]))
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
		}
		row := []string{"**total**"}
		for _, col := range figures.columns {
			row = append(row, fmt.Sprintf("**%.2f**", total(byColumn[col])))
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
	if len(figures.peakMB) > 0 {
		fmt.Fprintf(w, "\n## Provider peak resident memory (MB)\n\n| | %s |\n|---|%s\n", strings.Join(figures.columns, " | "), strings.Repeat("---:|", len(figures.columns)))
		for _, row := range []struct {
			name string
			of   func(memoryFigure) float64
		}{
			{"peak (VmHWM)", func(m memoryFigure) float64 { return m.peak }},
			{"of the largest sample: anonymous (heap, stacks, runtime)", func(m memoryFigure) float64 { return m.anon }},
			{"of the largest sample: file-backed (the mapped binary)", func(m memoryFigure) float64 { return m.file }},
		} {
			fmt.Fprintf(w, "| %s |", row.name)
			for _, col := range figures.columns {
				fmt.Fprintf(w, " %.1f |", row.of(figures.peakMB[col]))
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "\n## Targets\n\n| target | measured | |\n|---|---:|---|\n")
	rule := func(what string, measured float64, met bool) {
		targetRow(w, what, measured, met)
		if !met {
			missed = append(missed, fmt.Sprintf("%s: %.2f", what, measured))
		}
	}
	for _, col := range []string{"N=1", "N=100"} {
		if apply, ok := figures.calls["apply"][col]; ok {
			most := targetCallsPerNewEndpoint[col]
			rule(fmt.Sprintf("EC2 calls per new endpoint at %s <= %.0f", col, most), total(apply), total(apply) <= most)
		}
	}
	if refresh, ok := figures.calls["plan"]["N=100"]; ok {
		rule(fmt.Sprintf("EC2 calls per endpoint to refresh at N=100 <= %.1f", targetRefreshCalls), total(refresh), total(refresh) <= targetRefreshCalls)
	}
	for _, col := range figures.columns {
		m, ok := figures.peakMB[col]
		switch {
		case !ok:
		case strings.HasPrefix(col, longCreate):
			// Not the rule's case: these run their hundred creates at once (-parallelism=100).
			fmt.Fprintf(w, "| provider peak resident memory at %s (MB) | %.2f | reported |\n", col, m.peak)
		default:
			rule(fmt.Sprintf("provider peak resident memory at %s < %.0f MB", col, targetPeakMB), m.peak, m.peak < targetPeakMB)
		}
	}
	for _, n := range figures.notices {
		allowed := n.wait/10 + time.Second
		targetRow(w, fmt.Sprintf("available after %v noticed within %v (s)", n.wait, allowed), n.overshoot.Seconds(), n.overshoot <= allowed)
		if n.overshoot > allowed+noticeNoise {
			missed = append(missed, fmt.Sprintf("available after %v noticed %.2f s late, beyond %v and %v of noise", n.wait, n.overshoot.Seconds(), allowed, noticeNoise))
		}
	}
	for _, col := range figures.columns {
		if apply, ok := figures.calls["apply"][col]; ok && strings.HasPrefix(col, longCreate) {
			fmt.Fprintf(w, "| %s: EC2 calls per new endpoint, of which not DescribeVpcEndpoints | %.2f, %.2f | reported |\n",
				col, total(apply), total(apply)-apply["DescribeVpcEndpoints"])
		}
	}
	return missed
}

func targetRow(w io.Writer, what string, measured float64, met bool) {
	verdict := "met"
	if !met {
		verdict = "**missed**"
	}
	fmt.Fprintf(w, "| %s | %.2f | %s |\n", what, measured, verdict)
}

func total(byAction map[string]float64) float64 {
	t := 0.0
	for _, v := range byAction {
		t += v
	}
	return t
}

// emitReport prints the report and writes it to EnvBenchReport's file. It
// returns the rules missed.
func emitReport() ([]string, error) {
	var b strings.Builder
	missed := writeReport(&b)
	if b.Len() == 0 {
		return nil, nil
	}
	fmt.Fprint(os.Stderr, "\n", b.String())
	if path := os.Getenv(EnvBenchReport); path != "" {
		return missed, os.WriteFile(path, []byte(b.String()), 0o644)
	}
	return missed, nil
}

// The report shows each command's calls per endpoint by action and in
// total, and says which targets were met.
func TestWriteReport(t *testing.T) {
	saved := figures.calls
	t.Cleanup(func() {
		figures.calls, figures.columns, figures.peakMB, figures.notices = saved, nil, map[string]memoryFigure{}, nil
	})
	figures.calls = map[string]map[string]map[string]float64{}
	calls := func(actions ...string) acctest.Calls {
		var cs acctest.Calls
		for _, a := range actions {
			cs = append(cs, acctest.APIRequest{Service: "ec2", Action: a, UserAgent: "aws-sdk-go-v2/1 app/" + awsclient.AppID})
		}
		return cs
	}
	recordCalls(longCreate+"N=1", "apply", calls("CreateVpcEndpoint", "DescribeVpcEndpoints", "DescribeVpcEndpoints", "DeleteTags"), 1)
	recordCalls("N=100", "apply", calls(slices.Repeat([]string{"CreateVpcEndpoint", "DescribeVpcAttribute", "DescribeVpcAttribute"}, 100)...), 100)
	recordCalls("N=100", "plan", calls(slices.Repeat([]string{"DescribeVpcEndpoints"}, 51)...), 100)
	recordCalls("N=1", "apply", calls(slices.Repeat([]string{"DescribeVpcEndpoints"}, 19)...), 1)
	figures.peakMB["N=100"] = memoryFigure{peak: 39.5, anon: 12, file: 27}
	figures.peakMB["N=1"] = memoryFigure{peak: 70.5}
	recordNotice(3*time.Second, 2*time.Second)  // late, but within the noise allowed
	recordNotice(12*time.Second, 5*time.Second) // beyond it

	var b strings.Builder
	missed := writeReport(&b)
	report := b.String()
	for _, want := range []string{
		"| DescribeVpcAttribute | 0.00 | 2.00 | 0.00 |\n| CreateVpcEndpoint | 1.00 | 1.00 | 0.00 |",
		"| **total** | **4.00** | **3.00** | **19.00** |",
		"| create-1m,N=1: EC2 calls per new endpoint, of which not DescribeVpcEndpoints | 4.00, 2.00 | reported |",
		"| EC2 calls per new endpoint at N=1 <= 18 | 19.00 | **missed** |",
		"| EC2 calls per new endpoint at N=100 <= 10 | 3.00 | met |",
		"| EC2 calls per endpoint to refresh at N=100 <= 0.5 | 0.51 | **missed** |",
		"| provider peak resident memory at N=1 < 70 MB | 70.50 | **missed** |",
		"| peak (VmHWM) | 0.0 | 39.5 | 70.5 |\n| of the largest sample: anonymous (heap, stacks, runtime) | 0.0 | 12.0 | 0.0 |\n| of the largest sample: file-backed (the mapped binary) | 0.0 | 27.0 | 0.0 |",
		"| available after 3s noticed within 1.3s (s) | 2.00 | **missed** |",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	// The run fails on exactly these: calls, memory, and a wait beyond the noise allowed.
	want := []string{"EC2 calls per new endpoint at N=1 <= 18: 19.00", "EC2 calls per endpoint to refresh at N=100 <= 0.5: 0.51",
		"provider peak resident memory at N=1 < 70 MB: 70.50", "available after 12s noticed 5.00 s late, beyond 2.2s and 2s of noise"}
	if !slices.Equal(missed, want) {
		t.Errorf("missed %q, want %q", missed, want)
	}
}
