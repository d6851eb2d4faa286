package privatelink

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// keepUnlessChanged keeps a computed attribute's prior value in an update's
// plan while the arguments it follows are unchanged, instead of "(known
// after apply)". Only for values that cannot change on their own: the
// network interfaces, their IPs and zonal names follow the subnets alone.
// Values AWS changes by itself (state, dns_entries) get no such modifier.
type keepUnlessChanged struct{ inputs []string }

func useStateUnlessChanged(inputs ...string) keepUnlessChanged {
	return keepUnlessChanged{inputs: inputs}
}

var (
	_ planmodifier.List = keepUnlessChanged{}
	_ planmodifier.Map  = keepUnlessChanged{}
)

func (m keepUnlessChanged) Description(context.Context) string {
	return "keeps the prior value while " + strings.Join(m.inputs, ", ") + " stay unchanged"
}

func (m keepUnlessChanged) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (m keepUnlessChanged) PlanModifyList(_ context.Context, req planmodifier.ListRequest, resp *planmodifier.ListResponse) {
	if req.PlanValue.IsUnknown() && !req.StateValue.IsNull() && !req.StateValue.IsUnknown() && m.unchanged(req.State, req.Plan) {
		resp.PlanValue = req.StateValue
	}
}

func (m keepUnlessChanged) PlanModifyMap(_ context.Context, req planmodifier.MapRequest, resp *planmodifier.MapResponse) {
	if req.PlanValue.IsUnknown() && !req.StateValue.IsNull() && !req.StateValue.IsUnknown() && m.unchanged(req.State, req.Plan) {
		resp.PlanValue = req.StateValue
	}
}

// unchanged reports whether every input is known in the plan and equal to
// its prior state.
func (m keepUnlessChanged) unchanged(state tfsdk.State, plan tfsdk.Plan) bool {
	if state.Raw.IsNull() || plan.Raw.IsNull() {
		return false
	}
	for _, in := range m.inputs {
		at := tftypes.NewAttributePath().WithAttributeName(in)
		before, _, err1 := tftypes.WalkAttributePath(state.Raw, at)
		after, _, err2 := tftypes.WalkAttributePath(plan.Raw, at)
		b, okB := before.(tftypes.Value)
		a, okA := after.(tftypes.Value)
		if err1 != nil || err2 != nil || !okB || !okA || !a.IsFullyKnown() || !a.Equal(b) {
			return false
		}
	}
	return true
}
