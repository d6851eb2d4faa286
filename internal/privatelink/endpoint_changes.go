package privatelink

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// endpointSpec is the endpoint a configuration asks for, with values not
// yet known (left to AWS) as empty strings or nil.
type endpointSpec struct {
	ServiceName       string
	VpcID             string
	SubnetIDs         []string
	SecurityGroupIDs  []string // nil: AWS attaches the VPC's default group
	PrivateDNSEnabled bool
	IPAddressType     string
	DNSRecordIPType   string
	Tags              map[string]string // tags_all
}

// createInput builds the one CreateVpcEndpoint call. Private DNS is asked
// for right away when the service does not need acceptance (saving a
// modify and a second wait); otherwise AWS refuses it until EngFlow has
// accepted the connection, so it is turned on later by a modify.
func createInput(s endpointSpec, acceptanceRequired bool) *ec2.CreateVpcEndpointInput {
	in := &ec2.CreateVpcEndpointInput{
		VpcEndpointType:   types.VpcEndpointTypeInterface, // the API's default is Gateway
		VpcId:             aws.String(s.VpcID),
		ServiceName:       aws.String(s.ServiceName),
		SubnetIds:         sorted(s.SubnetIDs),
		PrivateDnsEnabled: aws.Bool(s.PrivateDNSEnabled && !acceptanceRequired),
	}
	if s.SecurityGroupIDs != nil {
		in.SecurityGroupIds = sorted(s.SecurityGroupIDs)
	}
	if s.IPAddressType != "" {
		in.IpAddressType = types.IpAddressType(s.IPAddressType)
	}
	if s.DNSRecordIPType != "" {
		in.DnsOptions = &types.DnsOptionsSpecification{DnsRecordIpType: types.DnsRecordIpType(s.DNSRecordIPType)}
	}
	if len(s.Tags) > 0 {
		in.TagSpecifications = []types.TagSpecification{{ResourceType: types.ResourceTypeVpcEndpoint, Tags: ec2Tags(s.Tags)}}
	}
	in.ClientToken = aws.String(clientToken(in, ""))
	return in
}

// clientToken derives CreateVpcEndpoint's idempotency key from the request
// itself. A retried call (the SDK retrying after a lost response, or a
// re-run after an interrupted apply) carries the same key, so EC2 answers
// with the endpoint it already made instead of making a second one. salt
// tells apart a deliberate new endpoint with the same settings.
func clientToken(in *ec2.CreateVpcEndpointInput, salt string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s|%v|%v|%v|%s|%s|", aws.ToString(in.VpcId), aws.ToString(in.ServiceName),
		in.SubnetIds, in.SecurityGroupIds, aws.ToBool(in.PrivateDnsEnabled), in.IpAddressType, salt)
	if in.DnsOptions != nil {
		fmt.Fprint(h, in.DnsOptions.DnsRecordIpType)
	}
	for _, ts := range in.TagSpecifications {
		for _, t := range ts.Tags {
			fmt.Fprintf(h, "|%s=%s", aws.ToString(t.Key), aws.ToString(t.Value))
		}
	}
	return "engflow-" + hex.EncodeToString(h.Sum(nil))[:40]
}

// modifyInput is the single ModifyVpcEndpoint call that takes the endpoint
// from current to want, or nil when nothing but tags differs.
func modifyInput(id string, current, want endpointSpec) *ec2.ModifyVpcEndpointInput {
	in := &ec2.ModifyVpcEndpointInput{VpcEndpointId: aws.String(id)}
	changed := false
	in.AddSubnetIds, in.RemoveSubnetIds = difference(want.SubnetIDs, current.SubnetIDs), difference(current.SubnetIDs, want.SubnetIDs)
	if want.SecurityGroupIDs != nil {
		in.AddSecurityGroupIds = difference(want.SecurityGroupIDs, current.SecurityGroupIDs)
		in.RemoveSecurityGroupIds = difference(current.SecurityGroupIDs, want.SecurityGroupIDs)
	}
	changed = len(in.AddSubnetIds)+len(in.RemoveSubnetIds)+len(in.AddSecurityGroupIds)+len(in.RemoveSecurityGroupIds) > 0
	if want.PrivateDNSEnabled != current.PrivateDNSEnabled {
		in.PrivateDnsEnabled, changed = aws.Bool(want.PrivateDNSEnabled), true
	}
	if want.IPAddressType != "" && want.IPAddressType != current.IPAddressType {
		in.IpAddressType, changed = types.IpAddressType(want.IPAddressType), true
	}
	if want.DNSRecordIPType != "" && want.DNSRecordIPType != current.DNSRecordIPType {
		in.DnsOptions, changed = &types.DnsOptionsSpecification{DnsRecordIpType: types.DnsRecordIpType(want.DNSRecordIPType)}, true
	}
	if !changed {
		return nil
	}
	return in
}

// difference lists the items of a that are not in b.
func difference(a, b []string) []string {
	in := make(map[string]bool, len(b))
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

// modifyEndpoint calls ModifyVpcEndpoint, waiting out "operation in
// progress" (EC2 allows one change at a time per endpoint, and other tools
// may be changing it too) until ctx ends.
func modifyEndpoint(ctx context.Context, conn EC2API, p poller, in *ec2.ModifyVpcEndpointInput) error {
	var lastErr error
	err := p.retry(ctx, func(ctx context.Context) (bool, error) {
		_, lastErr = conn.ModifyVpcEndpoint(ctx, in)
		if errorCode(lastErr) == "OperationInProgress" || isInProgressMessage(lastErr) {
			return false, nil
		}
		return true, lastErr
	})
	if errors.Is(err, errWaitTimeout) && lastErr != nil {
		return fmt.Errorf("%w; last answer: %w", err, lastErr)
	}
	return err
}

// isInProgressMessage catches the same condition reported under another
// code ("VpcEndpoint modify operation in progress").
func isInProgressMessage(err error) bool {
	return err != nil && strings.Contains(strings.ToLower(err.Error()), "operation in progress")
}
