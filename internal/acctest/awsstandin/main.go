// Command awsstandin stands in for hashicorp/aws in tests that move an
// aws_vpc_endpoint to engflow_privatelink_endpoint: Terraform loads the
// schema of every provider a state names, and the real one cannot be
// installed offline. It declares aws_vpc_endpoint with the attributes of
// hashicorp/aws v6's documented schema (schema version 0) and does nothing
// else: every operation on it fails.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func main() {
	err := providerserver.Serve(context.Background(), func() provider.Provider { return standIn{} },
		providerserver.ServeOpts{Address: "registry.terraform.io/hashicorp/aws"})
	if err != nil {
		log.Fatal(err)
	}
}

type standIn struct{}

func (standIn) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "aws"
}
func (standIn) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse)          {}
func (standIn) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {}
func (standIn) DataSources(context.Context) []func() datasource.DataSource                        { return nil }
func (standIn) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return vpcEndpoint{} }}
}

type vpcEndpoint struct{}

func (vpcEndpoint) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_vpc_endpoint"
}

func (vpcEndpoint) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	str := func() schema.Attribute { return schema.StringAttribute{Optional: true, Computed: true} }
	boolean := func() schema.Attribute { return schema.BoolAttribute{Optional: true, Computed: true} }
	set := func() schema.Attribute {
		return schema.SetAttribute{Optional: true, Computed: true, ElementType: types.StringType}
	}
	obj := func(attrs map[string]attr.Type) types.ObjectType { return types.ObjectType{AttrTypes: attrs} }
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"arn": str(), "auto_accept": boolean(),
		"cidr_blocks": schema.ListAttribute{Optional: true, Computed: true, ElementType: types.StringType},
		"dns_entry": schema.ListAttribute{Optional: true, Computed: true, ElementType: obj(map[string]attr.Type{
			"dns_name": types.StringType, "hosted_zone_id": types.StringType})},
		"dns_options": schema.ListAttribute{Optional: true, Computed: true, ElementType: obj(map[string]attr.Type{
			"dns_record_ip_type": types.StringType, "private_dns_only_for_inbound_resolver_endpoint": types.BoolType,
			"private_dns_preference": types.StringType, "private_dns_specified_domains": types.SetType{ElemType: types.StringType}})},
		"id": str(), "ip_address_type": str(), "network_interface_ids": set(), "owner_id": str(), "policy": str(),
		"prefix_list_id": str(), "private_dns_enabled": boolean(), "region": str(), "requester_managed": boolean(),
		"resource_configuration_arn": str(), "route_table_ids": set(), "security_group_ids": set(), "service_name": str(),
		"service_network_arn": str(), "service_region": str(), "state": str(),
		"subnet_configuration": schema.SetAttribute{Optional: true, Computed: true, ElementType: obj(map[string]attr.Type{
			"ipv4": types.StringType, "ipv6": types.StringType, "subnet_id": types.StringType})},
		"subnet_ids": set(),
		"tags":       schema.MapAttribute{Optional: true, ElementType: types.StringType},
		"tags_all":   schema.MapAttribute{Optional: true, Computed: true, ElementType: types.StringType},
		"timeouts": schema.ObjectAttribute{Optional: true, AttributeTypes: map[string]attr.Type{
			"create": types.StringType, "update": types.StringType, "delete": types.StringType}},
		"vpc_endpoint_type": str(), "vpc_id": str(),
	}}
}

func (vpcEndpoint) Create(_ context.Context, _ resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Diagnostics.AddError("Stand-in provider", "hashicorp/aws is a test's stand-in here; it manages nothing.")
}
func (vpcEndpoint) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}
func (vpcEndpoint) Update(_ context.Context, _ resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.AddError("Stand-in provider", "hashicorp/aws is a test's stand-in here; it manages nothing.")
}
func (vpcEndpoint) Delete(_ context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	resp.Diagnostics.AddError("Stand-in provider", "hashicorp/aws is a test's stand-in here; it manages nothing.")
}
