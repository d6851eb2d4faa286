package privatelink

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	fwtypes "github.com/hashicorp/terraform-plugin-framework/types"
)

// Every filter of the list's configuration becomes an EC2 filter, and the
// listing keeps only Interface endpoints to endpoint services, by ID.
func TestListEndpoints(t *testing.T) {
	m := endpointListModel{
		VpcID: fwtypes.StringValue("vpc-1"), State: fwtypes.StringValue("available"), ServiceName: fwtypes.StringNull(),
		Tags:       fwtypes.MapValueMust(fwtypes.StringType, map[string]attr.Value{"team": fwtypes.StringValue("build")}),
		Unfinished: fwtypes.BoolValue(true),
	}
	var got []string
	for _, f := range listFilters(context.Background(), m) {
		got = append(got, aws.ToString(f.Name)+"="+strings.Join(f.Values, ","))
	}
	slices.Sort(got)
	want := []string{"tag-key=" + creationMarkerKey, "tag:team=build", "vpc-endpoint-state=available", "vpc-endpoint-type=Interface", "vpc-id=vpc-1"}
	if !slices.Equal(got, want) {
		t.Errorf("filters %v, want %v", got, want)
	}

	f := &fakeEC2{describeEndpoints: func([]string) ([]types.VpcEndpoint, error) {
		s3 := endpoint("vpce-0s3", "available")
		s3.ServiceName = aws.String("com.amazonaws.us-east-1.s3")
		gone := markedEndpoint("vpce-0gone", "", time.Now())
		gone.State = "deleted"
		return []types.VpcEndpoint{markedEndpoint("vpce-0b", "", time.Now()), s3, gone, markedEndpoint("vpce-0a", anotherRun, time.Now())}, nil
	}}
	eps, err := listEndpoints(context.Background(), newTestClient(f), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(eps); !slices.Equal(got, []string{"vpce-0a", "vpce-0b"}) {
		t.Errorf("listed %v, want the endpoints to the endpoint service, by ID", got)
	}
	if name := displayName(eps[0]); !strings.Contains(name, "vpce-0a: vpc-1 to "+testService) || !strings.Contains(name, "unfinished create") {
		t.Errorf("display name %q", name)
	}
	if name := displayName(eps[1]); strings.Contains(name, "unfinished") {
		t.Errorf("display name %q of a finished endpoint", name)
	}
}
