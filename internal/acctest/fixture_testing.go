package acctest

import (
	"context"
	"os"
	"testing"
	"time"
)

// cleanupTimeout bounds each fixture cleanup; real AWS needs minutes for
// network interfaces of deleted endpoints to go.
const cleanupTimeout = 15 * time.Minute

// TestAWS returns the fixture's AWS clients or fails the test.
func TestAWS(t *testing.T) *AWS {
	t.Helper()
	SkipUnlessAcceptance(t)
	a, err := NewAWS(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// NewService gives the test an EngFlow-like endpoint service. On real AWS
// with ENGFLOW_ACC_SERVICE_NAME set, a test content with the defaults uses
// that service; otherwise the fixture creates one and deletes it after the
// test (on real AWS only with ENGFLOW_ACC_CREATE_SERVICE=1).
func NewService(t *testing.T, opts ServiceOptions) *Service {
	t.Helper()
	a := TestAWS(t)
	ctx := context.Background()
	if Target() == TargetAWS {
		given := os.Getenv(EnvServiceName)
		if given != "" && opts == (ServiceOptions{}) {
			s, err := a.ExistingService(ctx, given)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		if os.Getenv(EnvCreateService) == "" {
			t.Skipf("this test needs an endpoint service it owns (%+v): set %s=1 to let the tests create one", opts, EnvCreateService)
		}
	}
	s, err := a.CreateService(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		if err := s.Delete(ctx); err != nil {
			t.Errorf("cleaning up endpoint service %s: %v", s.Name, err)
		}
	})
	return s
}

// NewVPC builds a consumer VPC for the test and deletes it afterwards.
func NewVPC(t *testing.T, opts VPCOptions) *VPC {
	t.Helper()
	if opts.Name == "" {
		opts.Name = RandomName("bazel-clients")
	}
	v, err := TestAWS(t).CreateVPC(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		if err := v.Delete(ctx); err != nil {
			t.Errorf("cleaning up VPC %s: %v", v.ID, err)
		}
	})
	return v
}
