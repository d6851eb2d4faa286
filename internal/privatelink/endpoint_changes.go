package privatelink

import (
	"context"
	"errors"
	"fmt"
	"slices"

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
	// SubnetAddresses are the fixed addresses by subnet (subnet_configuration).
	SubnetAddresses map[string]subnetAddress
	// GoneInterfaces are network interfaces a modify replaces: it is done
	// once the endpoint no longer lists them.
	GoneInterfaces []string
	// ServiceRegion is the service's Region when the endpoint connects
	// across Regions, else "".
	ServiceRegion string
}

// createInput builds the one CreateVpcEndpoint call. Private DNS is asked
// for right away when the service does not need acceptance (saving a
// modify and a second wait); otherwise AWS refuses it until EngFlow has
// accepted the connection, so it is turned on later by a modify.
//
// The ClientToken is random per create: EC2 answers a repeated token with
// the result of the original request, even after that endpoint was deleted
// ("Ensuring idempotency" in the EC2 API guide). The SDK retries with the
// same input, so a lost answer still reaches the same endpoint, while two
// resources with the same arguments, -replace and destroy-then-apply each
// get an endpoint of their own. The creation marker tag lets a later run
// find the endpoint of a create that was interrupted before Terraform
// saved it (creation_marker.go).
func createInput(s endpointSpec, acceptanceRequired bool, marker string) *ec2.CreateVpcEndpointInput {
	in := &ec2.CreateVpcEndpointInput{
		VpcEndpointType:   types.VpcEndpointTypeInterface, // the API's default is Gateway
		VpcId:             aws.String(s.VpcID),
		ServiceName:       aws.String(s.ServiceName),
		SubnetIds:         sorted(s.SubnetIDs),
		PrivateDnsEnabled: aws.Bool(s.PrivateDNSEnabled && !acceptanceRequired),
		ClientToken:       aws.String("engflow-" + randomHex(16)),
	}
	if s.ServiceRegion != "" {
		in.ServiceRegion = aws.String(s.ServiceRegion)
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
	in.SubnetConfigurations = subnetConfigurations(s.SubnetAddresses)
	tags := mergeTags(s.Tags, map[string]string{creationMarkerKey: marker})
	in.TagSpecifications = []types.TagSpecification{{ResourceType: types.ResourceTypeVpcEndpoint, Tags: ec2Tags(tags)}}
	return in
}

// shows reports whether EC2's description of the endpoint has what want
// asks for. Right after a modify EC2 may still describe the endpoint as it
// was, state available included, so a change is done only once it shows.
func shows(ep *types.VpcEndpoint, want endpointSpec) bool {
	var groups []string
	for _, g := range ep.Groups {
		groups = append(groups, aws.ToString(g.GroupId))
	}
	dnsRecordIPType := ""
	if ep.DnsOptions != nil {
		dnsRecordIPType = string(ep.DnsOptions.DnsRecordIpType)
	}
	return slices.Equal(sorted(ep.SubnetIds), sorted(want.SubnetIDs)) &&
		!slices.ContainsFunc(want.GoneInterfaces, func(id string) bool { return slices.Contains(ep.NetworkInterfaceIds, id) }) &&
		(want.SecurityGroupIDs == nil || slices.Equal(sorted(groups), sorted(want.SecurityGroupIDs))) &&
		aws.ToBool(ep.PrivateDnsEnabled) == want.PrivateDNSEnabled &&
		(want.IPAddressType == "" || string(ep.IpAddressType) == want.IPAddressType) &&
		(want.DNSRecordIPType == "" || dnsRecordIPType == "" || dnsRecordIPType == want.DNSRecordIPType)
}

// modifyInput is the single ModifyVpcEndpoint call that takes the endpoint
// from current to want, or nil when nothing but tags differs. addresses
// are the fixed addresses to send (addressChanges).
func modifyInput(id string, current, want endpointSpec, addresses []types.SubnetConfiguration) *ec2.ModifyVpcEndpointInput {
	in := &ec2.ModifyVpcEndpointInput{VpcEndpointId: aws.String(id), SubnetConfigurations: addresses}
	changed := false
	in.AddSubnetIds, in.RemoveSubnetIds = difference(want.SubnetIDs, current.SubnetIDs), difference(current.SubnetIDs, want.SubnetIDs)
	if want.SecurityGroupIDs != nil {
		in.AddSecurityGroupIds = difference(want.SecurityGroupIDs, current.SecurityGroupIDs)
		in.RemoveSecurityGroupIds = difference(current.SecurityGroupIDs, want.SecurityGroupIDs)
	}
	changed = len(in.AddSubnetIds)+len(in.RemoveSubnetIds)+len(in.AddSecurityGroupIds)+len(in.RemoveSecurityGroupIds)+len(addresses) > 0
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
		if isInProgress(lastErr) {
			return false, nil
		}
		return true, lastErr
	})
	if (errors.Is(err, errWaitTimeout) || errors.Is(err, errWaitInterrupted)) && lastErr != nil {
		return fmt.Errorf("%w; last answer: %w", err, lastErr)
	}
	return err
}
