package acctest_test

// Tests of cross-Region PrivateLink (AWS, November 2024): a service hosted
// in acctest.EmulatorRegion lists acctest.EmulatorSecondRegion among its
// supported Regions, and a consumer there reaches it with ServiceRegion.
// EC2 keeps resources per Region (moto: one backend per Region, picked by
// the SigV4 scope), so each side talks to its own Region (AWS.InRegion).

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// unlistedRegion is a Region the tests' services never list as supported.
const unlistedRegion = "eu-west-1"

// crossRegionService is a service of the tests' Region that consumers in
// acctest.EmulatorSecondRegion may reach.
func crossRegionService(t *testing.T, acceptance bool) *acctest.Service {
	t.Helper()
	return acctest.NewService(t, acctest.ServiceOptions{
		AcceptanceRequired: acceptance, SupportedRegions: []string{acctest.EmulatorSecondRegion},
	})
}

// remoteEndpoint is the request for an Interface endpoint in vpc (of
// another Region) to svc in its own Region.
func remoteEndpoint(svc *acctest.Service, vpc *acctest.VPC) *ec2.CreateVpcEndpointInput {
	in := interfaceEndpoint(svc, vpc)
	in.ServiceRegion = aws.String(svc.Region)
	return in
}

// TestEmulator_SupportedRegions: CreateVpcEndpointServiceConfiguration takes
// SupportedRegion.N, ModifyVpcEndpointServiceConfiguration
// AddSupportedRegion.N and RemoveSupportedRegion.N; the configuration lists
// each Region as a SupportedRegionDetail (Region, ServiceState), the
// service's own Region always among them, and RemoteAccessEnabled says
// whether another Region is (EC2 API reference, ServiceConfiguration).
// Removing the service's own Region is refused with AWS's words
// (aws-controllers-k8s/community 2902).
func TestEmulator_SupportedRegions(t *testing.T) {
	acctest.RequireEmulator(t, "checks the emulator's cross-Region service configuration")
	c, ctx := acctest.TestAWS(t).EC2, context.Background()
	home, second := acctest.EmulatorRegion, acctest.EmulatorSecondRegion
	svc := crossRegionService(t, false)
	expectSupportedRegions(t, c, svc.ID, true, home, second)

	modify := func(change func(*ec2.ModifyVpcEndpointServiceConfigurationInput)) error {
		in := &ec2.ModifyVpcEndpointServiceConfigurationInput{ServiceId: aws.String(svc.ID)}
		change(in)
		_, err := c.ModifyVpcEndpointServiceConfiguration(ctx, in)
		return err
	}
	if err := modify(func(in *ec2.ModifyVpcEndpointServiceConfigurationInput) {
		in.AddSupportedRegions, in.RemoveSupportedRegions = []string{unlistedRegion}, []string{second}
	}); err != nil {
		t.Fatal(err)
	}
	expectSupportedRegions(t, c, svc.ID, true, home, unlistedRegion)

	err := modify(func(in *ec2.ModifyVpcEndpointServiceConfigurationInput) { in.RemoveSupportedRegions = []string{home} })
	expectAPIError(t, err, "InvalidParameter", "Cannot remove service region "+home, svc.ID)
	expectSupportedRegions(t, c, svc.ID, true, home, unlistedRegion)

	local := acctest.NewService(t, acctest.ServiceOptions{})
	expectSupportedRegions(t, c, local.ID, false, home)
}

