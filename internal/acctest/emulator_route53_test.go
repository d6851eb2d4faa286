package acctest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

// The Route 53 behaviour engflow_privatelink_shared_dns relies on, as AWS
// documents it (route53_patches.py cites each).

func zoneName() string { return acctest.RandomName("acme") + ".cluster.engflow.com" }

func spokeVPC(a *acctest.AWS, id string) *r53types.VPC {
	return &r53types.VPC{VPCId: aws.String(id), VPCRegion: r53types.VPCRegion(a.Region)}
}

// TestEmulator_Route53ChangesStartPending: "PENDING ... is the initial
// status of all change requests" (API_ChangeInfo.html); GetChange reports
// INSYNC once propagated, and NoSuchChange for an ID it never gave. By
// default a change takes seconds, as on AWS ("Changes generally propagate
// to all Route 53 name servers within 60 seconds"), not the instant moto
// gives.
func TestEmulator_Route53ChangesStartPending(t *testing.T) {
	const insyncAfter = 3 * time.Second
	emu := acctest.RequireEmulator(t, "checks the emulator's Route 53 change status")
	cfg, err := emu.Config(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := cfg[acctest.KnobRoute53InsyncAfter].(float64); got != 3 {
		t.Errorf("%s defaults to %v s, want the 3 s the emulator's README documents", acctest.KnobRoute53InsyncAfter, cfg[acctest.KnobRoute53InsyncAfter])
	}
	emu.ConfigureForTest(t, map[string]any{acctest.KnobRoute53InsyncAfter: insyncAfter.Seconds()})
	a := acctest.TestAWS(t)
	ctx := context.Background()
	vpc := acctest.NewVPC(t, acctest.VPCOptions{})
	asked := time.Now() // the change starts after this
	out, err := a.Route53.CreateHostedZone(ctx, a.PrivateZoneInput(zoneName(), vpc.ID))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.DeleteZone(context.Background(), aws.ToString(out.HostedZone.Id)) })
	if out.ChangeInfo.Status != r53types.ChangeStatusPending {
		t.Errorf("CreateHostedZone's change is %s, want PENDING", out.ChangeInfo.Status)
	}
	// Asked at once, well inside the knob's time: an emulator that answers
	// INSYNC at once fails here, however slow the machine was before.
	now, err := a.Route53.GetChange(ctx, &route53.GetChangeInput{Id: out.ChangeInfo.Id})
	if err != nil {
		t.Fatal(err)
	}
	if now.ChangeInfo.Status != r53types.ChangeStatusPending {
		t.Errorf("GetChange right after the create says %s, want PENDING for the knob's %s", now.ChangeInfo.Status, insyncAfter)
	}
	vpc2 := acctest.NewVPC(t, acctest.VPCOptions{})
	assoc, err := a.Route53.AssociateVPCWithHostedZone(ctx, &route53.AssociateVPCWithHostedZoneInput{HostedZoneId: out.HostedZone.Id, VPC: spokeVPC(a, vpc2.ID)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(assoc.ChangeInfo.Id) == aws.ToString(out.ChangeInfo.Id) {
		t.Errorf("two changes share the ID %s", aws.ToString(out.ChangeInfo.Id))
	}
	w := route53.NewResourceRecordSetsChangedWaiter(a.Route53, func(o *route53.ResourceRecordSetsChangedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 200*time.Millisecond, 200*time.Millisecond
	})
	if err := w.Wait(ctx, &route53.GetChangeInput{Id: out.ChangeInfo.Id}, 30*time.Second); err != nil {
		t.Fatalf("change never INSYNC: %v", err)
	}
	// INSYNC no sooner than the knob after the create, and not much later.
	if took := time.Since(asked); took < insyncAfter || took > insyncAfter+5*time.Second {
		t.Errorf("INSYNC %s after the create was asked for; want from %s to %s later", took, insyncAfter, insyncAfter+5*time.Second)
	}
	_, err = a.Route53.GetChange(ctx, &route53.GetChangeInput{Id: aws.String("C0000000000000000000")})
	expectAPIError(t, err, "NoSuchChange")
}

// TestEmulator_Route53CallerReference: "Amazon Route 53 returns this error
// when a hosted zone has already been created with the specified
// CallerReference" (HostedZoneAlreadyExists, API_CreateHostedZone.html).
func TestEmulator_Route53CallerReference(t *testing.T) {
	acctest.RequireEmulator(t, "checks the emulator's CreateHostedZone idempotency")
	a := acctest.TestAWS(t)
	vpc := acctest.NewVPC(t, acctest.VPCOptions{})
	in := a.PrivateZoneInput(zoneName(), vpc.ID)
	out, err := a.Route53.CreateHostedZone(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.DeleteZone(context.Background(), aws.ToString(out.HostedZone.Id)) })
	_, err = a.Route53.CreateHostedZone(context.Background(), in)
	expectAPIError(t, err, "HostedZoneAlreadyExists", aws.ToString(in.CallerReference))
	zones, err := a.ZonesNamed(context.Background(), aws.ToString(in.Name))
	if err != nil || len(zones) != 1 {
		t.Errorf("zones named %s after the repeat: %d (%v), want 1", aws.ToString(in.Name), len(zones), err)
	}
}

