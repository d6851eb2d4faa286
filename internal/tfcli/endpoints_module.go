package tfcli

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// EndpointsModule is a root module with one engflow_privatelink_endpoint
// per entry of var.endpoints (WriteEndpoints sets it), private DNS on
// unless an entry turns it off.
const EndpointsModule = `terraform {
  required_providers {
    engflow = { source = "engflow/engflow" }
  }
}

provider "engflow" {}

variable "endpoints" {
  type = map(object({
    service_name       = string
    vpc_id             = string
    subnet_ids         = list(string)
    security_group_ids = list(string)
    private_dns        = optional(bool, true)
  }))
}

resource "engflow_privatelink_endpoint" "this" {
  for_each            = var.endpoints
  service_name        = each.value.service_name
  vpc_id              = each.value.vpc_id
  subnet_ids          = each.value.subnet_ids
  security_group_ids  = each.value.security_group_ids
  private_dns_enabled = each.value.private_dns
  tags                = { pipeline = each.key }
}
`

// EndpointVars are the arguments of one endpoint of EndpointsModule.
type EndpointVars struct {
	ServiceName      string   `json:"service_name"`
	VPCID            string   `json:"vpc_id"`
	SubnetIDs        []string `json:"subnet_ids"`
	SecurityGroupIDs []string `json:"security_group_ids"`
	// PrivateDNS false turns private DNS off; nil leaves it on.
	PrivateDNS *bool `json:"private_dns,omitempty"`
}

// WriteEndpoints sets EndpointsModule's var.endpoints, by instance key.
func (tf *Terraform) WriteEndpoints(t testing.TB, endpoints map[string]EndpointVars) {
	t.Helper()
	data, err := json.MarshalIndent(map[string]any{"endpoints": endpoints}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	tf.WriteFile(t, "endpoints.auto.tfvars.json", data)
}

// StateEndpointIDs lists the endpoint IDs the state holds, as
// terraform show -json reports them.
func (tf *Terraform) StateEndpointIDs(ctx context.Context) ([]string, error) {
	r, err := tf.Run(ctx, "show", "-json")
	if err == nil && r.ExitCode != 0 {
		err = fmt.Errorf("exit code %d", r.ExitCode)
	}
	if err != nil {
		return nil, fmt.Errorf("terraform show -json: %w\n%s", err, r.Output)
	}
	var st tfjson.State
	if err := json.Unmarshal(r.Output, &st); err != nil {
		return nil, fmt.Errorf("reading terraform show -json: %w", err)
	}
	if st.Values == nil {
		return nil, nil
	}
	return acctest.StateEndpointIDs(st.Values.RootModule), nil
}
