package privatelink

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
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

func (m keepUnlessChanged) PlanModifyList(ctx context.Context, req planmodifier.ListRequest, resp *planmodifier.ListResponse) {
	if m.keep(ctx, req.State, req.Plan, req.StateValue, req.PlanValue) {
		resp.PlanValue = req.StateValue
	}
}

func (m keepUnlessChanged) PlanModifyMap(ctx context.Context, req planmodifier.MapRequest, resp *planmodifier.MapResponse) {
	if m.keep(ctx, req.State, req.Plan, req.StateValue, req.PlanValue) {
		resp.PlanValue = req.StateValue
	}
}

// keep reports whether the attribute's prior value belongs in the plan: the
// plan leaves it unknown, there is a prior value (an update, not a create),
// and every input is known in the plan and equal to its prior state.
func (m keepUnlessChanged) keep(ctx context.Context, state tfsdk.State, plan tfsdk.Plan, prior, planned attr.Value) bool {
	if !planned.IsUnknown() || prior.IsNull() || prior.IsUnknown() {
		return false
	}
	for _, in := range m.inputs {
		var before, after attr.Value
		if state.GetAttribute(ctx, path.Root(in), &before).HasError() || plan.GetAttribute(ctx, path.Root(in), &after).HasError() {
			return false
		}
		// A state holds no unknown, so an input with an unknown element
		// (a subnet created in the same apply) is never equal to it.
		if after.IsUnknown() || !after.Equal(before) {
			return false
		}
	}
	return true
}