// TestEmulator_Route53VPCChecks: InvalidVPCId for a VPC that does not
// exist; ConflictingDomainExists for a second private zone of one name in
// a VPC, at create and at association; LastVPCAssociation (moto's own).
func TestEmulator_Route53VPCChecks(t *testing.T) {
	acctest.RequireEmulator(t, "checks the emulator's Route 53 VPC validation")
	a := acctest.TestAWS(t)
	ctx := context.Background()
	hub := acctest.NewVPC(t, acctest.VPCOptions{})
	spoke := acctest.NewVPC(t, acctest.VPCOptions{})
	name := zoneName()
	missing := "vpc-0123456789abcdef0"

	_, err := a.Route53.CreateHostedZone(ctx, a.PrivateZoneInput(zoneName(), missing))
	expectAPIError(t, err, "InvalidVPCId", "isn't a valid ID")

	zone := acctest.NewPrivateZone(t, name, hub.ID)
	_, err = a.Route53.AssociateVPCWithHostedZone(ctx, &route53.AssociateVPCWithHostedZoneInput{HostedZoneId: aws.String(zone), VPC: spokeVPC(a, missing)})
	expectAPIError(t, err, "InvalidVPCId")

	_, err = a.Route53.CreateHostedZone(ctx, a.PrivateZoneInput(name, hub.ID))
	expectAPIError(t, err, "ConflictingDomainExists", hub.ID)

	other := acctest.NewPrivateZone(t, name, spoke.ID) // same name, another VPC: allowed
	_, err = a.Route53.AssociateVPCWithHostedZone(ctx, &route53.AssociateVPCWithHostedZoneInput{HostedZoneId: aws.String(other), VPC: spokeVPC(a, hub.ID)})
	expectAPIError(t, err, "ConflictingDomainExists", hub.ID, strings.TrimPrefix(zone, "/hostedzone/"))

	_, err = a.Route53.DisassociateVPCFromHostedZone(ctx, &route53.DisassociateVPCFromHostedZoneInput{HostedZoneId: aws.String(zone), VPC: spokeVPC(a, hub.ID)})
	expectAPIError(t, err, "LastVPCAssociation")
}

// TestEmulator_Route53HostedZoneNotEmpty: AWS refuses to delete a zone that
// holds records other than SOA and NS (API_DeleteHostedZone.html).
func TestEmulator_Route53HostedZoneNotEmpty(t *testing.T) {
	acctest.RequireEmulator(t, "checks the emulator's DeleteHostedZone")
	a := acctest.TestAWS(t)
	ctx := context.Background()
	vpc := acctest.NewVPC(t, acctest.VPCOptions{})
	name := zoneName()
	zone := acctest.NewPrivateZone(t, name, vpc.ID)
	if _, err := a.Route53.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{
		HostedZoneId: aws.String(zone),
		ChangeBatch: &r53types.ChangeBatch{Changes: []r53types.Change{{Action: r53types.ChangeActionCreate, ResourceRecordSet: &r53types.ResourceRecordSet{
			Name: aws.String(name), Type: r53types.RRTypeA, TTL: aws.Int64(60), ResourceRecords: []r53types.ResourceRecord{{Value: aws.String("10.0.0.5")}},
		}}}},
	}); err != nil {
		t.Fatal(err)
	}
	_, err := a.Route53.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: aws.String(zone)})
	expectAPIError(t, err, "HostedZoneNotEmpty")
}

// TestEmulator_Route53AliasToEndpoint: an alias to an endpoint's regional
// name with the zone EC2 reports for it is taken; another zone, or a vpce
// name no endpoint has, is InvalidChangeBatch.
func TestEmulator_Route53AliasToEndpoint(t *testing.T) {
	acctest.RequireEmulator(t, "checks the emulator's alias target validation")
	a := acctest.TestAWS(t)
	ctx := context.Background()
	svc := acctest.NewService(t, acctest.ServiceOptions{})
	vpc := acctest.NewVPC(t, acctest.VPCOptions{Zones: svc.Zones})
	ep := mustCreateEndpoint(t, a.EC2, interfaceEndpoint(svc, vpc))
	entry := ep.DnsEntries[0]
	name := zoneName()
	zone := acctest.NewPrivateZone(t, name, vpc.ID)
	alias := func(dnsName, zoneID string) error {
		_, err := a.Route53.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{
			HostedZoneId: aws.String(zone),
			ChangeBatch: &r53types.ChangeBatch{Changes: []r53types.Change{{Action: r53types.ChangeActionUpsert, ResourceRecordSet: &r53types.ResourceRecordSet{
				Name: aws.String(name), Type: r53types.RRTypeA,
				AliasTarget: &r53types.AliasTarget{DNSName: aws.String(dnsName), HostedZoneId: aws.String(zoneID)},
			}}}},
		})
		return err
	}
	if err := alias(aws.ToString(entry.DnsName), aws.ToString(entry.HostedZoneId)); err != nil {
		t.Errorf("alias to the endpoint's own name and zone refused: %v", err)
	}
	expectAPIError(t, alias(aws.ToString(entry.DnsName), "Z0000000000000"), "InvalidChangeBatch", "does not lie within the target zone")
	gone := "vpce-0123456789abcdef0-nope." + svc.ID + "." + a.Region + ".vpce.amazonaws.com"
	expectAPIError(t, alias(gone, aws.ToString(entry.HostedZoneId)), "InvalidChangeBatch", "target was not found")
}
