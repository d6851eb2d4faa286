package privatelink

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	fwtypes "github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// followerModel is the part of the endpoint's schema keepUnlessChanged
// works on: an input and the computed values that follow it.
type followerModel struct {
	SubnetIDs           fwtypes.Set  `tfsdk:"subnet_ids"`
	NetworkInterfaceIDs fwtypes.List `tfsdk:"network_interface_ids"`
	ZonalDNSNames       fwtypes.Map  `tfsdk:"zonal_dns_names"`
}

var followerSchema = schema.Schema{Attributes: map[string]schema.Attribute{
	"subnet_ids":            schema.SetAttribute{Required: true, ElementType: fwtypes.StringType},
	"network_interface_ids": schema.ListAttribute{Computed: true, ElementType: fwtypes.StringType},
	"zonal_dns_names":       schema.MapAttribute{Computed: true, ElementType: fwtypes.StringType},
}}

func TestKeepUnlessChanged(t *testing.T) {
	ctx := context.Background()
	set := func(elems ...attr.Value) fwtypes.Set { return fwtypes.SetValueMust(fwtypes.StringType, elems) }
	str := fwtypes.StringValue
	enis := fwtypes.ListValueMust(fwtypes.StringType, []attr.Value{str("eni-0a"), str("eni-0b")})
	zonal := fwtypes.MapValueMust(fwtypes.StringType, map[string]attr.Value{"us-east-1a": str("vpce-0-a.example")})
	priorSubnets := set(str("subnet-0a"), str("subnet-0b"))
	// Known plan values unlike the prior ones, so that keeping them is told from replacing them.
	otherENIs := fwtypes.ListValueMust(fwtypes.StringType, []attr.Value{str("eni-0c")})
	otherZonal := fwtypes.MapValueMust(fwtypes.StringType, map[string]attr.Value{"us-east-1c": str("vpce-0-c.example")})

	for _, tc := range []struct {
		name        string
		create      bool        // no prior state
		planSubnets fwtypes.Set // the plan's subnet_ids
		knownInPlan bool        // the computed values are already known in the plan
		kept        bool
	}{
		{name: "unchanged", planSubnets: priorSubnets, kept: true},
		{name: "unchanged in another order", planSubnets: set(str("subnet-0b"), str("subnet-0a")), kept: true},
		{name: "subnet added", planSubnets: set(str("subnet-0a"), str("subnet-0b"), str("subnet-0c"))},
		{name: "subnet replaced", planSubnets: set(str("subnet-0a"), str("subnet-0c"))},
		{name: "subnets unknown", planSubnets: fwtypes.SetUnknown(fwtypes.StringType)},
		{name: "one subnet unknown", planSubnets: set(str("subnet-0a"), fwtypes.StringUnknown())},
		{name: "create", create: true, planSubnets: priorSubnets},
		// Subnets unchanged, so only the plan's own known values stop the prior ones from replacing them.
		{name: "already known in the plan", planSubnets: priorSubnets, knownInPlan: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			state := tfsdk.State{Schema: followerSchema, Raw: tftypes.NewValue(followerSchema.Type().TerraformType(ctx), nil)}
			prior := followerModel{SubnetIDs: priorSubnets, NetworkInterfaceIDs: enis, ZonalDNSNames: zonal}
			if tc.create {
				prior = followerModel{
					SubnetIDs:           fwtypes.SetNull(fwtypes.StringType),
					NetworkInterfaceIDs: fwtypes.ListNull(fwtypes.StringType),
					ZonalDNSNames:       fwtypes.MapNull(fwtypes.StringType),
				}
			} else if d := state.Set(ctx, &prior); d.HasError() {
				t.Fatal(d)
			}
			planned := followerModel{
				SubnetIDs:           tc.planSubnets,
				NetworkInterfaceIDs: fwtypes.ListUnknown(fwtypes.StringType),
				ZonalDNSNames:       fwtypes.MapUnknown(fwtypes.StringType),
			}
			if tc.knownInPlan {
				planned.NetworkInterfaceIDs, planned.ZonalDNSNames = otherENIs, otherZonal
			}
			plan := tfsdk.Plan{Schema: followerSchema, Raw: tftypes.NewValue(followerSchema.Type().TerraformType(ctx), nil)}
			if d := plan.Set(ctx, &planned); d.HasError() {
				t.Fatal(d)
			}
			m := useStateUnlessChanged("subnet_ids")

			list := &planmodifier.ListResponse{PlanValue: planned.NetworkInterfaceIDs}
			config := tfsdk.Config{Schema: followerSchema, Raw: plan.Raw}
			m.PlanModifyList(ctx, planmodifier.ListRequest{
				Path: path.Root("network_interface_ids"), Config: config, State: state, Plan: plan,
				StateValue: prior.NetworkInterfaceIDs, PlanValue: planned.NetworkInterfaceIDs,
			}, list)
			mp := &planmodifier.MapResponse{PlanValue: planned.ZonalDNSNames}
			m.PlanModifyMap(ctx, planmodifier.MapRequest{
				Path: path.Root("zonal_dns_names"), Config: config, State: state, Plan: plan,
				StateValue: prior.ZonalDNSNames, PlanValue: planned.ZonalDNSNames,
			}, mp)

			switch {
			case tc.kept:
				if !list.PlanValue.Equal(enis) || !mp.PlanValue.Equal(zonal) {
					t.Errorf("planned %s and %s, want the prior values kept", list.PlanValue, mp.PlanValue)
				}
			case tc.knownInPlan:
				if !list.PlanValue.Equal(otherENIs) || !mp.PlanValue.Equal(otherZonal) {
					t.Errorf("planned %s and %s, want the plan's own values left alone", list.PlanValue, mp.PlanValue)
				}
			default:
				if !list.PlanValue.IsUnknown() || !mp.PlanValue.IsUnknown() {
					t.Errorf("planned %s and %s, want both unknown (known after apply)", list.PlanValue, mp.PlanValue)
				}
			}
		})
	}
}