// expectSupportedRegions checks the Regions (in any order, each Available)
// and RemoteAccessEnabled of a service's configuration.
func expectSupportedRegions(t *testing.T, c *ec2.Client, serviceID string, remote bool, want ...string) {
	t.Helper()
	out, err := c.DescribeVpcEndpointServiceConfigurations(context.Background(), &ec2.DescribeVpcEndpointServiceConfigurationsInput{
		ServiceIds: []string{serviceID},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ServiceConfigurations) != 1 {
		t.Fatalf("service %s: %d configurations, want 1", serviceID, len(out.ServiceConfigurations))
	}
	cfg := out.ServiceConfigurations[0]
	var got []string
	for _, r := range cfg.SupportedRegions {
		got = append(got, aws.ToString(r.Region))
		if state := aws.ToString(r.ServiceState); state != "Available" {
			t.Errorf("supported Region %s is %q, want Available", aws.ToString(r.Region), state)
		}
	}
	if !slices.Equal(sorted(got), sorted(want)) {
		t.Errorf("service %s supports Regions %q, want %q", serviceID, got, want)
	}
	if aws.ToBool(cfg.RemoteAccessEnabled) != remote {
		t.Errorf("service %s has RemoteAccessEnabled %v, want %v", serviceID, aws.ToBool(cfg.RemoteAccessEnabled), remote)
	}
}

// TestEmulator_RemoteServiceDetails: from a Region the service supports,
// DescribeVpcEndpointServices with ServiceRegion.N answers the service's
// ServiceDetail as its own Region does, but, as AWS does for a remote
// service, without Availability Zones (terraform-provider-aws 44186), and
// with ServiceRegion set. Without ServiceRegions a service of another Region
// is InvalidServiceName (cloud-custodian PR 10918); so it is from a Region
// the service does not support.
func TestEmulator_RemoteServiceDetails(t *testing.T) {
	acctest.RequireEmulator(t, "checks the emulator's cross-Region service details")
	a, ctx := acctest.TestAWS(t), context.Background()
	west := a.InRegion(acctest.EmulatorSecondRegion)
	svc := crossRegionService(t, true)
	local := serviceDetail(t, a.EC2, svc.Name)
	if got := aws.ToString(local.ServiceRegion); got != a.Region {
		t.Errorf("in its own Region the service reports ServiceRegion %q, want %q", got, a.Region)
	}
	if len(local.AvailabilityZones) == 0 {
		t.Error("in its own Region the service lists no zones")
	}

	named := &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{svc.Name}, ServiceRegions: []string{a.Region}}
	details, err := west.ServiceDetails(ctx, named)
	if err != nil {
		t.Fatal(err)
	}
	if len(details) != 1 {
		t.Fatalf("%s sees %d services named %s in %s, want 1", west.Region, len(details), svc.Name, a.Region)
	}
	remote := details[0]
	if got := aws.ToString(remote.ServiceRegion); got != a.Region {
		t.Errorf("from %s the service reports ServiceRegion %q, want %q", west.Region, got, a.Region)
	}
	if len(remote.AvailabilityZones)+len(remote.AvailabilityZoneIds) > 0 {
		t.Errorf("from %s the service lists zones %q %q, want none", west.Region, remote.AvailabilityZones, remote.AvailabilityZoneIds)
	}
	for _, d := range []struct {
		what          string
		remote, local any
	}{
		{"ServiceId", aws.ToString(remote.ServiceId), aws.ToString(local.ServiceId)},
		{"PrivateDnsName", aws.ToString(remote.PrivateDnsName), aws.ToString(local.PrivateDnsName)},
		{"AcceptanceRequired", aws.ToBool(remote.AcceptanceRequired), aws.ToBool(local.AcceptanceRequired)},
		{"Owner", aws.ToString(remote.Owner), aws.ToString(local.Owner)},
		{"BaseEndpointDnsNames", remote.BaseEndpointDnsNames, local.BaseEndpointDnsNames},
	} {
		if !reflect.DeepEqual(d.remote, d.local) {
			t.Errorf("from %s the service reports %s %v, its own Region %v", west.Region, d.what, d.remote, d.local)
		}
	}

	// A listing filtered by name, rather than naming it, finds it only
	// among the services of the Region that hosts it.
	byFilter := func(regions ...string) []string {
		found, err := west.ServiceDetails(ctx, &ec2.DescribeVpcEndpointServicesInput{
			ServiceRegions: regions,
			Filters:        []ec2types.Filter{{Name: aws.String("service-name"), Values: []string{svc.Name}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		return pick(found, func(d ec2types.ServiceDetail) *string { return d.ServiceName })
	}
	if got := byFilter(a.Region); !slices.Equal(got, []string{svc.Name}) {
		t.Errorf("%s's listing of %s's services holds %q, want %s", west.Region, a.Region, got, svc.Name)
	}
	if got := byFilter(); len(got) != 0 {
		t.Errorf("%s's listing of its own services holds %q, a service of %s", west.Region, got, a.Region)
	}

	_, err = west.ServiceDetails(ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{svc.Name}})
	expectAPIError(t, err, "InvalidServiceName", svc.Name)
	_, err = a.InRegion(unlistedRegion).ServiceDetails(ctx, named)
	expectAPIError(t, err, "InvalidServiceName", svc.Name)
}

// TestEmulator_CrossRegionEndpoint: CreateVpcEndpoint with ServiceRegion
// makes the endpoint in the caller's Region (its VPC, subnets and network
// interfaces there), reporting ServiceRegion, connected to the service in
// its own Region: the owner sees the connection there, with the endpoint's
// Region, and accepts it; private DNS then works as for a same-Region
// endpoint. DescribeVpcEndpoints in the consumer's Region is as eventually
// consistent and paged as for any endpoint; the service's Region does not
// know the endpoint at all.
func TestEmulator_CrossRegionEndpoint(t *testing.T) {
	emu := acctest.RequireEmulator(t, "checks the emulator's cross-Region endpoints")
	withDelays(t, emu, 500*time.Millisecond, 300*time.Millisecond)
	emu.ConfigureForTest(t, map[string]any{
		acctest.KnobVisibilityDelay:    3 * time.Second, // long enough to observe on a busy machine
		acctest.KnobFlickerRate:        0.0,
		acctest.KnobPageSize:           1,
		acctest.KnobEmptyFirstPageRate: 0.0,
	})
	a, ctx := acctest.TestAWS(t), context.Background()
	west := a.InRegion(acctest.EmulatorSecondRegion)
	svc := crossRegionService(t, true)
	zones, _ := acctest.RemoteAccessZones(t, west.Region, svc)
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Region: west.Region, Zones: zones[:2]})

	created := mustCreateEndpoint(t, west.EC2, remoteEndpoint(svc, vpc))
	id := aws.ToString(created.VpcEndpointId)
	_, err := west.EC2.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{id}})
	expectAPIError(t, err, endpointIDNotFound, id)
	if created.State != statePendingAcceptance || aws.ToString(created.ServiceRegion) != svc.Region || aws.ToString(created.VpcId) != vpc.ID {
		t.Errorf("CreateVpcEndpoint answered state %q, ServiceRegion %q, VPC %s; want %q, %q, %s",
			created.State, aws.ToString(created.ServiceRegion), aws.ToString(created.VpcId), statePendingAcceptance, svc.Region, vpc.ID)
	}

	waitForConnectionState(t, a.EC2, svc.ID, id, statePendingAcceptance)
	if conns := connections(t, a.EC2, svc.ID, id); len(conns) != 1 || aws.ToString(conns[0].VpcEndpointRegion) != west.Region {
		t.Errorf("the owner sees connections %+v, want one from %s", conns, west.Region)
	}
	if err := svc.Accept(ctx, id); err != nil {
		t.Fatal(err)
	}
	ep := acctest.WaitForEndpointState(t, west, id, stateAvailable)
	checkNetworkInterfaces(t, west.EC2, *ep, defaultSecurityGroup(t, west.EC2, vpc.ID))
	if err := modifyEndpoint(west.EC2, id, enablePrivateDNS); err != nil {
		t.Fatalf("enabling private DNS once accepted: %v", err)
	}
	ep = acctest.WaitForEndpoint(t, west, id, "available with private DNS", func(ep *ec2types.VpcEndpoint) bool {
		return aws.ToBool(ep.PrivateDnsEnabled) && ep.State == stateAvailable
	})
	if !slices.Contains(dnsNames(*ep), svc.PrivateDNSName) {
		t.Errorf("DNS entries %q lack the service's private DNS name %s", dnsNames(*ep), svc.PrivateDNSName)
	}
	checkAliasesToEndpoint(t, west, vpc.ID, *ep, svc.Region)

	_, err = a.EC2.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{id}})
	expectAPIError(t, err, endpointIDNotFound, id)

	// Listed, in pages, among the endpoints of its VPC in its own Region.
	other := aws.ToString(mustCreateEndpoint(t, west.EC2, remoteEndpoint(svc, vpc)).VpcEndpointId)
	acctest.WaitForEndpointsListed(t, west, vpc.ID, id, other)
	page, err := west.EC2.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{
		Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpc.ID}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.VpcEndpoints) != 1 || aws.ToString(page.NextToken) == "" {
		t.Errorf("the first page lists %d endpoints, NextToken %q; want 1 and a token (page_size 1)", len(page.VpcEndpoints), aws.ToString(page.NextToken))
	}
}

