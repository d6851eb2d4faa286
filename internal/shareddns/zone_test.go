package shareddns

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// fakeRoute53 answers the calls a test sets up and records their order;
// a call it was not given panics through the nil embedded interface.
type fakeRoute53 struct {
	Route53API
	calls   []string
	zones   []r53types.HostedZone
	vpcs    []r53types.VPC
	records []r53types.ResourceRecordSet
}

func (f *fakeRoute53) CreateHostedZone(context.Context, *route53.CreateHostedZoneInput, ...func(*route53.Options)) (*route53.CreateHostedZoneOutput, error) {
	f.calls = append(f.calls, "CreateHostedZone")
	return nil, &r53types.HostedZoneAlreadyExists{Message: aws.String("exists")}
}

func (f *fakeRoute53) ListHostedZonesByName(context.Context, *route53.ListHostedZonesByNameInput, ...func(*route53.Options)) (*route53.ListHostedZonesByNameOutput, error) {
	f.calls = append(f.calls, "ListHostedZonesByName")
	return &route53.ListHostedZonesByNameOutput{HostedZones: f.zones}, nil
}

func (f *fakeRoute53) GetHostedZone(context.Context, *route53.GetHostedZoneInput, ...func(*route53.Options)) (*route53.GetHostedZoneOutput, error) {
	f.calls = append(f.calls, "GetHostedZone")
	return &route53.GetHostedZoneOutput{HostedZone: &r53types.HostedZone{Id: aws.String("/hostedzone/Z1"), Name: aws.String("acme.cluster.engflow.com."),
		Config: &r53types.HostedZoneConfig{PrivateZone: true}}, VPCs: f.vpcs}, nil
}

func (f *fakeRoute53) ListResourceRecordSets(context.Context, *route53.ListResourceRecordSetsInput, ...func(*route53.Options)) (*route53.ListResourceRecordSetsOutput, error) {
	f.calls = append(f.calls, "ListResourceRecordSets")
	return &route53.ListResourceRecordSetsOutput{ResourceRecordSets: f.records}, nil
}

func (f *fakeRoute53) ChangeResourceRecordSets(_ context.Context, in *route53.ChangeResourceRecordSetsInput, _ ...func(*route53.Options)) (*route53.ChangeResourceRecordSetsOutput, error) {
	for _, c := range in.ChangeBatch.Changes {
		f.calls = append(f.calls, string(c.Action)+" "+string(c.ResourceRecordSet.Type))
	}
	return &route53.ChangeResourceRecordSetsOutput{ChangeInfo: &r53types.ChangeInfo{Status: r53types.ChangeStatusInsync}}, nil
}

func (f *fakeRoute53) DisassociateVPCFromHostedZone(_ context.Context, in *route53.DisassociateVPCFromHostedZoneInput, _ ...func(*route53.Options)) (*route53.DisassociateVPCFromHostedZoneOutput, error) {
	f.calls = append(f.calls, "Disassociate "+aws.ToString(in.VPC.VPCId))
	return &route53.DisassociateVPCFromHostedZoneOutput{ChangeInfo: &r53types.ChangeInfo{Status: r53types.ChangeStatusInsync}}, nil
}

func (f *fakeRoute53) DeleteHostedZone(context.Context, *route53.DeleteHostedZoneInput, ...func(*route53.Options)) (*route53.DeleteHostedZoneOutput, error) {
	f.calls = append(f.calls, "DeleteHostedZone")
	return &route53.DeleteHostedZoneOutput{}, nil
}

// A create whose first answer was lost is retried by the SDK with the same
// caller reference; AWS answers HostedZoneAlreadyExists, and the zone the
// first attempt made is adopted, not a second one made.
func TestCreate_adoptsTheZoneOfALostAnswer(t *testing.T) {
	f := &fakeRoute53{zones: []r53types.HostedZone{
		{Id: aws.String("/hostedzone/ZOTHER"), Name: aws.String("acme.cluster.engflow.com."), CallerReference: aws.String("someone-else")},
		{Id: aws.String("/hostedzone/ZMINE"), Name: aws.String("acme.cluster.engflow.com."), CallerReference: aws.String("ref-1")},
	}}
	id, err := zoneOps{r53: f, region: "us-east-1"}.create(context.Background(), "acme.cluster.engflow.com", "vpc-hub", "ref-1")
	if err != nil || id != "ZMINE" {
		t.Errorf("create = %q, %v; want ZMINE", id, err)
	}
}

// Destroy deletes every record but the apex SOA and NS, then the spokes
// (never the hub: AWS keeps one VPC to the end), then the zone.
func TestDestroy_order(t *testing.T) {
	apex := aws.String("acme.cluster.engflow.com.")
	f := &fakeRoute53{
		vpcs: []r53types.VPC{{VPCId: aws.String("vpc-hub"), VPCRegion: "us-east-1"}, {VPCId: aws.String("vpc-spoke"), VPCRegion: "us-east-1"}},
		records: []r53types.ResourceRecordSet{
			{Name: apex, Type: r53types.RRTypeSoa}, {Name: apex, Type: r53types.RRTypeNs},
			{Name: apex, Type: r53types.RRTypeA, AliasTarget: &r53types.AliasTarget{DNSName: aws.String("vpce-1-x.vpce.amazonaws.com")}},
		},
	}
	if err := (zoneOps{r53: f, region: "us-east-1"}).destroy(context.Background(), "Z1", "vpc-hub"); err != nil {
		t.Fatal(err)
	}
	want := []string{"GetHostedZone", "ListResourceRecordSets", "DELETE A", "Disassociate vpc-spoke", "DeleteHostedZone"}
	if !slices.Equal(f.calls, want) {
		t.Errorf("calls = %v, want %v", f.calls, want)
	}
}
