package acctest

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
)

const (
	TargetEmulator = "emulator"
	TargetAWS      = "aws"

	// Environment variables of real-AWS runs (documented in the README).
	EnvTarget        = "ENGFLOW_ACC_TARGET"
	EnvServiceName   = "ENGFLOW_ACC_SERVICE_NAME"
	EnvCreateService = "ENGFLOW_ACC_CREATE_SERVICE"
	// EnvOrdinaryOnly, on real AWS, runs only the tests content with an
	// ordinary service: those that ask for more skip (make
	// testacc-aws-emulated's mode A pass, which the other pass covers).
	EnvOrdinaryOnly = "ENGFLOW_ACC_ORDINARY_ONLY"

	// EmulatorRegion is the Region the emulator-backed tests use.
	EmulatorRegion = "us-east-1"
	// EmulatorSecondRegion is where cross-Region tests put the consumer's
	// VPC (AWS.InRegion) while the service stays in EmulatorRegion.
	EmulatorSecondRegion = "us-west-2"
)

// Target says where acceptance tests run: "emulator" or "aws".
func Target() string {
	if strings.EqualFold(os.Getenv(EnvTarget), TargetAWS) {
		return TargetAWS
	}
	return TargetEmulator
}

// running is the emulator RunTests started for this test binary, if any.
var running *Emulator

// RunTests is the TestMain of every package with acceptance tests. With
// TF_ACC set and the emulator as target it starts one emulator for the
// package, points the AWS SDK at it, runs the tests and stops it by its PID.
func RunTests(m *testing.M) {
	os.Exit(Run(m))
}

// Run is RunTests for a TestMain with work of its own to do afterwards: it
// returns the exit code instead of exiting.
func Run(m *testing.M) int {
	if os.Getenv("TF_ACC") == "" || Target() == TargetAWS {
		return m.Run()
	}
	opts := EmulatorOptions{AvailableAfter: 300 * time.Millisecond, DeleteAfter: 300 * time.Millisecond}
	if os.Getenv("ENGFLOW_EMULATOR_LOG") != "" {
		opts.Log = os.Stderr
	}
	e, err := StartEmulator(context.Background(), opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "acceptance tests need the local EC2 emulator:", err)
		return 1
	}
	defer func() {
		if err := e.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}()
	// Realism stays at its defaults (on); print the seed so that a failing
	// run can be repeated with the same random decisions.
	if seed, err := e.Seed(context.Background()); err == nil {
		fmt.Fprintf(os.Stderr, "acctest: EC2 emulator seed %d (repeat with %s=%d)\n", seed, EnvEmulatorSeed, seed)
	}
	UseEmulatorEnv(e.URL)
	running = e
	return m.Run()
}

// EmulatorEnv is the environment that points the AWS SDK (in tests, in the
// provider and in the demo) at an emulator. AWS_ENDPOINT_URL reaches every
// service (ELBv2 and STS for the fixture); AWS_ENDPOINT_URL_EC2 is the route
// users take for EC2 alone.
func EmulatorEnv(url string) map[string]string {
	return map[string]string{
		"AWS_ENDPOINT_URL":          url,
		"AWS_ENDPOINT_URL_EC2":      url,
		"AWS_ACCESS_KEY_ID":         "test",
		"AWS_SECRET_ACCESS_KEY":     "test",
		"AWS_REGION":                EmulatorRegion,
		"AWS_EC2_METADATA_DISABLED": "true",
	}
}

// SkipUnlessAcceptance skips a test that needs the emulator or AWS when
// TF_ACC is not set, as terraform-plugin-testing does for resource.Test.
func SkipUnlessAcceptance(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make testacc)")
	}
}

// UseEmulatorEnv points this process, and the terraform and provider
// processes it starts, at an emulator, dropping AWS settings of the machine
// that would mix in (a profile, a session token, another Region).
func UseEmulatorEnv(url string) {
	for k, v := range EmulatorEnv(url) {
		os.Setenv(k, v)
	}
	for _, k := range []string{"AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION"} {
		os.Unsetenv(k)
	}
}

// DevOverridesCLIConfig is a Terraform CLI configuration that takes the
// provider under test from providerDir, and any other provider from the
// directory its source address is paired with in more (source, dir, ...),
// instead of the registry, so that plan and apply work without terraform
// init, offline.
func DevOverridesCLIConfig(providerDir string, more ...string) string {
	lines := fmt.Sprintf("    %q = %q\n", "engflow/engflow", providerDir)
	for i := 0; i+1 < len(more); i += 2 {
		lines += fmt.Sprintf("    %q = %q\n", more[i], more[i+1])
	}
	return "provider_installation {\n  dev_overrides {\n" + lines + "  }\n  direct {}\n}\n"
}

// PreCheck fails the test with a list of what is missing to run it.
func PreCheck(t *testing.T) {
	t.Helper()
	SkipUnlessAcceptance(t)
	if Target() == TargetEmulator {
		if running == nil {
			t.Fatal("no EC2 emulator is running: the package's TestMain must call acctest.RunTests, and TF_ACC must be set")
		}
		return
	}
	var missing []string
	if os.Getenv("AWS_REGION") == "" && os.Getenv("AWS_DEFAULT_REGION") == "" {
		missing = append(missing, "AWS_REGION (the Region of the EngFlow service)")
	}
	if cfg, err := config.LoadDefaultConfig(context.Background()); err != nil || cfg.Credentials == nil {
		missing = append(missing, "AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)")
	} else if _, err := cfg.Credentials.Retrieve(context.Background()); err != nil {
		missing = append(missing, "usable AWS credentials ("+err.Error()+")")
	}
	if os.Getenv(EnvServiceName) == "" && os.Getenv(EnvCreateService) == "" {
		missing = append(missing, EnvServiceName+" (an EngFlow endpoint service allowlisted for this account) or "+
			EnvCreateService+"=1 (let the tests create their own endpoint service)")
	}
	if len(missing) > 0 {
		t.Fatalf("acceptance tests against real AWS (%s=aws) need:\n  - %s", EnvTarget, strings.Join(missing, "\n  - "))
	}
}

// RunningEmulator is the emulator the acceptance tests run against, or nil
// when they run against real AWS. Tests that merely want to calm one of its
// realism knobs for a focused check use it without skipping on AWS.
func RunningEmulator() *Emulator {
	if Target() != TargetEmulator {
		return nil
	}
	return running
}

// RequireEmulator skips a test that only makes sense against the emulator
// (request-log assertions, provider endpoint wiring) and returns it.
func RequireEmulator(t *testing.T, why string) *Emulator {
	t.Helper()
	SkipUnlessAcceptance(t)
	if Target() != TargetEmulator {
		t.Skipf("emulator only: %s", why)
	}
	PreCheck(t)
	return running
}

// ErrorText matches a Terraform error that contains each phrase in turn.
// Terraform wraps diagnostics at 80 columns, so the words of a phrase may be
// split by any white space, and phrases may be far apart.
func ErrorText(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		parts[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(strings.Join(parts, `(.|\n)*`))
}
