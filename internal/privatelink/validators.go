package privatelink

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// serviceNameValidator rejects a malformed service name at validate time,
// before any API call. Unknown values are checked once known.
type serviceNameValidator struct{}

func (serviceNameValidator) Description(context.Context) string {
	return "must be an endpoint service name of the form com.amazonaws.vpce.<region>.vpce-svc-<hex>"
}

func (v serviceNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (serviceNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseServiceName(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid EngFlow endpoint service name", err.Error())
	}
}
