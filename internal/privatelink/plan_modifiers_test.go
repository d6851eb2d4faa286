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
			m.PlanModifyList(ctx, planmodifier.ListRequest{
				Path: path.Root("network_interface_ids"), State: state, Plan: plan,
				StateValue: prior.NetworkInterfaceIDs, PlanValue: planned.NetworkInterfaceIDs,
			}, list)
			mp := &planmodifier.MapResponse{PlanValue: planned.ZonalDNSNames}
			m.PlanModifyMap(ctx, planmodifier.MapRequest{
				Path: path.Root("zonal_dns_names"), State: state, Plan: plan,
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
