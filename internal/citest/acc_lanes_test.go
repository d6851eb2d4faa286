package citest

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// fakeGo is a go command that records each `go test` (its arguments, NUL
// separated, after the tier it was started for) and passes every other
// command to the real go. It fails the lanes whose arguments include
// $FAIL_ARG.
const fakeGo = `#!/usr/bin/env bash
# go test -c: the compile-first step, which runs no test (no lane).
if [ "$1" = test ] && [ "$2" = -c ]; then exit 0; fi
if [ "$1" = test ]; then
  shift
  printf '%s\0' "$TIER" "$@" >"$(mktemp "$LANES_LOG/lane.XXXXXX")"
  for a in "$@"; do
    if [ -n "${FAIL_ARG:-}" ] && [ "$a" = "$FAIL_ARG" ]; then echo "--- FAIL: the lane of $a"; exit 1; fi
  done
  echo "ok (fake) $*"
  exit 0
fi
exec "$REAL_GO" "$@"
`

// lane is one go test run that .ci/acc-lanes started.
type lane struct {
	tier      string
	packages  []string // import paths
	run, skip *regexp.Regexp
}

// selects says whether go test -run/-skip pick the top-level test name.
func (l lane) selects(pkg, name string) bool {
	for _, p := range l.packages {
		if p == pkg {
			return l.run.MatchString(name) && (l.skip == nil || !l.skip.MatchString(name))
		}
	}
	return false
}

func module(t *testing.T) string {
	t.Helper()
	return strings.TrimSpace(mustRun(t, repoRoot(t), []string{"GOFLAGS="}, "go", "list", "-m"))
}

// lanesOfMake runs make testacc's and make testacc-full's .ci/acc-lanes
// with the fake go (make's extra arguments, such as variables, appended)
// and returns the lanes they started.
func lanesOfMake(t *testing.T, env []string, makeArgs ...string) ([]lane, result) {
	t.Helper()
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	dir := t.TempDir()
	fake := filepath.Join(dir, "go")
	writeFile(t, fake, []byte(fakeGo), 0o755)
	logDir := filepath.Join(dir, "log")
	if err := os.Mkdir(logDir, 0o755); err != nil {
		t.Fatal(err)
	}
	// The same arguments as the targets' recipes, without their emulator
	// (a goal of its own, so that make sets up no Python for it).
	recipe := "TIER=fast GO=$(GO) bash .ci/acc-lanes $(TESTACC_LANES) -- && TIER=slow GO=$(GO) bash .ci/acc-lanes $(TESTACC_FULL_LANES) --"
	args := append([]string{"-s", "--no-print-directory", "--eval", "citest-lanes: ; " + recipe, "citest-lanes", "GO=" + fake}, makeArgs...)
	env = append(env, "REAL_GO="+realGo, "LANES_LOG="+logDir)
	r := run(t, repoRoot(t), env, "make", args...)

	logs, err := filepath.Glob(filepath.Join(logDir, "lane.*"))
	if err != nil {
		t.Fatal(err)
	}
	var lanes []lane
	for _, log := range logs {
		data, err := os.ReadFile(log)
		if err != nil {
			t.Fatal(err)
		}
		lanes = append(lanes, parseLane(t, module(t), strings.Split(strings.TrimSuffix(string(data), "\x00"), "\x00")))
	}
	return lanes, r
}

// parseLane reads "TIER [-p N] PACKAGE... -run RE -skip RE FLAGS...".
func parseLane(t *testing.T, module string, args []string) lane {
	t.Helper()
	l := lane{tier: args[0]}
	compile := func(re string) *regexp.Regexp {
		if strings.Contains(re, "/") {
			t.Fatalf("%q: a / makes go test match subtests, which this check does not model", re)
		}
		return regexp.MustCompile(re)
	}
	for i := 1; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-p":
			i++
		case a == "-run":
			i++
			l.run = compile(args[i])
		case a == "-skip":
			i++
			if args[i] != "" {
				l.skip = compile(args[i])
			}
		case l.run == nil && !strings.HasPrefix(a, "-"):
			if rel, ok := strings.CutPrefix(a, "./"); ok {
				a = module + "/" + rel
			}
			l.packages = append(l.packages, a)
		}
	}
	if l.run == nil || len(l.packages) == 0 {
		t.Fatalf("lane without -run or packages: %q", args)
	}
	return l
}

// repoTests maps each package's import path to its top-level test
// functions, read from its _test.go files.
func repoTests(t *testing.T) map[string][]string {
	t.Helper()
	out := mustRun(t, repoRoot(t), []string{"GOFLAGS="}, "go", "list", "-f", "{{.ImportPath}} {{.Dir}}", "./...")
	tests := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		pkg, dir, _ := strings.Cut(line, " ")
		files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range parsed.Decls {
				if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "Test") && fn.Name.Name != "TestMain" {
					tests[pkg] = append(tests[pkg], fn.Name.Name)
				}
			}
		}
	}
	return tests
}

