package privatelink

import (
	"context"
	"fmt"
	"time"

	dstimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// describeTimeout says what a timeouts argument takes and its default.
func describeTimeout(op string, def time.Duration) string {
	return fmt.Sprintf("How long %s may take, as a duration such as \"30s\", \"20m\" or \"1h30m\" (units s, m, h). "+
		"Default: %d minutes.", op, int(def.Minutes()))
}

// TimeoutsBlock is the timeouts block of this provider's resources
// (create, update, delete), each argument described with its default,
// which the framework's own descriptions leave out and the registry page
// should state.
func TimeoutsBlock(ctx context.Context, def time.Duration) schema.Block {
	describe := func(op string) string { return describeTimeout(op, def) }
	return timeouts.Block(ctx, timeouts.Opts{
		Create: true, Update: true, Delete: true,
		CreateDescription: describe("a create"),
		UpdateDescription: describe("an update"),
		// As the framework says: a destroy reads the timeout from the state.
		DeleteDescription: describe("a destroy") + " A changed value applies to a destroy once an apply has saved it in the state.",
	})
}

// DataSourceTimeoutsBlock is a data source's timeouts block (read), its
// argument described with its default.
func DataSourceTimeoutsBlock(ctx context.Context, what string, def time.Duration) dsschema.Block {
	return dstimeouts.BlockWithOpts(ctx, dstimeouts.Opts{ReadDescription: describeTimeout(what, def)})
}
