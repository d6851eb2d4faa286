package acctest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// PrivateZoneInput is a CreateHostedZone request for a private zone of
// name with one VPC of a's Region and a fresh caller reference.
func (a *AWS) PrivateZoneInput(name, vpcID string) *route53.CreateHostedZoneInput {
	return &route53.CreateHostedZoneInput{
		Name:             aws.String(name),
		CallerReference:  aws.String(RandomName("acctest-zone")),
		VPC:              &r53types.VPC{VPCId: aws.String(vpcID), VPCRegion: r53types.VPCRegion(a.Region)},
		HostedZoneConfig: &r53types.HostedZoneConfig{PrivateZone: true},
	}
}

// NewPrivateZone creates a private hosted zone outside Terraform, as
// someone else in the account would, and deletes it (records first) after
// the test. It returns the zone's ID without the /hostedzone/ prefix.
func NewPrivateZone(t *testing.T, name, vpcID string) string {
	t.Helper()
	a := TestAWS(t)
	out, err := a.Route53.CreateHostedZone(context.Background(), a.PrivateZoneInput(name, vpcID))
	if err != nil {
		t.Fatalf("creating a private hosted zone for %s: %v", name, err)
	}
	id := aws.ToString(out.HostedZone.Id)
	t.Cleanup(func() {
		if err := a.DeleteZone(context.Background(), id); err != nil {
			t.Errorf("cleaning up hosted zone %s: %v", id, err)
		}
	})
	return id
}

// DeleteZone deletes a hosted zone and its records other than SOA and NS;
// a zone already gone is fine.
func (a *AWS) DeleteZone(ctx context.Context, id string) error {
	err := a.DeleteRecords(ctx, id)
	if apiErrorCode(err) == "NoSuchHostedZone" {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = a.Route53.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: aws.String(id)})
	if apiErrorCode(err) == "NoSuchHostedZone" {
		return nil
	}
	return err
}

// ZonesNamed are the hosted zones Route 53 lists for name (the exact name).
func (a *AWS) ZonesNamed(ctx context.Context, name string) ([]r53types.HostedZone, error) {
	out, err := a.Route53.ListHostedZonesByName(ctx, &route53.ListHostedZonesByNameInput{DNSName: aws.String(name)})
	if err != nil {
		return nil, err
	}
	var zones []r53types.HostedZone
	for _, z := range out.HostedZones {
		if aws.ToString(z.Name) == name+"." {
			zones = append(zones, z)
		}
	}
	return zones, nil
}

// CheckPrivateZone asks Route 53 that zone id is a private zone for domain
// (without the trailing dot) associated with exactly vpcs, in any order.
func (a *AWS) CheckPrivateZone(ctx context.Context, id, domain string, vpcs []string) error {
	hz, err := a.Route53.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(id)})
	if err != nil {
		return fmt.Errorf("hosted zone %q: %w", id, err)
	}
	var got []string
	for _, v := range hz.VPCs {
		got = append(got, aws.ToString(v.VPCId))
	}
	want := slices.Sorted(slices.Values(vpcs))
	slices.Sort(got)
	if hz.HostedZone.Config == nil || !hz.HostedZone.Config.PrivateZone || aws.ToString(hz.HostedZone.Name) != domain+"." || !slices.Equal(got, want) {
		return fmt.Errorf("zone %s is %q (config %+v) with VPCs %v; want private %s with %v",
			id, aws.ToString(hz.HostedZone.Name), hz.HostedZone.Config, got, domain, want)
	}
	return nil
}

// AliasA is the alias target of the A record at domain in zone id, as
// Route 53 lists it; an error when there is none.
func (a *AWS) AliasA(ctx context.Context, id, domain string) (*r53types.AliasTarget, error) {
	out, err := a.Route53.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id)})
	if err != nil {
		return nil, err
	}
	for _, r := range out.ResourceRecordSets {
		if r.Type == r53types.RRTypeA && aws.ToString(r.Name) == domain+"." && r.AliasTarget != nil {
			return r.AliasTarget, nil
		}
	}
	return nil, fmt.Errorf("zone %s has no A alias at %s: %+v", id, domain, out.ResourceRecordSets)
}

// DeleteRecords deletes every record of zone id but its SOA and NS, as
// someone cleaning up by hand would.
func (a *AWS) DeleteRecords(ctx context.Context, id string) error {
	out, err := a.Route53.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id)})
	if err != nil {
		return err
	}
	var changes []r53types.Change
	for _, s := range out.ResourceRecordSets {
		if s.Type != r53types.RRTypeSoa && s.Type != r53types.RRTypeNs {
			changes = append(changes, r53types.Change{Action: r53types.ChangeActionDelete, ResourceRecordSet: &s})
		}
	}
	if len(changes) == 0 {
		return nil
	}
	if _, err := a.Route53.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{
		HostedZoneId: aws.String(id), ChangeBatch: &r53types.ChangeBatch{Changes: changes},
	}); err != nil {
		return fmt.Errorf("deleting the records of %s: %w", id, err)
	}
	return nil
}
