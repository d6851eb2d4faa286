package acctest_test

import (
	"context"
	"errors"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// The DNS server needs no emulator: these tests run without TF_ACC.

// resolverFor sends every query to server over network ("udp" first, as
// the Go resolver does, or "tcp" only).
func resolverFor(server, network string) *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, n, _ string) (net.Conn, error) {
		if network == "tcp" {
			n = "tcp"
		}
		var d net.Dialer
		return d.DialContext(ctx, n, server)
	}}
}

func testDNSServer(t *testing.T) string {
	return acctest.StartDNSServer(t, map[string]acctest.DNSRecord{
		"Cluster.Example.Test.": {Addresses: []string{"10.0.1.5", "10.0.2.5", "fd00::5"}},
		"alias.example.test":    {CNAME: "cluster.example.test"},
		"elb.example.test":      {CNAME: "engflow-nlb-0123.elb.us-east-1.amazonaws.com"},
	})
}

func TestDNSServer_answers(t *testing.T) {
	server := testDNSServer(t)
	for _, network := range []string{"udp", "tcp"} {
		t.Run(network, func(t *testing.T) {
			r := resolverFor(server, network)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			want := []string{"10.0.1.5", "10.0.2.5", "fd00::5"}
			for _, name := range []string{"cluster.example.test", "CLUSTER.example.test.", "alias.example.test"} {
				got, err := r.LookupHost(ctx, name)
				slices.Sort(got)
				if err != nil || !slices.Equal(got, want) {
					t.Errorf("LookupHost(%s) = %v, %v; want %v", name, got, err, want)
				}
			}
			if cname, err := r.LookupCNAME(ctx, "alias.example.test"); err != nil || cname != "cluster.example.test." {
				t.Errorf("LookupCNAME(alias) = %q, %v; want cluster.example.test.", cname, err)
			}
			// A CNAME whose target is not in the table is answered alone.
			if cname, err := r.LookupCNAME(ctx, "elb.example.test"); err != nil || cname != "engflow-nlb-0123.elb.us-east-1.amazonaws.com." {
				t.Errorf("LookupCNAME(elb) = %q, %v; want the load balancer", cname, err)
			}
			_, err := r.LookupHost(ctx, "unknown.example.test")
			var dnsErr *net.DNSError
			if !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
				t.Errorf("LookupHost(unknown) error = %v, want NXDOMAIN (not found)", err)
			}
		})
	}
}

// Many addresses do not fit one UDP answer: the server truncates it and
// the resolver gets the whole answer over TCP, on the same port.
func TestDNSServer_largeAnswerFallsBackToTCP(t *testing.T) {
	var addrs []string
	for i := range 200 {
		addrs = append(addrs, net.IPv4(10, 1, byte(i/250), byte(1+i%250)).String())
	}
	server := acctest.StartDNSServer(t, map[string]acctest.DNSRecord{"big.example.test": {Addresses: addrs}})
	got, err := resolverFor(server, "udp").LookupHost(context.Background(), "big.example.test")
	if err != nil || len(got) != len(addrs) {
		t.Fatalf("got %d addresses (%v), want %d", len(got), err, len(addrs))
	}
}
