package acctest

// Reading `terraform show -json` state (what state checks get), in the
// root module and in every child module alike.

import (
	"fmt"

	tfjson "github.com/hashicorp/terraform-json"
)

// Resources lists the resources and data sources of a state, those of the
// root module and of every child module.
func Resources(st *tfjson.State) []*tfjson.StateResource {
	if st == nil || st.Values == nil {
		return nil
	}
	return moduleResources(st.Values.RootModule)
}

func moduleResources(m *tfjson.StateModule) []*tfjson.StateResource {
	if m == nil {
		return nil
	}
	out := append([]*tfjson.StateResource(nil), m.Resources...)
	for _, child := range m.ChildModules {
		out = append(out, moduleResources(child)...)
	}
	return out
}

// Attributes returns the attributes of the resource or data source at
// address, in any module (module.engflow.engflow_privatelink_endpoint.this["ci"]).
func Attributes(st *tfjson.State, address string) (map[string]any, error) {
	if st == nil || st.Values == nil || st.Values.RootModule == nil {
		return nil, fmt.Errorf("state is empty, no %s", address)
	}
	for _, r := range Resources(st) {
		if r.Address == address {
			return r.AttributeValues, nil
		}
	}
	return nil, fmt.Errorf("%s not found in state", address)
}

// StateEndpoints lists the engflow_privatelink_endpoint resources (with an
// ID) of a state, in any module.
func StateEndpoints(st *tfjson.State) []StateEndpoint {
	var out []StateEndpoint
	for _, r := range Resources(st) {
		id, ok := r.AttributeValues["id"].(string)
		if !ok || r.Type != EndpointType || r.Mode != tfjson.ManagedResourceMode {
			continue
		}
		region, _ := r.AttributeValues["region"].(string)
		out = append(out, StateEndpoint{Address: r.Address, ID: id, Region: region})
	}
	return out
}

// StateEndpointIDs lists the IDs of the engflow_privatelink_endpoint
// resources of a module and its children.
func StateEndpointIDs(m *tfjson.StateModule) []string {
	var ids []string
	for _, ep := range StateEndpoints(&tfjson.State{Values: &tfjson.StateValues{RootModule: m}}) {
		ids = append(ids, ep.ID)
	}
	return ids
}
