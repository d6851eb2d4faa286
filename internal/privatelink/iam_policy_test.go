package privatelink

import (
	"reflect"
	"slices"
	"testing"

	"github.com/engflow/terraform-provider-engflow/internal/iamguide"
)

// The published policy lists exactly the methods of EC2API, the only way
// the provider reaches EC2.
func TestIAMGuideListsExactlyTheEC2Calls(t *testing.T) {
	documented, err := iamguide.EC2Actions()
	if err != nil {
		t.Fatal(err)
	}
	api := reflect.TypeFor[EC2API]()
	var methods []string
	for i := range api.NumMethod() {
		methods = append(methods, api.Method(i).Name)
	}
	slices.Sort(methods)
	if !slices.Equal(documented, methods) {
		t.Errorf("the IAM guide lists %v\nbut EC2API has %v", documented, methods)
	}
}

// A create that connects across Regions sends ServiceRegion, for which AWS
// checks the permission-only action vpce:AllowMultiRegion: the guide lists it.
func TestIAMGuideListsTheCrossRegionPermission(t *testing.T) {
	in := createInput(endpointSpec{ServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", ServiceRegion: "us-east-1"}, false, "m")
	if in.ServiceRegion == nil {
		t.Fatal("a cross-Region create does not send ServiceRegion; then vpce:AllowMultiRegion would not be needed")
	}
	actions, err := iamguide.Actions()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(actions, "vpce:AllowMultiRegion") {
		t.Errorf("the IAM guide lists %v, without vpce:AllowMultiRegion", actions)
	}
}
