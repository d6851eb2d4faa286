package privatelink

import (
	"sync"
	"sync/atomic"
	"testing"
)

// Clients are made once per Region, on first use, also when many
// resources ask at once; "" is the provider's Region.
func TestRegions_oneClientPerRegionOnFirstUse(t *testing.T) {
	var made atomic.Int32
	rs := newRegions("us-east-1", func(region string) *Client {
		made.Add(1)
		return newTestClient(&fakeEC2{})
	})
	if n := made.Load(); n != 0 {
		t.Fatalf("%d clients made before any use", n)
	}
	var wg sync.WaitGroup
	got := make([]*Client, 40)
	for i := range got {
		region := []string{"", "us-east-1", "us-west-2", "eu-west-1"}[i%4]
		wg.Go(func() { got[i] = rs.In(region) })
	}
	wg.Wait()
	if n := made.Load(); n != 3 {
		t.Errorf("%d clients made for 3 Regions", n)
	}
	if got[0] != got[1] {
		t.Error(`"" and the provider's Region got different clients`)
	}
	if got[1] == got[2] || got[2] == got[3] {
		t.Error("two Regions share a client")
	}
	for i := 4; i < len(got); i++ {
		if got[i] != got[i%4] {
			t.Errorf("call %d got another client for the same Region", i)
		}
	}
}
