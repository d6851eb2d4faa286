package privatelink

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
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

func (m keepUnlessChanged) PlanModifyList(ctx context.Context, req planmodifier.ListRequest, resp *planmodifier.ListResponse) {
	if m.keep(ctx, req.Config, req.State, req.Plan, req.StateValue, req.PlanValue) {
		resp.PlanValue = req.StateValue
	}
}

func (m keepUnlessChanged) PlanModifyMap(ctx context.Context, req planmodifier.MapRequest, resp *planmodifier.MapResponse) {
	if m.keep(ctx, req.Config, req.State, req.Plan, req.StateValue, req.PlanValue) {
		resp.PlanValue = req.StateValue
	}
}

// keep reports whether the attribute's prior value belongs in the plan: the
// plan leaves it unknown, there is a prior value (an update, not a create),
// and every input is unchanged: known in the plan and equal to its prior
// state, or left out of the configuration where keepWhenUnset keeps the
// state's (the framework marks it unknown meanwhile).
func (m keepUnlessChanged) keep(ctx context.Context, config tfsdk.Config, state tfsdk.State, plan tfsdk.Plan, prior, planned attr.Value) bool {
	if !planned.IsUnknown() || prior.IsNull() || prior.IsUnknown() {
		return false
	}
	for _, in := range m.inputs {
		var before, after, configured attr.Value
		if state.GetAttribute(ctx, path.Root(in), &before).HasError() || plan.GetAttribute(ctx, path.Root(in), &after).HasError() ||
			config.GetAttribute(ctx, path.Root(in), &configured).HasError() {
			return false
		}
		if configured.IsNull() && after.IsUnknown() {
			continue // an optional computed input left out: the framework's unknown, its own modifier keeps the state's
		}
		// A state holds no unknown, so an input with an unknown element
		// (a subnet created in the same apply) is never equal to it.
		if after.IsUnknown() || !after.Equal(before) {
			return false
		}
	}
	return true
}

// keepWhenUnset plans subnet_configuration as the state has it when the
// configuration leaves it out, and null on create. Leaving the argument out
// changes no address (EC2 keeps those the interfaces hold), and a state
// moved from aws_vpc_endpoint holds every subnet's address whether or not
// that configuration fixed them: either way there is nothing to plan.
type keepWhenUnset struct{}

var _ planmodifier.Set = keepWhenUnset{}

func (keepWhenUnset) Description(context.Context) string {
	return "keeps the prior value when the configuration leaves the argument out"
}

func (m keepWhenUnset) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (keepWhenUnset) PlanModifySet(ctx context.Context, req planmodifier.SetRequest, resp *planmodifier.SetResponse) {
	if !req.ConfigValue.IsNull() {
		return
	}
	resp.PlanValue = req.StateValue
	if req.State.Raw.IsNull() {
		resp.PlanValue = types.SetNull(req.PlanValue.ElementType(ctx))
	}
}

// keepStateWhenNothingChanges plans the prior state when the plan changes
// nothing: every attribute is as the state has it, or unknown only because
// the framework marks the computed ones unknown as soon as the proposed
// state differs from the prior one in any way (an optional and computed
// argument left out of the configuration, for one: subnet_configuration
// after a move from aws_vpc_endpoint). An attribute unknown because its
// configuration is unknown is a change.
func keepStateWhenNothingChanges(config tfsdk.Config, state tfsdk.State, plan *tfsdk.Plan) {
	var p, s, c map[string]tftypes.Value
	if state.Raw.IsNull() || plan.Raw.As(&p) != nil || state.Raw.As(&s) != nil || config.Raw.As(&c) != nil {
		return
	}
	for name, v := range p {
		switch {
		case v.IsFullyKnown() && !v.Equal(s[name]):
			return
		case !v.IsFullyKnown() && !c[name].IsNull():
			return
		}
	}
	plan.Raw = state.Raw
}
