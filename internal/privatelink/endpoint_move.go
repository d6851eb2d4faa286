package privatelink

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	fwtypes "github.com/hashicorp/terraform-plugin-framework/types"
)

// awsVPCEndpoint is the part of hashicorp/aws's aws_vpc_endpoint state
// (schema version 0 in v5 and v6) that an engflow_privatelink_endpoint
// holds too. region is v6's; v5 states have none.
type awsVPCEndpoint struct {
	ID                string            `json:"id"`
	Region            string            `json:"region"`
	VpcEndpointType   string            `json:"vpc_endpoint_type"`
	ServiceName       string            `json:"service_name"`
	ServiceRegion     string            `json:"service_region"`
	VpcID             string            `json:"vpc_id"`
	SubnetIDs         []string          `json:"subnet_ids"`
	SecurityGroupIDs  []string          `json:"security_group_ids"`
	PrivateDNSEnabled bool              `json:"private_dns_enabled"`
	IPAddressType     string            `json:"ip_address_type"`
	Tags              map[string]string `json:"tags"`
	TagsAll           map[string]string `json:"tags_all"`
	DNSOptions        []struct {
		DNSRecordIPType string `json:"dns_record_ip_type"`
	} `json:"dns_options"`
	SubnetConfiguration []struct {
		SubnetID string `json:"subnet_id"`
		IPv4     string `json:"ipv4"`
		IPv6     string `json:"ipv6"`
	} `json:"subnet_configuration"`
}

// MoveState takes an endpoint over from hashicorp/aws's aws_vpc_endpoint
// (a moved block, Terraform 1.8+) without recreating it. The refresh that
// follows reads what the aws state does not hold (the service's private
// DNS name, private IPs); service_name is left for it to fill, so that it
// looks the service up as after an import.
func (r *endpointResource) MoveState(context.Context) []resource.StateMover {
	return []resource.StateMover{{StateMover: r.moveFromAWS}}
}

func (r *endpointResource) moveFromAWS(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	if req.SourceTypeName != "aws_vpc_endpoint" || !strings.HasSuffix(req.SourceProviderAddress, "/hashicorp/aws") || req.SourceRawState == nil {
		return // not this mover's
	}
	summary := "Cannot move aws_vpc_endpoint to engflow_privatelink_endpoint"
	var src awsVPCEndpoint
	if req.SourceSchemaVersion != 0 {
		resp.Diagnostics.AddError(summary, fmt.Sprintf("The aws_vpc_endpoint state has schema version %d; this provider reads version 0 "+
			"(hashicorp/aws v5 and v6). Remove the moved block and import the endpoint instead.", req.SourceSchemaVersion))
		return
	}
	if err := json.Unmarshal(req.SourceRawState.JSON, &src); err != nil {
		resp.Diagnostics.AddError(summary, fmt.Sprintf("Reading the aws_vpc_endpoint state failed: %s.", err))
		return
	}
	if !strings.EqualFold(src.VpcEndpointType, "Interface") {
		resp.Diagnostics.AddError(summary, fmt.Sprintf("%s is a %s endpoint; engflow_privatelink_endpoint manages Interface endpoints "+
			"only. Keep it as aws_vpc_endpoint: remove the moved block.", src.ID, src.VpcEndpointType))
		return
	}
	if !serviceNamePattern.MatchString(src.ServiceName) {
		resp.Diagnostics.AddError(summary, fmt.Sprintf("%s connects to %s, which is not an endpoint service of the form "+
			"com.amazonaws.vpce.<region>.vpce-svc-... (EngFlow's are). Keep it as aws_vpc_endpoint: remove the moved block.",
			src.ID, src.ServiceName))
		return
	}
	region := src.Region
	if region == "" && r.regions != nil {
		region = r.regions.Default() // hashicorp/aws v5: the provider's Region
	}
	m := movedModel(ctx, src, region, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.TargetState.Set(ctx, &m)...)
	setIdentity(ctx, resp.TargetIdentity, src.ID, region, &resp.Diagnostics)
}

// movedModel is the state an aws_vpc_endpoint becomes: its arguments, and
// every attribute only a refresh knows null.
func movedModel(ctx context.Context, src awsVPCEndpoint, region string, diags *diag.Diagnostics) endpointModel {
	dnsRecordIPType := ""
	if len(src.DNSOptions) > 0 {
		dnsRecordIPType = src.DNSOptions[0].DNSRecordIPType
	}
	configs := fwtypes.SetNull(subnetConfigType)
	if len(src.SubnetConfiguration) > 0 {
		entries := make([]subnetConfigModel, len(src.SubnetConfiguration))
		for i, c := range src.SubnetConfiguration {
			entries[i] = subnetConfigModel{SubnetID: fwtypes.StringValue(c.SubnetID), IPv4: optionalString(c.IPv4), IPv6: optionalString(c.IPv6)}
		}
		set, d := fwtypes.SetValueFrom(ctx, subnetConfigType, entries)
		diags.Append(d...)
		configs = set
	}
	tags := fwtypes.MapNull(fwtypes.StringType)
	if len(src.Tags) > 0 {
		tags = stringMap(ctx, src.Tags, diags)
	}
	null := func() fwtypes.String { return fwtypes.StringNull() }
	return endpointModel{
		ID: fwtypes.StringValue(src.ID), Region: fwtypes.StringValue(region),
		ServiceName: null(), ServiceRegion: optionalString(src.ServiceRegion), VpcID: fwtypes.StringValue(src.VpcID),
		SubnetIDs: stringSet(ctx, src.SubnetIDs, diags), SubnetConfiguration: configs,
		SecurityGroupIDs:  stringSet(ctx, src.SecurityGroupIDs, diags),
		PrivateDNSEnabled: fwtypes.BoolValue(src.PrivateDNSEnabled),
		IPAddressType:     optionalString(src.IPAddressType), DNSRecordIPType: optionalString(dnsRecordIPType),
		Tags: tags, TagsAll: stringMap(ctx, src.TagsAll, diags),
		State: null(), OwnerID: null(), RegionalDNSName: null(), PrivateDNSName: null(), RemoteExecutor: null(),
		NetworkInterfaceIDs: fwtypes.ListNull(fwtypes.StringType), PrivateIPs: fwtypes.ListNull(fwtypes.StringType),
		DNSEntries: fwtypes.ListNull(dnsEntryType), ZonalDNSNames: fwtypes.MapNull(fwtypes.StringType),
		Timeouts: nullTimeouts(),
	}
}
