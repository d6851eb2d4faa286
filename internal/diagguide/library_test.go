package diagguide

// Diagnostics the provider gets from libraries instead of wording them:
// for each library function its code calls (codeScan.library), what that
// function reports, found by running it on a value it refuses. A function
// the table lacks fails the test, so a new validator cannot slip by.

import (
	"context"
	"math/big"
	"regexp"

	dstimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

const (
	validators = "terraform-plugin-framework-validators/"
	timeoutsM  = "terraform-plugin-framework-timeouts/"
)

// libraryDiagnostics runs, for each library function, what makes it
// report; nil for one that only passes on what the validators it is given
// report (each of those is in the table or the scan itself).
var libraryDiagnostics = map[string]func() diag.Diagnostics{
	validators + "stringvalidator.RegexMatches": func() diag.Diagnostics {
		return onString(stringvalidator.RegexMatches(regexp.MustCompile(`^x$`), "must be x"), "y")
	},
	validators + "stringvalidator.OneOf":         func() diag.Diagnostics { return onString(stringvalidator.OneOf("x"), "y") },
	validators + "stringvalidator.LengthAtMost":  func() diag.Diagnostics { return onString(stringvalidator.LengthAtMost(1), "yy") },
	validators + "stringvalidator.LengthBetween": func() diag.Diagnostics { return onString(stringvalidator.LengthBetween(3, 4), "yy") },
	validators + "stringvalidator.ConflictsWith": func() diag.Diagnostics {
		return onString(stringvalidator.ConflictsWith(path.MatchRoot("b")), "y")
	},
	validators + "int64validator.Between": func() diag.Diagnostics {
		var resp validator.Int64Response
		int64validator.Between(1, 2).ValidateInt64(context.Background(), validator.Int64Request{
			Path: path.Root("n"), PathExpression: path.MatchRoot("n"), ConfigValue: types.Int64Value(3), Config: config(),
		}, &resp)
		return resp.Diagnostics
	},
	validators + "setvalidator.SizeAtLeast":     func() diag.Diagnostics { return onSet(setvalidator.SizeAtLeast(2), "x") },
	validators + "setvalidator.SizeAtMost":      func() diag.Diagnostics { return onSet(setvalidator.SizeAtMost(0), "x") },
	validators + "setvalidator.ConflictsWith":   func() diag.Diagnostics { return onSet(setvalidator.ConflictsWith(path.MatchRoot("b")), "x") },
	validators + "setvalidator.AlsoRequires":    func() diag.Diagnostics { return onSet(setvalidator.AlsoRequires(path.MatchRoot("c")), "x") },
	validators + "setvalidator.ValueStringsAre": nil,
	validators + "mapvalidator.SizeAtMost": func() diag.Diagnostics {
		var resp validator.MapResponse
		mapvalidator.SizeAtMost(0).ValidateMap(context.Background(), validator.MapRequest{
			Path: path.Root("m"), PathExpression: path.MatchRoot("m"), Config: config(),
			ConfigValue: types.MapValueMust(types.StringType, map[string]attr.Value{"k": types.StringValue("v")}),
		}, &resp)
		return resp.Diagnostics
	},
	validators + "mapvalidator.KeysAre":         nil,
	validators + "mapvalidator.ValueStringsAre": nil,
	validators + "datasourcevalidator.ExactlyOneOf": func() diag.Diagnostics {
		return onDataSource(datasourcevalidator.ExactlyOneOf(path.MatchRoot("a"), path.MatchRoot("b")))
	},
	validators + "datasourcevalidator.Conflicting": func() diag.Diagnostics {
		return onDataSource(datasourcevalidator.Conflicting(path.MatchRoot("a"), path.MatchRoot("b")))
	},
	validators + "datasourcevalidator.RequiredTogether": func() diag.Diagnostics {
		return onDataSource(datasourcevalidator.RequiredTogether(path.MatchRoot("a"), path.MatchRoot("c")))
	},
	// A duration that does not parse is refused by the block's validators;
	// the values' Create, Read, ... then never meet one.
	timeoutsM + "resource/timeouts.Block": func() diag.Diagnostics {
		block := timeouts.Block(context.Background(), timeouts.Opts{Create: true}).(schema.SingleNestedBlock)
		return onString(block.Attributes["create"].(schema.StringAttribute).Validators[0], "soon")
	},
	timeoutsM + "datasource/timeouts.Block": func() diag.Diagnostics {
		block := dstimeouts.Block(context.Background()).(dsschema.SingleNestedBlock)
		return onString(block.Attributes["read"].(dsschema.StringAttribute).Validators[0], "soon")
	},
	timeoutsM + "datasource/timeouts.BlockWithOpts": func() diag.Diagnostics {
		block := dstimeouts.BlockWithOpts(context.Background(), dstimeouts.Opts{ReadDescription: "d"}).(dsschema.SingleNestedBlock)
		return onString(block.Attributes["read"].(dsschema.StringAttribute).Validators[0], "soon")
	},
}

// config is a configuration with a and b set and c not, for the
// validators that look at other arguments.
func config() tfsdk.Config {
	s := schema.Schema{Attributes: map[string]schema.Attribute{
		"a": schema.StringAttribute{Optional: true},
		"b": schema.StringAttribute{Optional: true},
		"c": schema.StringAttribute{Optional: true},
		"n": schema.Int64Attribute{Optional: true},
		"s": schema.SetAttribute{Optional: true, ElementType: types.StringType},
		"m": schema.MapAttribute{Optional: true, ElementType: types.StringType},
	}}
	raw := tftypes.NewValue(s.Type().TerraformType(context.Background()), map[string]tftypes.Value{
		"a": tftypes.NewValue(tftypes.String, "x"),
		"b": tftypes.NewValue(tftypes.String, "x"),
		"c": tftypes.NewValue(tftypes.String, nil),
		"n": tftypes.NewValue(tftypes.Number, big.NewFloat(3)),
		"s": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{}),
		"m": tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, nil),
	})
	return tfsdk.Config{Schema: s, Raw: raw}
}

func onString(v validator.String, value string) diag.Diagnostics {
	var resp validator.StringResponse
	v.ValidateString(context.Background(), validator.StringRequest{
		Path: path.Root("a"), PathExpression: path.MatchRoot("a"), ConfigValue: types.StringValue(value), Config: config(),
	}, &resp)
	return resp.Diagnostics
}

func onSet(v validator.Set, elems ...string) diag.Diagnostics {
	var values []attr.Value
	for _, e := range elems {
		values = append(values, types.StringValue(e))
	}
	var resp validator.SetResponse
	v.ValidateSet(context.Background(), validator.SetRequest{
		Path: path.Root("s"), PathExpression: path.MatchRoot("s"), ConfigValue: types.SetValueMust(types.StringType, values), Config: config(),
	}, &resp)
	return resp.Diagnostics
}

func onDataSource(v datasource.ConfigValidator) diag.Diagnostics {
	var resp datasource.ValidateConfigResponse
	v.ValidateDataSource(context.Background(), datasource.ValidateConfigRequest{Config: config()}, &resp)
	return resp.Diagnostics
}
