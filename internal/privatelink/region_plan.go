package privatelink

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	fwtypes "github.com/hashicorp/terraform-plugin-framework/types"
)

// DefaultsToProviderRegion ends the description of every region argument.
const DefaultsToProviderRegion = "Defaults to the provider's `region`, so one provider block serves many Regions."

// PlanRegion settles a resource's Region in the plan: the region
// argument, else the provider's. An endpoint (or a shared zone's VPCs) is in
// one Region for life, so a different Region replaces it; a state of an
// older version without a Region is in the provider's. It returns "" while
// the Region is unknown.
func PlanRegion(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, providerRegion string) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	var configured, prior fwtypes.String
	diags.Append(req.Config.GetAttribute(ctx, path.Root("region"), &configured)...)
	if !req.State.Raw.IsNull() {
		diags.Append(req.State.GetAttribute(ctx, path.Root("region"), &prior)...)
	}
	if diags.HasError() || configured.IsUnknown() {
		return "", diags
	}
	region := configured.ValueString()
	if configured.IsNull() {
		region = providerRegion
	}
	diags.Append(resp.Plan.SetAttribute(ctx, path.Root("region"), region)...)
	was := prior.ValueString()
	if prior.IsNull() {
		was = providerRegion
	}
	if !req.State.Raw.IsNull() && was != region {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("region"))
	}
	return region, diags
}

// validateServiceRegion is checkServiceRegion on a configuration's
// service_name and service_region: the resource's and the service data
// source's ValidateConfig.
func validateServiceRegion(ctx context.Context, config tfsdk.Config) diag.Diagnostics {
	var name, serviceRegion fwtypes.String
	diags := config.GetAttribute(ctx, path.Root("service_name"), &name)
	diags.Append(config.GetAttribute(ctx, path.Root("service_region"), &serviceRegion)...)
	diags.Append(checkServiceRegion(name, serviceRegion)...)
	return diags
}

// checkServiceRegion: an explicit service_region must be the Region in the
// service's name, which is where the service lives.
func checkServiceRegion(serviceNameValue, serviceRegion fwtypes.String) diag.Diagnostics {
	var diags diag.Diagnostics
	if serviceRegion.IsNull() || serviceRegion.IsUnknown() || serviceNameValue.IsNull() || serviceNameValue.IsUnknown() {
		return diags
	}
	parsed, err := parseServiceName(serviceNameValue.ValueString())
	if err == nil && parsed.Region != serviceRegion.ValueString() {
		diags.AddAttributeError(path.Root("service_region"), "service_region disagrees with service_name",
			fmt.Sprintf("The service %s lives in %s, as its name says, not in %s. Remove service_region (the provider reads it "+
				"from the name), or use the service name EngFlow gave you for %s.",
				serviceNameValue.ValueString(), parsed.Region, serviceRegion.ValueString(), serviceRegion.ValueString()))
	}
	return diags
}

// serviceRegionOf is the Region of the endpoint's service, as EC2 reports
// it for a cross-Region endpoint, else as its name says ("" if neither).
func serviceRegionOf(serviceName, reported string) string {
	if reported != "" {
		return reported
	}
	parsed, _ := parseServiceName(serviceName)
	return parsed.Region
}
