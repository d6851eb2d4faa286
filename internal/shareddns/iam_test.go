package shareddns

import (
	"reflect"
	"slices"
	"testing"

	"github.com/engflow/terraform-provider-engflow/internal/iamguide"
)

func methodsOf[T any]() []string {
	api := reflect.TypeFor[T]()
	var names []string
	for i := range api.NumMethod() {
		names = append(names, api.Method(i).Name)
	}
	slices.Sort(names)
	return names
}

// The published policy lists exactly the methods of Route53API, the only
// way the provider reaches Route 53, and every EC2 call of this resource.
func TestIAMGuideListsTheSharedDNSCalls(t *testing.T) {
	documented, err := iamguide.ServiceActions("route53")
	if err != nil {
		t.Fatal(err)
	}
	if got := methodsOf[Route53API](); !slices.Equal(documented, got) {
		t.Errorf("the IAM guide lists route53 actions %v\nbut Route53API has %v", documented, got)
	}
	ec2, err := iamguide.EC2Actions()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range methodsOf[EC2API]() {
		if !slices.Contains(ec2, m) {
			t.Errorf("shareddns calls ec2:%s, which the IAM guide does not list", m)
		}
	}
}
