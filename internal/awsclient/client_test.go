package awsclient

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// The account ID only decorates an error message, so a failing STS must
// not hold the plan up with the 25 retries real work gets.
func TestClientAccountID_givesUpQuicklyAndRetriesLater(t *testing.T) {
	var calls atomic.Int32
	healthy := atomic.Bool{}
	sts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		if !healthy.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account>` +
			`<Arn>arn:aws:iam::123456789012:user/ci</Arn><UserId>AIDA</UserId></GetCallerIdentityResult></GetCallerIdentityResponse>`))
	}))
	defer sts.Close()
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", ""),
		Retryer:     func() aws.Retryer { return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxAttempts = 26 }) },
	}
	c := New(cfg, Endpoints{STS: sts.URL}, nil)

	if _, err := c.AccountID(context.Background()); err == nil {
		t.Fatal("want an error while STS fails")
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("STS was asked %d times, want 2", n)
	}
	healthy.Store(true)
	id, err := c.AccountID(context.Background())
	if err != nil || id != "123456789012" {
		t.Fatalf("after STS recovered: %q, %v", id, err)
	}
}
