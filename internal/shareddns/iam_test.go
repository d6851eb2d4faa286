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
// way the provider reaches Route 53. (Its EC2 calls are the endpoint
// resource's look-ups, which privatelink's IAM test holds to the guide.)
func TestIAMGuideListsTheSharedDNSCalls(t *testing.T) {
	documented, err := iamguide.ServiceActions("route53")
	if err != nil {
		t.Fatal(err)
	}
	if got := methodsOf[Route53API](); !slices.Equal(documented, got) {
		t.Errorf("the IAM guide lists route53 actions %v\nbut Route53API has %v", documented, got)
	}
}