// Together, make testacc and make testacc-full run every acceptance test
// of the repository exactly once and no unit test; the slow tier holds the
// load, interrupt and ownership tests. With OpenTofu's settings, only the
// tests that drive the CLI run, and the load test does not.
func TestLanes_everyAcceptanceTestOnce(t *testing.T) {
	t.Parallel()
	tests := repoTests(t)
	for _, c := range []struct {
		name     string
		makeArgs []string
		want     *regexp.Regexp // the acceptance tests that must run
		unwanted *regexp.Regexp // of those, the ones that must not
	}{
		{"terraform", nil, regexp.MustCompile(`^(TestAcc|TestEmulator)`), nil},
		// As TF=tofu-... sets them, without building OpenTofu.
		{"tofu", []string{"ACC_TESTS=^TestAcc", "ACC_SKIP=$(TOFU_SKIP)"}, regexp.MustCompile(`^TestAcc`), tofuSkip(t)},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			lanes, r := lanesOfMake(t, nil, c.makeArgs...)
			if r.code != 0 {
				t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			tierOf := map[string]string{}
			checked := 0
			for pkg, names := range tests {
				for _, name := range names {
					var in []string
					for _, l := range lanes {
						if l.selects(pkg, name) {
							in = append(in, l.tier)
						}
					}
					wanted := c.want.MatchString(name) && (c.unwanted == nil || !c.unwanted.MatchString(name))
					switch {
					case wanted && len(in) != 1:
						t.Errorf("%s.%s runs in %d lanes %v, want 1", pkg, name, len(in), in)
					case !wanted && len(in) != 0:
						t.Errorf("%s.%s runs in lanes %v, want none", pkg, name, in)
					case wanted:
						tierOf[name] = in[0]
						checked++
					}
				}
			}
			if checked < 50 {
				t.Errorf("only %d acceptance tests found; is the repository's layout what this test expects?", checked)
			}
			for name, tier := range map[string]string{
				"TestAccInterrupted_createWait": "slow", "TestAccOwnership_concurrentRuns": "slow",
				"TestAccEndpoint_basic": "fast", "TestAccSecrets_notInLogsOrDiagnostics": "fast",
				"TestAccExamples_sharedDNS": "slow", "TestAccModule_hubAndSpokes": "slow",
				"TestAccSharedDNS_hubAndTwoSpokes": "fast", "TestAccEndpoint_fixedIPs": "fast",
			} {
				if tierOf[name] != tier {
					t.Errorf("%s is in the %q tier, want %q", name, tierOf[name], tier)
				}
			}
		})
	}
}

// tofuSkip is the GNUmakefile's TOFU_SKIP: the provider-only tests that
// OpenTofu's runs leave to Terraform's. It must leave out the load and
// fault tests, and keep the ones that drive the CLI's own features.
func tofuSkip(t *testing.T) *regexp.Regexp {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "GNUmakefile"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^TOFU_SKIP\s*:=\s*(.+)$`).FindSubmatch(data)
	if m == nil {
		t.Fatal("no TOFU_SKIP := line in the GNUmakefile")
	}
	skip := regexp.MustCompile(string(m[1]))
	for _, name := range []string{"TestAccLoad_hundredEndpoints", "TestAccEndpoint_throttled", "TestAccProvider_httpProxy"} {
		if !skip.MatchString(name) {
			t.Errorf("TOFU_SKIP keeps %s, a test of the provider alone", name)
		}
	}
	for _, name := range []string{"TestAccEndpoint_basic", "TestAccEndpoint_identity", "TestAccInterrupted_createWait",
		"TestAccSharedDNS_hubAndTwoSpokes", "TestAccEndpoint_fixedIPs", "TestAccExamples_apply", "TestAccProvider_missingRegion"} {
		if skip.MatchString(name) {
			t.Errorf("TOFU_SKIP leaves out %s, which drives the CLI", name)
		}
	}
	return skip
}

// A failing lane fails the run, after every lane ended, and its output is
// shown.
func TestLanes_failedLaneFailsTheRun(t *testing.T) {
	t.Parallel()
	failing := module(t) + "/internal/acctest"
	lanes, r := lanesOfMake(t, []string{"FAIL_ARG=" + failing})
	if r.code == 0 {
		t.Fatalf("exit 0 with a failing lane\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "--- FAIL: the lane of "+failing) || !strings.Contains(r.stderr, "lanes failed") {
		t.Errorf("the failing lane's output or the summary is missing:\n%s\n%s", r.stdout, r.stderr)
	}
	// make stops after the first recipe line fails: the fast tier's lanes
	// all ran, and only they.
	if n := bytes.Count([]byte(r.stdout), []byte("=== lane ")) / 2; n != len(lanes) || n < 3 {
		t.Errorf("%d lanes reported, %d started", n, len(lanes))
	}
}
