package privatelink

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// TimeoutsBlock is the timeouts block of this provider's resources
// (create, update, delete), each argument described with its default,
// which the framework's own descriptions leave out and the registry page
// should state.
func TimeoutsBlock(ctx context.Context, def time.Duration) schema.Block {
	describe := func(op string) string {
		return fmt.Sprintf("How long %s may take, as a duration such as \"30s\", \"20m\" or \"1h30m\" (units s, m, h). "+
			"Default: %d minutes.", op, int(def.Minutes()))
	}
	return timeouts.Block(ctx, timeouts.Opts{
		Create: true, Update: true, Delete: true,
		CreateDescription: describe("a create"),
		UpdateDescription: describe("an update"),
		// As the framework says: a destroy reads the timeout from the state.
		DeleteDescription: describe("a destroy") + " A changed value applies to a destroy once an apply has saved it in the state.",
	})
}