// TestEmulator_CrossRegionRefusals: from a Region the service does not
// support, CreateVpcEndpoint answers InvalidServiceName (AWS documents no
// other error; the closest real output is terraform-provider-aws 42970). A
// subnet in a zone not open to remote access is refused with "InvalidParameter:
// Only the following availability zones are supported for remote access:
// ..." naming zone IDs of the consumer's Region (chanzuckerberg/cztack PR
// 865); an endpoint in the zones named is taken.
func TestEmulator_CrossRegionRefusals(t *testing.T) {
	acctest.RequireEmulator(t, "checks the emulator's cross-Region refusals")
	a, ctx := acctest.TestAWS(t), context.Background()
	svc := crossRegionService(t, false)
	regionZones := func(region string) []acctest.Zone {
		zones, err := a.InRegion(region).Zones(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return zones
	}

	t.Run("unsupported Region", func(t *testing.T) {
		vpc := acctest.NewVPC(t, acctest.VPCOptions{Region: unlistedRegion, Zones: regionZones(unlistedRegion)[:1]})
		expectCreateRefused(t, a.InRegion(unlistedRegion).EC2, remoteEndpoint(svc, vpc), "InvalidServiceName", svc.Name)
	})

	t.Run("zones", func(t *testing.T) {
		west := a.InRegion(acctest.EmulatorSecondRegion)
		all := regionZones(west.Region)
		vpc := acctest.NewVPC(t, acctest.VPCOptions{Region: west.Region, Zones: all})
		_, err := acctest.CreateEndpoint(t, west.EC2, remoteEndpoint(svc, vpc))
		expectAPIError(t, err, "InvalidParameter", "Only the following availability zones are supported for remote access: ")
		listed, ok := acctest.RemoteAccessZoneIDs(err)
		allIDs := pick(all, func(z acctest.Zone) *string { return &z.ID })
		if !ok || len(listed) == 0 || len(listed) >= len(allIDs) {
			t.Fatalf("the refusal names zones %q of %q, want some but not all", listed, allIDs)
		}
		for _, id := range listed {
			if !slices.Contains(allIDs, id) {
				t.Errorf("the refusal names %q, not a zone ID of %s %q", id, west.Region, allIDs)
			}
		}
		supported, refused := acctest.RemoteAccessZones(t, west.Region, svc)
		if got := pick(supported, func(z acctest.Zone) *string { return &z.ID }); !slices.Equal(sorted(got), sorted(listed)) || len(refused) == 0 {
			t.Errorf("RemoteAccessZones found %q supported and %d refused, the refusal named %q", got, len(refused), listed)
		}
		var open []string
		for _, s := range vpc.Subnets {
			if slices.Contains(listed, s.Zone.ID) {
				open = append(open, s.ID)
			}
		}
		in := remoteEndpoint(svc, vpc)
		in.SubnetIds = open
		mustCreateEndpoint(t, west.EC2, in)
	})
}

// TestEmulator_ServiceRegionOwnRegion: a ServiceRegion that names the
// caller's own Region is the default (CreateVpcEndpoint: "The default is
// the current Region"): the endpoint is a same-Region one, checked against
// the service's zones and reporting that Region, and the request is the
// same as one without ServiceRegion for its ClientToken.
func TestEmulator_ServiceRegionOwnRegion(t *testing.T) {
	acctest.RequireEmulator(t, "checks the emulator's default ServiceRegion")
	a := acctest.TestAWS(t)
	svc := crossRegionService(t, false)
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: append(slices.Clip(svc.Zones), acctest.UnofferedZone(t, svc))})
	offered, unoffered := vpc.SubnetIDs()[:len(svc.Zones)], vpc.Subnets[len(svc.Zones)].ID

	in := interfaceEndpoint(svc, vpc)
	in.SubnetIds = offered
	in.ServiceRegion = aws.String(a.Region)
	in.ClientToken = aws.String(acctest.RandomName("token"))
	first := mustCreateEndpoint(t, a.EC2, in)
	if got := aws.ToString(first.ServiceRegion); got != a.Region {
		t.Errorf("the endpoint reports ServiceRegion %q, want %q", got, a.Region)
	}
	without := *in
	without.ServiceRegion = nil
	if again := mustCreateEndpoint(t, a.EC2, &without); aws.ToString(again.VpcEndpointId) != aws.ToString(first.VpcEndpointId) {
		t.Errorf("the same ClientToken without ServiceRegion made endpoint %s, the first was %s",
			aws.ToString(again.VpcEndpointId), aws.ToString(first.VpcEndpointId))
	}

	elsewhere := *in
	elsewhere.ClientToken, elsewhere.SubnetIds = nil, []string{unoffered}
	expectCreateRefused(t, a.EC2, &elsewhere, "InvalidParameter", "does not support the availability zone")
}

