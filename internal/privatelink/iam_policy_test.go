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
