package acctest

import "testing"

func TestChooseService(t *testing.T) {
	own := ServiceOptions{AcceptanceRequired: true}
	for _, c := range []struct {
		name      string
		target    string
		given     string
		mayCreate bool
		ordinary  bool // ordinary tests only
		opts      ServiceOptions
		want      serviceChoice
	}{
		{"emulator creates, given or not", TargetEmulator, "svc", false, false, ServiceOptions{}, createService},
		{"aws, ordinary test, given service", TargetAWS, "svc", false, false, ServiceOptions{}, useGivenService},
		{"aws, both set: ordinary test still takes the given service", TargetAWS, "svc", true, false, ServiceOptions{}, useGivenService},
		{"aws, both set: a test with options creates its own", TargetAWS, "svc", true, false, own, createService},
		{"aws, given only: a test with options skips", TargetAWS, "svc", false, false, own, skipWithoutService},
		{"aws, create only", TargetAWS, "", true, false, ServiceOptions{}, createService},
		{"aws, neither", TargetAWS, "", false, false, ServiceOptions{}, skipWithoutService},
		// make testacc-aws-emulated's mode A pass: the ordinary tests create a service without a private DNS name.
		{"aws, ordinary only: an ordinary test creates its own", TargetAWS, "", true, true, ServiceOptions{}, createService},
		{"aws, ordinary only: a test with options skips", TargetAWS, "", true, true, own, skipOrdinaryOnly},
	} {
		if got := chooseService(c.target, c.given, c.mayCreate, c.ordinary, c.opts); got != c.want {
			t.Errorf("%s: chooseService = %d, want %d", c.name, got, c.want)
		}
	}
}
