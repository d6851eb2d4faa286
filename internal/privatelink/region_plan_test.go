package privatelink

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// regionOnly is a schema with just the region argument, for planRegion.
var regionOnly = schema.Schema{Attributes: map[string]schema.Attribute{
	"region": schema.StringAttribute{Optional: true, Computed: true},
}}

func regionObject(v any) tftypes.Value {
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"region": tftypes.String}}
	return tftypes.NewValue(typ, map[string]tftypes.Value{"region": tftypes.NewValue(tftypes.String, v)})
}

func TestPlanRegion(t *testing.T) {
	unknown := tftypes.UnknownValue
	for _, tc := range []struct {
		name          string
		config, prior any // nil: null; "none": no prior state (create)
		want          string
		wantReplace   bool
	}{
		{name: "create, provider's Region", config: nil, prior: "none", want: "us-east-1"},
		{name: "create, own Region", config: "us-west-2", prior: "none", want: "us-west-2"},
		{name: "unchanged", config: "us-west-2", prior: "us-west-2", want: "us-west-2"},
		{name: "moved to another Region", config: "us-west-2", prior: "us-east-1", want: "us-west-2", wantReplace: true},
		{name: "argument removed, provider's Region elsewhere", config: nil, prior: "us-west-2", want: "us-east-1", wantReplace: true},
		// A state of a version without region: its endpoint is in the provider's Region.
		{name: "state without region", config: nil, prior: nil, want: "us-east-1"},
		{name: "unknown until apply", config: unknown, prior: "none", want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			req := resource.ModifyPlanRequest{
				Config: tfsdk.Config{Schema: regionOnly, Raw: regionObject(tc.config)},
				Plan:   tfsdk.Plan{Schema: regionOnly, Raw: regionObject(unknown)},
				State:  tfsdk.State{Schema: regionOnly, Raw: tftypes.NewValue(regionObject(nil).Type(), nil)},
			}
			if tc.prior != "none" {
				req.State.Raw = regionObject(tc.prior)
			}
			resp := &resource.ModifyPlanResponse{Plan: req.Plan}
			got, diags := PlanRegion(ctx, req, resp, "us-east-1")
			if diags.HasError() {
				t.Fatal(diags)
			}
			if got != tc.want {
				t.Errorf("planRegion = %q, want %q", got, tc.want)
			}
			if replace := len(resp.RequiresReplace) > 0 && resp.RequiresReplace[0].Equal(path.Root("region")); replace != tc.wantReplace {
				t.Errorf("requires replace: %v, want %v", replace, tc.wantReplace)
			}
		})
	}
}
