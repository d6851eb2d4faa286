package acctest

import (
	"testing"

	"github.com/engflow/terraform-provider-engflow/internal/dnstest"
)

// DNSRecord is what the test server answers for one name: either A/AAAA
// addresses, or a CNAME to another name (answered with the CNAME and, if
// that target is also in the table, its addresses).
type DNSRecord = dnstest.Record

// StartDNSServer serves the records (names are matched case-insensitively,
// with or without trailing dot) over UDP and TCP on 127.0.0.1 on a free
// port and stops when the test ends (t.Cleanup). Unknown names get
// NXDOMAIN. Returns "127.0.0.1:<port>". It needs neither TF_ACC nor the
// emulator. The server itself is in internal/dnstest, which the
// privatelink package's own tests use too (they cannot import acctest).
func StartDNSServer(t *testing.T, records map[string]DNSRecord) string {
	t.Helper()
	return dnstest.Start(t, records)
}
