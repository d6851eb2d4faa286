// Package dnstest serves fixed DNS answers on 127.0.0.1 for tests. It
// imports nothing of the provider, so both acctest and the privatelink
// package's own tests can use it without an import cycle.
package dnstest

import (
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// Record is what the server answers for one name: either A/AAAA addresses,
// or a CNAME to another name (answered with the CNAME and, if that target
// is also in the table, its addresses).
type Record struct {
	Addresses []string
	CNAME     string
}

// maxChain bounds CNAME chains, so a loop in the table cannot hang a test.
const maxChain = 8

// Start serves records (names matched case-insensitively, with or without
// trailing dot) over UDP and TCP on one free port of 127.0.0.1 until the
// test ends. Unknown names get NXDOMAIN. It returns "127.0.0.1:<port>".
func Start(t testing.TB, records map[string]Record) string {
	t.Helper()
	table := make(map[string]Record, len(records))
	for name, r := range records {
		for _, a := range r.Addresses {
			if net.ParseIP(a) == nil {
				t.Fatalf("dnstest: %s: %q is not an IP address", name, a)
			}
		}
		table[key(name)] = r
	}
	udp, tcp, err := listen()
	if err != nil {
		t.Fatal(err)
	}
	handler := dns.HandlerFunc(func(w dns.ResponseWriter, req *dns.Msg) {
		_ = w.WriteMsg(answer(table, req, w.LocalAddr().Network() == "udp"))
	})
	for _, s := range []*dns.Server{{PacketConn: udp, Handler: handler}, {Listener: tcp, Handler: handler}} {
		started, failed := make(chan struct{}), make(chan error, 1)
		s.NotifyStartedFunc = func() { close(started) }
		go func() { failed <- s.ActivateAndServe() }()
		// Waiting for the start lets Shutdown stop it: before, it would refuse.
		select {
		case <-started:
		case err := <-failed:
			udp.Close()
			tcp.Close()
			t.Fatalf("dnstest: serving: %v", err)
		}
		t.Cleanup(func() {
			if err := s.Shutdown(); err != nil {
				t.Errorf("dnstest: stopping: %v", err)
			}
		})
	}
	return udp.LocalAddr().String()
}

// listen binds UDP on a free port of 127.0.0.1 and TCP on the same port,
// trying other ports while that TCP port is taken.
func listen() (net.PacketConn, net.Listener, error) {
	var err error
	for range 10 {
		udp, uerr := net.ListenPacket("udp", "127.0.0.1:0")
		if uerr != nil {
			return nil, nil, fmt.Errorf("dnstest: %w", uerr)
		}
		tcp, terr := net.Listen("tcp", udp.LocalAddr().String())
		if terr == nil {
			return udp, tcp, nil
		}
		udp.Close()
		err = terr
	}
	return nil, nil, fmt.Errorf("dnstest: no port of 127.0.0.1 is free for both UDP and TCP: %w", err)
}

func key(name string) string { return strings.ToLower(dns.Fqdn(name)) }

// answer follows CNAMEs through the table and adds the addresses of the
// type asked for.
func answer(table map[string]Record, req *dns.Msg, udp bool) *dns.Msg {
	m := new(dns.Msg).SetReply(req)
	// Go's resolver takes an empty answer that is neither authoritative
	// nor recursive for a lame referral.
	m.Authoritative, m.RecursionAvailable = true, true
	if len(req.Question) != 1 {
		return m.SetRcodeFormatError(req)
	}
	q := req.Question[0]
	if _, ok := table[key(q.Name)]; !ok {
		return m.SetRcode(req, dns.RcodeNameError)
	}
	name := q.Name
	for range maxChain {
		r, ok := table[key(name)]
		if !ok {
			break
		}
		if r.CNAME == "" {
			m.Answer = append(m.Answer, addresses(name, r.Addresses, q.Qtype)...)
			break
		}
		m.Answer = append(m.Answer, &dns.CNAME{Hdr: header(name, dns.TypeCNAME), Target: dns.Fqdn(r.CNAME)})
		if q.Qtype == dns.TypeCNAME {
			break
		}
		name = dns.Fqdn(r.CNAME)
	}
	if udp {
		size := dns.MinMsgSize
		if opt := req.IsEdns0(); opt != nil {
			size = int(opt.UDPSize())
		}
		m.Truncate(size) // sets TC, sending the client to TCP
	}
	return m
}

func addresses(name string, addrs []string, qtype uint16) []dns.RR {
	var rrs []dns.RR
	for _, a := range addrs {
		ip := net.ParseIP(a)
		switch v4 := ip.To4(); {
		case v4 != nil && qtype == dns.TypeA:
			rrs = append(rrs, &dns.A{Hdr: header(name, dns.TypeA), A: v4})
		case v4 == nil && qtype == dns.TypeAAAA:
			rrs = append(rrs, &dns.AAAA{Hdr: header(name, dns.TypeAAAA), AAAA: ip})
		}
	}
	return rrs
}

func header(name string, rrtype uint16) dns.RR_Header {
	return dns.RR_Header{Name: name, Rrtype: rrtype, Class: dns.ClassINET}
}
