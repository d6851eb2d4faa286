package acctest_test

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// TestEmulator_ServiceDetails: DescribeVpcEndpointServices returns an
// AWS-shaped ServiceDetail for a service the fixture created.
func TestEmulator_ServiceDetails(t *testing.T) {
	acctest.RequireEmulator(t, "checks the emulator's service details")
	a := acctest.TestAWS(t)
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	d := serviceDetail(t, a.EC2, svc.Name)

	id := aws.ToString(d.ServiceId)
	if !regexp.MustCompile(`^vpce-svc-[0-9a-f]{17}$`).MatchString(id) {
		t.Errorf("ServiceId %q is not vpce-svc- and 17 hex digits", id)
	}
	if want := "com.amazonaws.vpce." + a.Region + "." + id; aws.ToString(d.ServiceName) != want {
		t.Errorf("ServiceName %q, want %q", aws.ToString(d.ServiceName), want)
	}
	if want := []string{id + "." + a.Region + ".vpce.amazonaws.com"}; !slices.Equal(d.BaseEndpointDnsNames, want) {
		t.Errorf("BaseEndpointDnsNames %q, want %q", d.BaseEndpointDnsNames, want)
	}
	if len(d.ServiceType) != 1 || d.ServiceType[0].ServiceType != ec2types.ServiceTypeInterface {
		t.Errorf("ServiceType %+v, want [Interface]", d.ServiceType)
	}
	lbZones := loadBalancerZones(t, a, svc.ID)
	if !slices.Equal(d.AvailabilityZones, lbZones) {
		t.Errorf("AvailabilityZones %q, want the load balancer's %q", d.AvailabilityZones, lbZones)
	}
	if want := zoneIDs(t, a.EC2, d.AvailabilityZones); !slices.Equal(d.AvailabilityZoneIds, want) {
		t.Errorf("AvailabilityZoneIds %q, want %q from DescribeAvailabilityZones", d.AvailabilityZoneIds, want)
	}
	if got := aws.ToString(d.PrivateDnsName); got == "" || got != svc.PrivateDNSName {
		t.Errorf("PrivateDnsName %q, want %q", got, svc.PrivateDNSName)
	}
	if d.PrivateDnsNameVerificationState != ec2types.DnsNameStateVerified {
		t.Errorf("PrivateDnsNameVerificationState %q, want verified", d.PrivateDnsNameVerificationState)
	}
	if want := []ec2types.ServiceConnectivityType{"ipv4"}; !slices.Equal(d.SupportedIpAddressTypes, want) {
		t.Errorf("SupportedIpAddressTypes %q, want %q", d.SupportedIpAddressTypes, want)
	}
	if aws.ToBool(d.AcceptanceRequired) {
		t.Error("AcceptanceRequired is true for a service made without it")
	}

	t.Run("pendingVerification", func(t *testing.T) {
		pending := acctest.NewService(t, acctest.ServiceOptions{PrivateDNSVerificationState: "pendingVerification"})
		d := serviceDetail(t, a.EC2, pending.Name)
		if d.PrivateDnsNameVerificationState != ec2types.DnsNameStatePendingVerification {
			t.Errorf("PrivateDnsNameVerificationState %q, want pendingVerification", d.PrivateDnsNameVerificationState)
		}
	})
}

