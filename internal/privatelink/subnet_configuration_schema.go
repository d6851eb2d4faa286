package privatelink

// The subnet_configuration argument: its schema, and the framework glue of
// its validate-time rules and plan warnings (the rules themselves are in
// subnet_addresses.go).

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	fwtypes "github.com/hashicorp/terraform-plugin-framework/types"
)

func subnetConfigurationSchema() schema.SetNestedAttribute {
	return schema.SetNestedAttribute{
		Optional:      true,
		Computed:      true,
		PlanModifiers: []planmodifier.Set{keepWhenUnset{}},
		Description: "Fixed private IPs of the endpoint's network interfaces, one entry per subnet of `subnet_ids` " +
			"(subnets without an entry get an address AWS picks). For firewalls that must know the endpoint's addresses " +
			"before it exists. Each address must be inside its subnet's CIDR block and not one of the five AWS keeps in " +
			"every block (the first four and the last); the plan checks that. Changing the address of a subnet the " +
			"endpoint already uses replaces that subnet's network interface (EC2 creates one with the new address and " +
			"deletes the old one), not the endpoint; the plan warns about it. Leaving the argument out keeps the addresses the " +
			"interfaces have.",
		Validators: []validator.Set{setvalidator.SizeAtLeast(1)},
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"subnet_id": schema.StringAttribute{
				Required:    true,
				Description: "The subnet, one of `subnet_ids`.",
				Validators:  []validator.String{subnetID.validator()},
			},
			"ipv4": schema.StringAttribute{
				Optional: true,
				Description: "The IPv4 address of the endpoint's network interface in the subnet. Required when " +
					"`ip_address_type` is `ipv4` (the default) or `dualstack`; not allowed with `ipv6`.",
			},
			"ipv6": schema.StringAttribute{
				Optional: true,
				Description: "The IPv6 address of the endpoint's network interface in the subnet. Required when " +
					"`ip_address_type` is `ipv6` or `dualstack`; not allowed otherwise.",
			},
		}},
	}
}

// validateSubnetConfigAttrs runs validateSubnetConfigs on a configuration.
func validateSubnetConfigAttrs(ctx context.Context, config tfsdk.Config) diag.Diagnostics {
	var diags diag.Diagnostics
	var set, subnets fwtypes.Set
	var ipType fwtypes.String
	diags.Append(config.GetAttribute(ctx, path.Root("subnet_configuration"), &set)...)
	diags.Append(config.GetAttribute(ctx, path.Root("subnet_ids"), &subnets)...)
	diags.Append(config.GetAttribute(ctx, path.Root("ip_address_type"), &ipType)...)
	entries := subnetConfigEntries(ctx, set, &diags)
	if diags.HasError() || len(entries) == 0 {
		return diags
	}
	var subnetIDs []string
	if fullyKnown(subnets) && !subnets.IsNull() {
		subnetIDs = []string{}
		diags.Append(subnets.ElementsAs(ctx, &subnetIDs, false)...)
	}
	diags.Append(validateSubnetConfigs(entries, subnetIDs, ipType.ValueString(), !ipType.IsUnknown())...)
	return diags
}

// planAddressWarnings warns of the network interfaces an update replaces.
func planAddressWarnings(ctx context.Context, state tfsdk.State, plan tfsdk.Plan) diag.Diagnostics {
	var diags diag.Diagnostics
	var before, after, priorSubnets fwtypes.Set
	diags.Append(state.GetAttribute(ctx, path.Root("subnet_configuration"), &before)...)
	diags.Append(plan.GetAttribute(ctx, path.Root("subnet_configuration"), &after)...)
	diags.Append(state.GetAttribute(ctx, path.Root("subnet_ids"), &priorSubnets)...)
	if diags.HasError() || after.Equal(before) {
		return diags
	}
	var subnets []string
	diags.Append(priorSubnets.ElementsAs(ctx, &subnets, false)...)
	diags.Append(addressChangeWarnings(subnetConfigEntries(ctx, before, &diags), subnetConfigEntries(ctx, after, &diags), subnets)...)
	return diags
}
