package privatelink

import (
	"context"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwtypes "github.com/hashicorp/terraform-plugin-framework/types"
)

func dnsEntries(names ...string) []types.DnsEntry {
	out := make([]types.DnsEntry, len(names))
	for i, n := range names {
		out[i] = types.DnsEntry{DnsName: aws.String(n), HostedZoneId: aws.String("Z7HUB22UULQXV")}
	}
	return out
}

func TestSplitDNSNames(t *testing.T) {
	const id = "vpce-0b7d2995e9dfe5418"
	regional, zonal := splitDNSNames(id, dnsEntries(
		id+"-mwrths3x.vpce-svc-0123456789abcdef0.us-west-2.vpce.amazonaws.com",
		id+"-mwrths3x-us-west-2a.vpce-svc-0123456789abcdef0.us-west-2.vpce.amazonaws.com",
		id+"-mwrths3x-us-west-2b.vpce-svc-0123456789abcdef0.us-west-2.vpce.amazonaws.com",
		"demo.cluster.engflow.com",
	))
	if regional != id+"-mwrths3x.vpce-svc-0123456789abcdef0.us-west-2.vpce.amazonaws.com" {
		t.Errorf("regional = %q", regional)
	}
	want := map[string]string{
		"us-west-2a": id + "-mwrths3x-us-west-2a.vpce-svc-0123456789abcdef0.us-west-2.vpce.amazonaws.com",
		"us-west-2b": id + "-mwrths3x-us-west-2b.vpce-svc-0123456789abcdef0.us-west-2.vpce.amazonaws.com",
	}
	if !reflect.DeepEqual(zonal, want) {
		t.Errorf("zonal = %v", zonal)
	}
}

func TestNewEndpointView_ordersIPsLikeInterfaces(t *testing.T) {
	ep := &types.VpcEndpoint{
		VpcEndpointId:       aws.String("vpce-1"),
		State:               "available",
		NetworkInterfaceIds: []string{"eni-b", "eni-a"},
		Groups:              []types.SecurityGroupIdentifier{{GroupId: aws.String("sg-2")}, {GroupId: aws.String("sg-1")}},
	}
	v := newEndpointView(ep, map[string]string{"eni-a": "10.0.1.5", "eni-b": "10.0.2.7"}, "demo.cluster.engflow.com")
	if !reflect.DeepEqual(v.NetworkInterfaceIDs, []string{"eni-a", "eni-b"}) || !reflect.DeepEqual(v.PrivateIPs, []string{"10.0.1.5", "10.0.2.7"}) {
		t.Errorf("interfaces %v with IPs %v", v.NetworkInterfaceIDs, v.PrivateIPs)
	}
	if !reflect.DeepEqual(v.SecurityGroupIDs, []string{"sg-1", "sg-2"}) {
		t.Errorf("groups %v", v.SecurityGroupIDs)
	}
	if remoteExecutor(v.PrivateDNSName) != "grpcs://demo.cluster.engflow.com" || remoteExecutor("") != "" {
		t.Error("remote_executor is not grpcs://<private DNS name>")
	}
}

func TestResourceTags(t *testing.T) {
	ctx := context.Background()
	defaults := map[string]string{"managed-by": "terraform", "team": "platform"}
	mapOf := func(m map[string]string) fwtypes.Map {
		vals := map[string]attr.Value{}
		for k, v := range m {
			vals[k] = fwtypes.StringValue(v)
		}
		return fwtypes.MapValueMust(fwtypes.StringType, vals)
	}
	for _, tc := range []struct {
		name       string
		all        map[string]string
		configured fwtypes.Map
		want       fwtypes.Map
	}{
		{"defaults only, tags unset", map[string]string{"managed-by": "terraform", "team": "platform"},
			fwtypes.MapNull(fwtypes.StringType), fwtypes.MapNull(fwtypes.StringType)},
		{"own tag overrides a default", map[string]string{"managed-by": "terraform", "team": "build"},
			mapOf(map[string]string{"team": "build"}), mapOf(map[string]string{"team": "build"})},
		{"own tag equal to a default stays", map[string]string{"managed-by": "terraform", "team": "platform"},
			mapOf(map[string]string{"team": "platform"}), mapOf(map[string]string{"team": "platform"})},
		{"tag added outside Terraform shows as drift", map[string]string{"managed-by": "terraform", "team": "platform", "owner": "bob"},
			fwtypes.MapNull(fwtypes.StringType), mapOf(map[string]string{"owner": "bob"})},
		{"empty map keeps its shape", map[string]string{"managed-by": "terraform", "team": "platform"},
			mapOf(map[string]string{}), mapOf(map[string]string{})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			got := resourceTags(ctx, tc.all, defaults, tc.configured, &diags)
			if diags.HasError() || !got.Equal(tc.want) {
				t.Errorf("got %v (%v), want %v", got, diags, tc.want)
			}
		})
	}
}