func serviceDetail(t *testing.T, _ *ec2.Client, name string) ec2types.ServiceDetail {
	t.Helper()
	details, err := acctest.TestAWS(t).ServiceDetails(context.Background(), &ec2.DescribeVpcEndpointServicesInput{
		ServiceNames: []string{name},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(details) != 1 {
		t.Fatalf("DescribeVpcEndpointServices %s: %d details, want 1", name, len(details))
	}
	return details[0]
}

// loadBalancerZones lists, sorted and once each, the zones of the network
// load balancers behind the service, as ELB reports them.
func loadBalancerZones(t *testing.T, a *acctest.AWS, serviceID string) []string {
	t.Helper()
	ctx := context.Background()
	cfg, err := a.EC2.DescribeVpcEndpointServiceConfigurations(ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{
		ServiceIds: []string{serviceID},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.ServiceConfigurations) != 1 {
		t.Fatalf("service %s: %d configurations, want 1", serviceID, len(cfg.ServiceConfigurations))
	}
	lbs, err := a.ELB.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{
		LoadBalancerArns: cfg.ServiceConfigurations[0].NetworkLoadBalancerArns,
	})
	if err != nil {
		t.Fatal(err)
	}
	var zones []string
	for _, lb := range lbs.LoadBalancers {
		for _, z := range lb.AvailabilityZones {
			zones = append(zones, aws.ToString(z.ZoneName))
		}
	}
	if len(zones) == 0 {
		t.Fatalf("the load balancers of %s report no zones", serviceID)
	}
	slices.Sort(zones)
	return slices.Compact(zones)
}

// zoneIDs maps zone names to zone IDs as DescribeAvailabilityZones reports them.
func zoneIDs(t *testing.T, c *ec2.Client, names []string) []string {
	t.Helper()
	out, err := c.DescribeAvailabilityZones(context.Background(), &ec2.DescribeAvailabilityZonesInput{ZoneNames: names})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{}
	for _, z := range out.AvailabilityZones {
		byName[aws.ToString(z.ZoneName)] = aws.ToString(z.ZoneId)
	}
	ids := make([]string, len(names))
	for i, n := range names {
		ids[i] = byName[n]
	}
	return ids
}

// TestEmulator_RequestLog: the emulator logs each API call with its action,
// parameters, status and error code, and never the caller's credentials.
func TestEmulator_RequestLog(t *testing.T) {
	emu := acctest.RequireEmulator(t, "the request log is the emulator's own")
	ctx := context.Background()
	// Distinctive credentials, to look for in the log.
	accessKey := acctest.RandomName("AKIDLOGTEST")
	secretKey := acctest.RandomName("secret")
	sessionToken := acctest.RandomName("session-token")
	c := ec2.New(ec2.Options{
		Region:       acctest.EmulatorRegion,
		BaseEndpoint: aws.String(emu.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(accessKey, secretKey, sessionToken),
	})
	unknown := unknownEndpointID(t)

	mark, err := emu.Mark(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, describeErr := c.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{unknown}})
	if apiErrorCode(describeErr) == "" {
		t.Fatalf("describing unknown endpoint %s: want an API error, got %v", unknown, describeErr)
	}
	if _, err := c.DeleteVpcEndpoints(ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: []string{unknown}}); err != nil {
		t.Fatal(err)
	}
	reqs, _, err := emu.Requests(ctx, mark)
	if err != nil {
		t.Fatal(err)
	}

	byEndpoint := map[string]string{"VpcEndpointId.1": unknown}
	described := expectOneCall(t, reqs, "DescribeVpcEndpoints", byEndpoint)
	deleted := expectOneCall(t, reqs, "DeleteVpcEndpoints", byEndpoint)
	if code := apiErrorCode(describeErr); described.Status != 400 || described.ErrorCode != code {
		t.Errorf("DescribeVpcEndpoints logged as %d %q, the API answered 400 %q", described.Status, described.ErrorCode, code)
	}
	if deleted.Status != 200 || deleted.ErrorCode != "" {
		t.Errorf("DeleteVpcEndpoints logged as %d %q, want 200 and no error code", deleted.Status, deleted.ErrorCode)
	}
	if described.Seq >= deleted.Seq {
		t.Errorf("sequence numbers %d (describe) and %d (delete) are out of call order", described.Seq, deleted.Seq)
	}

	raw := controlGET(t, emu, "/_emulator/requests?since=0")
	if !bytes.Contains(raw, []byte(unknown)) {
		t.Fatalf("the raw request log does not hold the calls for %s", unknown)
	}
	for what, secret := range map[string]string{"access key": accessKey, "secret key": secretKey, "session token": sessionToken} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the request log holds the caller's %s", what)
		}
	}
	if want := "arn:aws:sts::123456789012:user/moto"; described.Caller != want {
		t.Errorf("DescribeVpcEndpoints logged with caller %q, want %q (moto's name for a key it did not issue)", described.Caller, want)
	}
}

// TestEmulator_RequestLogCaller: the log names the assumed role that
// signed a call, and keeps no web identity token.
func TestEmulator_RequestLogCaller(t *testing.T) {
	emu := acctest.RequireEmulator(t, "the request log is the emulator's own")
	ctx := context.Background()
	token := acctest.RandomName("web-identity-token")
	anonymous := sts.New(sts.Options{Region: acctest.EmulatorRegion, BaseEndpoint: aws.String(emu.URL)})
	out, err := anonymous.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
		RoleArn: aws.String("arn:aws:iam::210987654321:role/ci"), RoleSessionName: aws.String("job-7"),
		WebIdentityToken: aws.String(token),
	})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	mark, err := emu.Mark(ctx)
	if err != nil {
		t.Fatal(err)
	}
	assumed := ec2.New(ec2.Options{
		Region: acctest.EmulatorRegion, BaseEndpoint: aws.String(emu.URL),
		Credentials: credentials.NewStaticCredentialsProvider(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)),
	})
	if _, err := assumed.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}); err != nil {
		t.Fatal(err)
	}
	reqs, _, err := emu.Requests(ctx, mark)
	if err != nil {
		t.Fatal(err)
	}
	calls := acctest.FindCalls(reqs, "DescribeVpcs", nil)
	if want := "arn:aws:sts::210987654321:assumed-role/ci/job-7"; len(calls) != 1 || calls[0].Caller != want {
		t.Errorf("DescribeVpcs logged as %+v, want one call with caller %s", calls, want)
	}
	if raw := controlGET(t, emu, "/_emulator/requests?since=0"); bytes.Contains(raw, []byte(token)) {
		t.Error("the request log holds the web identity token")
	}
}

// expectOneCall returns the one logged call of action with params, all
// from EC2 and without the protocol's envelope parameters.
func expectOneCall(t *testing.T, reqs []acctest.APIRequest, action string, params map[string]string) acctest.APIRequest {
	t.Helper()
	calls := acctest.FindCalls(reqs, action, params)
	if len(calls) != 1 {
		t.Fatalf("the request log holds %d %s calls with %v, want 1 (log: %+v)", len(calls), action, params, reqs)
	}
	call := calls[0]
	if call.Service != "ec2" {
		t.Errorf("%s logged for service %q, want ec2", action, call.Service)
	}
	for _, envelope := range []string{"Action", "Version"} {
		if _, ok := call.Params[envelope]; ok {
			t.Errorf("%s logged with parameter %s", action, envelope)
		}
	}
	return call
}
