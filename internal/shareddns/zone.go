package shareddns

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// zoneOps are the Route 53 calls of one shared DNS zone, whose VPCs are in
// region.
type zoneOps struct {
	r53    Route53API
	region string
}

// aliasTarget is where the record points: the endpoint's regional DNS name
// and the hosted zone AWS gives that name (DescribeVpcEndpoints
// DnsEntries[0]); IPv6 adds an AAAA alias beside the A alias.
type aliasTarget struct {
	DNSName, HostedZoneID string
	IPv4, IPv6            bool
}

func (z zoneOps) vpc(id string) *r53types.VPC {
	return &r53types.VPC{VPCId: aws.String(id), VPCRegion: r53types.VPCRegion(z.region)}
}

// waitInsync waits until Route 53 reports the change INSYNC, with the SDK's
// own waiter (short delays: the emulator and AWS usually settle in
// seconds), for what is left of the operation's timeout (timeouts block).
func (z zoneOps) waitInsync(ctx context.Context, c *r53types.ChangeInfo) error {
	if c == nil || c.Status == r53types.ChangeStatusInsync {
		return nil
	}
	id := strings.TrimPrefix(aws.ToString(c.Id), "/change/")
	deadline, bounded := ctx.Deadline()
	if !bounded {
		deadline = time.Now().Add(defaultTimeout)
	}
	err := ctx.Err()
	if left := time.Until(deadline); err == nil && left > 0 { // the waiter refuses a bound of zero
		w := route53.NewResourceRecordSetsChangedWaiter(z.r53, func(o *route53.ResourceRecordSetsChangedWaiterOptions) {
			o.MinDelay, o.MaxDelay = time.Second, 10*time.Second
		})
		err = w.Wait(ctx, &route53.GetChangeInput{Id: aws.String(id)}, left)
	}
	switch {
	case err == nil:
		return nil
	case time.Until(deadline) < 2*time.Second: // the waiter gives up when less than its MinDelay is left
		return fmt.Errorf("waiting for Route 53 change %s: the timeout ran out while it was still PENDING (Route 53 may "+
			"still apply it). If Route 53 routinely takes longer, raise the resource's timeouts (create, update or delete; "+
			"default %d minutes): %w", id, int(defaultTimeout.Minutes()), err)
	}
	return fmt.Errorf("waiting for Route 53 change %s to be INSYNC: %w", id, err)
}

// create makes the private zone for domain with the hub VPC. callerRef is
// made once per Create, so the SDK's retries of a call whose answer was
// lost send the same one: AWS then answers HostedZoneAlreadyExists, and the
// zone made by the first attempt is found by its caller reference.
func (z zoneOps) create(ctx context.Context, domain, hubVPC, callerRef string) (string, error) {
	out, err := z.r53.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{
		Name:            aws.String(domain),
		CallerReference: aws.String(callerRef),
		VPC:             z.vpc(hubVPC),
		HostedZoneConfig: &r53types.HostedZoneConfig{
			PrivateZone: true,
			Comment:     aws.String("EngFlow PrivateLink shared DNS (engflow_privatelink_shared_dns)"),
		},
	})
	var exists *r53types.HostedZoneAlreadyExists
	if errors.As(err, &exists) {
		return z.findByCallerReference(ctx, domain, callerRef)
	}
	if err != nil {
		return "", err
	}
	return zoneIDOf(aws.ToString(out.HostedZone.Id)), z.waitInsync(ctx, out.ChangeInfo)
}

func (z zoneOps) findByCallerReference(ctx context.Context, domain, callerRef string) (string, error) {
	in := &route53.ListHostedZonesByNameInput{DNSName: aws.String(domain)}
	for {
		out, err := z.r53.ListHostedZonesByName(ctx, in)
		if err != nil {
			return "", err
		}
		for _, hz := range out.HostedZones {
			if aws.ToString(hz.CallerReference) == callerRef {
				return zoneIDOf(aws.ToString(hz.Id)), nil
			}
		}
		if !out.IsTruncated || aws.ToString(out.NextDNSName) != fqdn(domain) {
			return "", fmt.Errorf("route 53 said a zone with caller reference %s exists, but no zone for %s has it", callerRef, domain)
		}
		in.HostedZoneId = out.NextHostedZoneId
	}
}

// records lists every record set of the zone, with the SDK's paginator.
func (z zoneOps) records(ctx context.Context, zoneID string) ([]r53types.ResourceRecordSet, error) {
	pages := route53.NewListResourceRecordSetsPaginator(z.r53, &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(zoneID)})
	var all []r53types.ResourceRecordSet
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		all = append(all, out.ResourceRecordSets...)
	}
	return all, nil
}

// aliasRecords are the A and AAAA alias records at domain, by type.
func aliasRecords(sets []r53types.ResourceRecordSet, domain string) map[r53types.RRType]r53types.ResourceRecordSet {
	found := map[r53types.RRType]r53types.ResourceRecordSet{}
	for _, s := range sets {
		if aws.ToString(s.Name) == fqdn(domain) && s.AliasTarget != nil && (s.Type == r53types.RRTypeA || s.Type == r53types.RRTypeAaaa) {
			found[s.Type] = s
		}
	}
	return found
}