// A plan that only has the framework's unknowns of computed attributes is
// the prior state; one that changes an argument, or has an argument
// unknown in the configuration, is not.
func TestKeepStateWhenNothingChanges(t *testing.T) {
	ctx := context.Background()
	ty := followerSchema.Type().TerraformType(ctx)
	obj := func(subnets, enis tftypes.Value) tftypes.Value {
		zonal := tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, nil)
		return tftypes.NewValue(ty, map[string]tftypes.Value{"subnet_ids": subnets, "network_interface_ids": enis, "zonal_dns_names": zonal})
	}
	strs := func(ty tftypes.Type, xs ...string) tftypes.Value {
		vs := make([]tftypes.Value, len(xs))
		for i, x := range xs {
			vs[i] = tftypes.NewValue(tftypes.String, x)
		}
		return tftypes.NewValue(ty, vs)
	}
	subnets := strs(tftypes.Set{ElementType: tftypes.String}, "subnet-0a")
	other := strs(tftypes.Set{ElementType: tftypes.String}, "subnet-0b")
	unknownSubnets := tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, tftypes.UnknownValue)
	enis := strs(tftypes.List{ElementType: tftypes.String}, "eni-0a")
	unknownENIs := tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, tftypes.UnknownValue)
	nullENIs := tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil)
	prior := obj(subnets, enis)
	for _, tc := range []struct {
		name         string
		config, plan tftypes.Value
		keepsPrior   bool
	}{
		{"only computed values unknown", obj(subnets, nullENIs), obj(subnets, unknownENIs), true},
		{"an argument changed", obj(other, nullENIs), obj(other, unknownENIs), false},
		{"an argument unknown in the configuration", obj(unknownSubnets, nullENIs), obj(unknownSubnets, unknownENIs), false},
	} {
		plan := tfsdk.Plan{Schema: followerSchema, Raw: tc.plan}
		keepStateWhenNothingChanges(tfsdk.Config{Schema: followerSchema, Raw: tc.config}, tfsdk.State{Schema: followerSchema, Raw: prior}, &plan)
		if got := plan.Raw.Equal(prior); got != tc.keepsPrior {
			t.Errorf("%s: plan is the prior state: %v, want %v", tc.name, got, tc.keepsPrior)
		}
	}
}

// subnet_configuration left out of the configuration plans what the state
// has (null on create), never unknown.
func TestKeepWhenUnset(t *testing.T) {
	ctx := context.Background()
	elem := fwtypes.ObjectType{AttrTypes: map[string]attr.Type{"subnet_id": fwtypes.StringType}}
	held := fwtypes.SetValueMust(elem, []attr.Value{fwtypes.ObjectValueMust(elem.AttrTypes, map[string]attr.Value{"subnet_id": fwtypes.StringValue("subnet-0a")})})
	configured := fwtypes.SetValueMust(elem, []attr.Value{fwtypes.ObjectValueMust(elem.AttrTypes, map[string]attr.Value{"subnet_id": fwtypes.StringValue("subnet-0b")})})
	someState := tfsdk.State{Raw: tftypes.NewValue(tftypes.Object{}, map[string]tftypes.Value{})}
	noState := tfsdk.State{Raw: tftypes.NewValue(tftypes.Object{}, nil)}
	for _, tc := range []struct {
		name   string
		state  tfsdk.State
		config fwtypes.Set
		prior  fwtypes.Set
		want   fwtypes.Set
	}{
		{"left out: the state's", someState, fwtypes.SetNull(elem), held, held},
		{"left out on create: null", noState, fwtypes.SetNull(elem), fwtypes.SetNull(elem), fwtypes.SetNull(elem)},
		{"configured: the configuration's", someState, configured, held, configured},
	} {
		resp := &planmodifier.SetResponse{PlanValue: tc.config}
		if tc.config.IsNull() {
			resp.PlanValue = fwtypes.SetUnknown(elem) // as the framework marks an optional computed argument left out
		}
		keepWhenUnset{}.PlanModifySet(ctx, planmodifier.SetRequest{State: tc.state, ConfigValue: tc.config, StateValue: tc.prior, PlanValue: resp.PlanValue}, resp)
		if !resp.PlanValue.Equal(tc.want) {
			t.Errorf("%s: planned %s, want %s", tc.name, resp.PlanValue, tc.want)
		}
	}
}
