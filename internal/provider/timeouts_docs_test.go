package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// Every timeouts argument on a registry page states its default: the
// framework's own descriptions leave it out (issue 30).
func TestSchemas_timeoutsStateTheirDefaults(t *testing.T) {
	ctx := context.Background()
	p := &engflowProvider{}
	check := func(owner string, attrs map[string]string) {
		if len(attrs) == 0 {
			t.Errorf("%s: timeouts block has no arguments", owner)
		}
		for name, desc := range attrs {
			if !strings.Contains(desc, "Default: ") {
				t.Errorf("%s: timeouts.%s description %q does not state its default", owner, name, desc)
			}
		}
	}
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "engflow"}, &meta)
		var s resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &s)
		if b, ok := s.Schema.Blocks["timeouts"].(rschema.SingleNestedBlock); ok {
			check(meta.TypeName, descriptions(b.Attributes, func(a rschema.Attribute) string { return a.GetDescription() }))
		} else {
			t.Errorf("%s has no timeouts block", meta.TypeName)
		}
	}
	for _, newDataSource := range p.DataSources(ctx) {
		d := newDataSource()
		var meta datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "engflow"}, &meta)
		var s datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &s)
		// A data source that waits for nothing has no timeouts.
		if b, ok := s.Schema.Blocks["timeouts"].(dsschema.SingleNestedBlock); ok {
			check(meta.TypeName, descriptions(b.Attributes, func(a dsschema.Attribute) string { return a.GetDescription() }))
		}
	}
}

func descriptions[A any](attrs map[string]A, describe func(A) string) map[string]string {
	out := map[string]string{}
	for name, a := range attrs {
		out[name] = describe(a)
	}
	return out
}