// readAlias is the alias the zone holds at domain; ok false when none.
func (z zoneOps) readAlias(ctx context.Context, zoneID, domain string) (aliasTarget, bool, error) {
	sets, err := z.records(ctx, zoneID)
	if err != nil {
		return aliasTarget{}, false, err
	}
	found := aliasRecords(sets, domain)
	t := aliasTarget{}
	for typ, s := range found {
		t.DNSName = strings.TrimSuffix(aws.ToString(s.AliasTarget.DNSName), ".")
		t.HostedZoneID = aws.ToString(s.AliasTarget.HostedZoneId)
		t.IPv4 = t.IPv4 || typ == r53types.RRTypeA
		t.IPv6 = t.IPv6 || typ == r53types.RRTypeAaaa
	}
	return t, len(found) > 0, nil
}

// syncAlias makes the zone's alias records at domain point at t: UPSERT
// the wanted types, DELETE an alias of a type t no longer serves.
func (z zoneOps) syncAlias(ctx context.Context, zoneID, domain string, t aliasTarget) error {
	sets, err := z.records(ctx, zoneID)
	if err != nil {
		return err
	}
	want := map[r53types.RRType]bool{r53types.RRTypeA: t.IPv4, r53types.RRTypeAaaa: t.IPv6}
	var changes []r53types.Change
	for typ, wanted := range want {
		if wanted {
			changes = append(changes, r53types.Change{Action: r53types.ChangeActionUpsert, ResourceRecordSet: &r53types.ResourceRecordSet{
				Name: aws.String(domain), Type: typ,
				AliasTarget: &r53types.AliasTarget{DNSName: aws.String(t.DNSName), HostedZoneId: aws.String(t.HostedZoneID), EvaluateTargetHealth: false},
			}})
		}
	}
	for typ, s := range aliasRecords(sets, domain) {
		if !want[typ] {
			changes = append(changes, r53types.Change{Action: r53types.ChangeActionDelete, ResourceRecordSet: &s})
		}
	}
	return z.change(ctx, zoneID, "alias for "+domain, changes)
}

func (z zoneOps) change(ctx context.Context, zoneID, comment string, changes []r53types.Change) error {
	if len(changes) == 0 {
		return nil
	}
	out, err := z.r53.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{
		HostedZoneId: aws.String(zoneID),
		ChangeBatch:  &r53types.ChangeBatch{Comment: aws.String(comment), Changes: changes},
	})
	if err != nil {
		return err
	}
	return z.waitInsync(ctx, out.ChangeInfo)
}

func (z zoneOps) associate(ctx context.Context, zoneID, vpcID string) error {
	out, err := z.r53.AssociateVPCWithHostedZone(ctx, &route53.AssociateVPCWithHostedZoneInput{
		HostedZoneId: aws.String(zoneID), VPC: z.vpc(vpcID),
		Comment: aws.String("EngFlow PrivateLink spoke"),
	})
	if err != nil {
		return associateError(vpcID, zoneID, z.region, err)
	}
	return z.waitInsync(ctx, out.ChangeInfo)
}

// disassociate takes vpcID off the zone; a VPC already off is done.
func (z zoneOps) disassociate(ctx context.Context, zoneID, vpcID string) error {
	out, err := z.r53.DisassociateVPCFromHostedZone(ctx, &route53.DisassociateVPCFromHostedZoneInput{
		HostedZoneId: aws.String(zoneID), VPC: z.vpc(vpcID),
	})
	var gone *r53types.VPCAssociationNotFound
	if errors.As(err, &gone) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("disassociating %s from hosted zone %s: %w", vpcID, zoneID, err)
	}
	return z.waitInsync(ctx, out.ChangeInfo)
}

// destroy deletes the zone: every record but the apex SOA and NS (AWS
// refuses to delete a zone holding others: HostedZoneNotEmpty), every VPC
// but the one AWS keeps to the end (the last VPC cannot be disassociated:
// LastVPCAssociation), then the zone. A zone already gone is done, so a
// destroy that failed halfway finishes on the next run.
func (z zoneOps) destroy(ctx context.Context, zoneID, hubVPC string) error {
	hz, err := z.r53.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(zoneID)})
	if isNoSuchZone(err) {
		return nil
	}
	if err != nil {
		return err
	}
	sets, err := z.records(ctx, zoneID)
	if err != nil {
		return err
	}
	var changes []r53types.Change
	for _, s := range sets {
		if apex := aws.ToString(s.Name) == aws.ToString(hz.HostedZone.Name); apex && (s.Type == r53types.RRTypeSoa || s.Type == r53types.RRTypeNs) {
			continue
		}
		changes = append(changes, r53types.Change{Action: r53types.ChangeActionDelete, ResourceRecordSet: &s})
	}
	if err := z.change(ctx, zoneID, "destroy", changes); err != nil {
		return fmt.Errorf("deleting the records of hosted zone %s: %w", zoneID, err)
	}
	for _, id := range spokesOf(hz.VPCs, hubVPC, z.region, true) {
		if err := z.disassociate(ctx, zoneID, id); err != nil {
			return err
		}
	}
	_, err = z.r53.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: aws.String(zoneID)})
	if isNoSuchZone(err) {
		return nil
	}
	return err
}

// spokesOf are the zone's VPCs other than the hub. With keepOne and no hub
// among them, the first is left out too: a zone keeps one VPC to the end.
func spokesOf(vpcs []r53types.VPC, hub, region string, keepOne bool) []string {
	var ids []string
	hubThere := false
	for _, v := range vpcs {
		id := aws.ToString(v.VPCId)
		if id == hub && string(v.VPCRegion) == region {
			hubThere = true
			continue
		}
		ids = append(ids, id)
	}
	if keepOne && !hubThere && len(ids) > 0 {
		ids = ids[1:]
	}
	return ids
}

func isNoSuchZone(err error) bool {
	var nf *r53types.NoSuchHostedZone
	return errors.As(err, &nf)
}
