package shareddns_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// timeouts { create = ... } bounds the wait for Route 53: with the
// emulator's changes PENDING for two minutes, a 15-second create fails
// saying the timeout ran out (waiting the two minutes would end in a
// success, not this error). The zone it made is kept in the state: the
// next apply, with changes settling again, replaces it, and Route 53 then
// lists one zone for the name, not an orphan beside the new one.
func TestAccSharedDNS_createTimeout(t *testing.T) {
	emu := acctest.RequireEmulator(t, "only the emulator can keep Route 53 changes PENDING on demand")
	h := newHubAndSpokes(t)
	restore, err := emu.Configure(context.Background(), map[string]any{acctest.KnobRoute53InsyncAfter: 120.0})
	if err != nil {
		t.Fatal(err)
	}
	putBack := func() {
		if err := restore(context.Background()); err != nil {
			t.Errorf("restoring the emulator's Route 53 delay: %v", err)
		}
	}
	t.Cleanup(putBack)
	acctest.Test(t, resource.TestCase{
		CheckDestroy: h.checkGone,
		Steps: []resource.TestStep{
			{
				Config:      h.configWith("timeouts {\n    create = \"15s\"\n  }"),
				ExpectError: acctest.ErrorText("the timeout ran out while it was still PENDING", "raise the resource's timeouts"),
			},
			{
				PreConfig: putBack,
				Config:    h.config(),
				Check: resource.ComposeTestCheckFunc(h.checkZone(), func(*terraform.State) error {
					zones, err := h.a.ZonesNamed(context.Background(), h.domain)
					if err != nil {
						return err
					}
					if len(zones) != 1 {
						return fmt.Errorf("after the replacement Route 53 lists %d zones for %s, want 1", len(zones), h.domain)
					}
					return nil
				}),
			},
		},
	})
}

// configWith is h.config with more arguments in the shared DNS block.
func (h *hubAndSpokes) configWith(extra string, spokeIDs ...string) string {
	cfg := h.config(spokeIDs...)
	i := strings.LastIndex(cfg, "}")
	return cfg[:i] + "  " + extra + "\n" + cfg[i:]
}