// checkAliasesToEndpoint: the endpoint's regional and zonal names carry the
// service's Region ("endpoint_id.endpoint_service_id.service_region.vpce.amazonaws.com",
// AWS PrivateLink guide, Share your services, DNS hostnames), and Route 53
// takes an alias to each with the hosted zone EC2 pairs it with, as a hub's
// shared zone does. Route 53 refuses a target name outside the target zone
// ("the alias target name does not lie within the target zone"), so the
// pair must agree on the Region.
func checkAliasesToEndpoint(t *testing.T, a *acctest.AWS, vpcID string, ep ec2types.VpcEndpoint, serviceRegion string) {
	t.Helper()
	ctx := context.Background()
	domain := acctest.RandomName("alias") + ".cluster.engflow.com"
	out, err := a.Route53.CreateHostedZone(ctx, a.PrivateZoneInput(domain, vpcID))
	if err != nil {
		t.Fatalf("creating a private zone for the alias: %v", err)
	}
	zoneID := aws.ToString(out.HostedZone.Id)
	t.Cleanup(func() {
		if err := a.DeleteZone(context.Background(), zoneID); err != nil {
			t.Errorf("cleaning up hosted zone %s: %v", zoneID, err)
		}
	})
	for _, e := range ep.DnsEntries {
		name := aws.ToString(e.DnsName)
		if !strings.HasSuffix(name, ".vpce.amazonaws.com") {
			continue // the private DNS name
		}
		if !strings.HasSuffix(name, "."+serviceRegion+".vpce.amazonaws.com") {
			t.Errorf("DNS name %s does not carry the service's Region %s", name, serviceRegion)
		}
		_, err := a.Route53.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{
			HostedZoneId: aws.String(zoneID),
			ChangeBatch: &r53types.ChangeBatch{Changes: []r53types.Change{{
				Action: r53types.ChangeActionUpsert,
				ResourceRecordSet: &r53types.ResourceRecordSet{Name: aws.String(domain), Type: r53types.RRTypeA,
					AliasTarget: &r53types.AliasTarget{DNSName: e.DnsName, HostedZoneId: e.HostedZoneId}},
			}}},
		})
		if err != nil {
			t.Errorf("Route 53 refused an alias to %s in %s, the pair EC2 describes: %v", name, aws.ToString(e.HostedZoneId), err)
		}
	}
}
