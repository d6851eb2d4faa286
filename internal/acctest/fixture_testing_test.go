package acctest

import "testing"

func TestChooseService(t *testing.T) {
	own := ServiceOptions{AcceptanceRequired: true}
	for _, c := range []struct {
		name      string
		target    string
		given     string
		mayCreate bool
		opts      ServiceOptions
		want      serviceChoice
	}{
		{"emulator creates, given or not", TargetEmulator, "svc", false, ServiceOptions{}, createService},
		{"aws, ordinary test, given service", TargetAWS, "svc", false, ServiceOptions{}, useGivenService},
		{"aws, both set: ordinary test still takes the given service", TargetAWS, "svc", true, ServiceOptions{}, useGivenService},
		{"aws, both set: a test with options creates its own", TargetAWS, "svc", true, own, createService},
		{"aws, given only: a test with options skips", TargetAWS, "svc", false, own, skipWithoutService},
		{"aws, create only", TargetAWS, "", true, ServiceOptions{}, createService},
		{"aws, neither", TargetAWS, "", false, ServiceOptions{}, skipWithoutService},
	} {
		if got := chooseService(c.target, c.given, c.mayCreate, c.opts); got != c.want {
			t.Errorf("%s: chooseService = %d, want %d", c.name, got, c.want)
		}
	}
}
