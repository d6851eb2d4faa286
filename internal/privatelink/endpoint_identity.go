package privatelink

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	fwtypes "github.com/hashicorp/terraform-plugin-framework/types"
)

// endpointIdentity is the resource identity of an endpoint (Terraform and
// OpenTofu 1.12+: import { identity = {...} }, terraform query). An
// endpoint ID is unique only within its Region, so the Region belongs to
// it; the account is the provider's, as for the aws provider's regional
// resources.
type endpointIdentity struct {
	ID     fwtypes.String `tfsdk:"id"`
	Region fwtypes.String `tfsdk:"region"`
}

func (r *endpointResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{RequiredForImport: true,
				Description: "The endpoint ID, `vpce-...`."},
			"region": identityschema.StringAttribute{OptionalForImport: true,
				Description: "The endpoint's AWS Region. Defaults to the provider's `region`."},
		},
	}
}

// setIdentity records the identity on every response that saves the
// endpoint, not only on create: CLIs without identity support (Terraform
// before 1.12, OpenTofu before 1.12) never send it back, and the framework
// refuses a read or update that returns none ("Missing Resource Identity
// After Update", cloudfoundry provider issue 418).
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id, region string, diags *diag.Diagnostics) {
	if identity == nil || id == "" {
		return
	}
	diags.Append(identity.Set(ctx, endpointIdentity{ID: fwtypes.StringValue(id), Region: fwtypes.StringValue(region)})...)
}

// importTarget is the endpoint an import names: by ID (vpce-… or
// vpce-…@region), or by identity (id, and region or the provider's).
func importTarget(ctx context.Context, req resource.ImportStateRequest) (id, region string, err error) {
	if req.ID != "" || req.Identity == nil {
		return parseImportID(req.ID)
	}
	var ident endpointIdentity
	if diags := req.Identity.Get(ctx, &ident); diags.HasError() {
		return "", "", fmt.Errorf("reading the import identity: %s", diags.Errors()[0].Detail())
	}
	region = ident.Region.ValueString()
	if region == "" {
		return parseImportID(ident.ID.ValueString())
	}
	return parseImportID(ident.ID.ValueString() + "@" + region)
}
