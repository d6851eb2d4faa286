package acctest

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"time"
)

// Route 53 in the fault proxy: how a call is named, which parameters a
// rule can key on, and the errors Route 53 answers a busy caller with.

// Route 53 is a REST API: its action is the method and path of the
// request, as each action's "Request Syntax" in the Route 53 API Reference
// gives them. This is the table of the emulator's request log
// (request_log.py, _ROUTE53_ACTIONS), so that a fault the proxy records
// and a call the emulator logs name the same action
// (TestEmulator_Route53FaultProxy holds them equal). Only the actions the
// provider calls are named; another Route 53 call is "" and no rule that
// names actions fires for it.
var route53Actions = []route53Route{
	{http.MethodPost, route53Path(`hostedzone`), "CreateHostedZone"},
	{http.MethodGet, route53Path(`hostedzone/([^/]+)`), "GetHostedZone"},
	{http.MethodDelete, route53Path(`hostedzone/([^/]+)`), "DeleteHostedZone"},
	{http.MethodPost, route53Path(`hostedzone/([^/]+)/rrset`), "ChangeResourceRecordSets"},
	{http.MethodGet, route53Path(`hostedzone/([^/]+)/rrset`), "ListResourceRecordSets"},
	{http.MethodPost, route53Path(`hostedzone/([^/]+)/associatevpc`), "AssociateVPCWithHostedZone"},
	{http.MethodPost, route53Path(`hostedzone/([^/]+)/disassociatevpc`), "DisassociateVPCFromHostedZone"},
	{http.MethodGet, route53Path(`change/([^/]+)`), "GetChange"},
	{http.MethodGet, route53Path(`hostedzonesbyvpc`), "ListHostedZonesByVPC"},
	{http.MethodGet, route53Path(`hostedzonesbyname`), "ListHostedZonesByName"},
}

type route53Route struct {
	method string
	path   *regexp.Regexp
	action string
}

func route53Path(p string) *regexp.Regexp { return regexp.MustCompile(`^/2013-04-01/` + p + `/?$`) }

// route53Call names a Route 53 request and gathers its parameters: the
// query string's, and the path's Id (the hosted zone's or the change's, as
// the API Reference names that URI parameter).
func route53Call(method string, u *url.URL) (string, url.Values) {
	params := u.Query()
	for _, a := range route53Actions {
		if m := a.path.FindStringSubmatch(u.Path); m != nil && method == a.method {
			if len(m) > 1 {
				params.Set("Id", m[1])
			}
			return a.action, params
		}
	}
	return "", params
}

// route53PriorRequestActions are the actions of route53Actions that
// Route 53's service model gives PriorRequestNotComplete among their
// errors: aws-sdk-go-v2's route53 client, generated from it, knows the code
// in these operations' error deserializers only (v1.71.0,
// deserializers.go). CreateHostedZone, DisassociateVPCFromHostedZone and
// the reads do not list it.
var route53PriorRequestActions = []string{"AssociateVPCWithHostedZone", "ChangeResourceRecordSets", "DeleteHostedZone"}

// validateRoute53Rule refuses a Route 53 rule that would do what Route 53
// does not: an action the proxy cannot name, a PriorRequestNotComplete
// where the service model does not list it, or an error fault with no
// Route 53 form written here yet (InternalError, an IAM denial).
func validateRoute53Rule(r FaultRule) error {
	for _, a := range r.Actions {
		if !slices.ContainsFunc(route53Actions, func(k route53Route) bool { return k.action == a }) {
			return fmt.Errorf("a %s rule names Route 53 action %q, which the fault proxy does not know (see route53Actions)", r.Fault, a)
		}
	}
	switch r.Fault {
	case FaultInternalError, FaultDeny:
		return fmt.Errorf("the fault proxy has no Route 53 form of %s; write one from Route 53's documentation first", r.Fault)
	case FaultPriorRequestNotComplete:
		if len(r.Actions) == 0 {
			return fmt.Errorf("a %s rule must name its actions, among %v", r.Fault, route53PriorRequestActions)
		}
		for _, a := range r.Actions {
			if !slices.Contains(route53PriorRequestActions, a) {
				return fmt.Errorf("a %s rule names %s, for which Route 53's service model lists no such error; it may name %v", r.Fault, a, route53PriorRequestActions)
			}
		}
	}
	return nil
}

// Route 53's answers to a busy caller, both HTTP 400 (Bad request), in
// AWS's words. Route 53 Developer Guide, "Quotas on Route 53 API requests"
// (DNSLimitations.html; now "Throttling Amazon Route 53 API requests",
// throttling-api-requests.html): "If you submit more than five requests per
// second, Route 53 returns an HTTP 400 error (Bad request). The response
// header also includes a Code element with a value of Throttling and a
// Message element with a value of Rate exceeded." And for
// ChangeResourceRecordSets: "If Route 53 can't process a request before the
// next request arrives, it will reject subsequent requests for the same
// hosted zone and return an HTTP 400 error (Bad request). The response
// header also includes a Code element with a value of
// PriorRequestNotComplete and a Message element with a value of The request
// was rejected because Route 53 was still processing a prior request." The
// API Reference's PriorRequestNotComplete adds: "If Route 53 returns this
// error repeatedly for the same request, we recommend that you wait, in
// intervals of increasing duration, before you try the request again."
const (
	route53ThrottleCode    = "Throttling"
	route53ThrottleMessage = "Rate exceeded"
	route53PriorCode       = "PriorRequestNotComplete"
	route53PriorMessage    = "The request was rejected because Route 53 was still processing a prior request."
)

// writeRoute53Error answers as Route 53 does, in the shape real answers
// show (pcorliss/ruby_route_53 issue 13 for Throttling, rancher/rancher
// issue 2529 for PriorRequestNotComplete, both HTTP 400):
//
//	<?xml version="1.0"?>
//	<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type>
//	<Code>...</Code><Message>...</Message></Error><RequestId>...</RequestId></ErrorResponse>
//
// with the request ID also in the x-amzn-RequestId header (airbnb/zonify
// issue 16 shows both).
func writeRoute53Error(w http.ResponseWriter, status int, code, message string) {
	now := time.Now().UnixNano()
	id := fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", uint32(now>>32), uint16(now>>16), uint16(now), 0xfa17, now&0xffffffffffff)
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("x-amzn-RequestId", id)
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0"?>
<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>`,
		code, message, id)
}
