package privatelink

import (
	"context"
	"testing"
	"time"

	"github.com/engflow/terraform-provider-engflow/internal/dnstest"
)

// The DNS check end to end: newDNSResolver's real queries, over UDP, to a
// DNS server on 127.0.0.1 that answers as a VPC's resolver would with
// private DNS on (the endpoint's IPs) and off (EngFlow's load balancer).
func TestCheckDNSResolution_throughDNSServer(t *testing.T) {
	server := dnstest.Start(t, map[string]dnstest.Record{
		"private.cluster.engflow.test":             {Addresses: []string{"10.0.1.5", "10.0.2.5"}},
		"public.cluster.engflow.test":              {CNAME: "engflow-0123.elb.us-east-1.amazonaws.com"},
		"engflow-0123.elb.us-east-1.amazonaws.com": {Addresses: []string{"3.5.6.7"}},
	})
	r := newDNSResolver(server)
	endpointIPs := []string{"10.0.2.5", "10.0.1.5"}
	for _, tc := range []struct {
		name    string
		ok      bool
		phrases []string
	}{
		{"private.cluster.engflow.test", true, []string{"the endpoint's private IPs 10.0.1.5, 10.0.2.5"}},
		{"public.cluster.engflow.test", false, []string{"load balancer engflow-0123.elb.us-east-1.amazonaws.com", "3.5.6.7", "private DNS names are not enabled"}},
		{"unknown.cluster.engflow.test", false, []string{"no such host", "inside the VPC"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			expectCheck(t, healthCheckDNSResolution(ctx, r, tc.name, endpointIPs, privateDNSAdvice), healthPrivateDNS, tc.ok, tc.phrases...)
		})
	}
}
