package acctest

// Cross-Region PrivateLink (AWS, November 2024): an endpoint in one Region
// reaches a service in another that lists the endpoint's Region among its
// supported Regions. The fixture reaches other Regions with AWS.InRegion;
// this file finds out where in a consumer's Region such an endpoint may go.

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

var remoteAccessRefusal = regexp.MustCompile(`Only the following availability zones are supported for remote access:(.*)`)

// RemoteAccessZoneIDs returns the zone IDs EC2 named when it refused a
// subnet of a cross-Region endpoint, "InvalidParameter: Only the following
// availability zones are supported for remote access: use1-az1, ..."
// (chanzuckerberg/cztack PR 865). ok is false for any other error.
func RemoteAccessZoneIDs(err error) (ids []string, ok bool) {
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidParameter" {
		return nil, false
	}
	m := remoteAccessRefusal.FindStringSubmatch(apiErr.ErrorMessage())
	if m == nil {
		return nil, false
	}
	for _, id := range strings.Split(m[1], ",") {
		if id = strings.TrimSuffix(strings.TrimSpace(id), "."); id != "" {
			ids = append(ids, id)
		}
	}
	return ids, true
}

// RemoteAccessZones splits the zones of a's Region into those that take an
// endpoint to svc, a service of another Region, and those EC2 refuses. AWS
// publishes no such list and describes a remote service without zones
// (terraform-provider-aws 44186), but its refusal of a subnet names the
// zones it accepts. So this asks for an endpoint in a VPC of its own with a
// subnet in every zone and reads the refusal; should EC2 take the request
// instead, every zone is supported and the endpoint goes again. The VPC is
// deleted before it returns.
func (a *AWS) RemoteAccessZones(ctx context.Context, svc *Service) (supported, refused []Zone, err error) {
	if svc.Region == a.Region {
		return nil, nil, fmt.Errorf("service %s is hosted in %s itself: remote access does not apply", svc.Name, a.Region)
	}
	zones, err := a.Zones(ctx)
	if err != nil {
		return nil, nil, err
	}
	vpc, err := a.CreateVPC(ctx, VPCOptions{Name: RandomName("remote-access-probe"), Zones: zones})
	if err != nil {
		return nil, nil, err
	}
	defer func() { err = errors.Join(err, vpc.Delete(context.WithoutCancel(ctx))) }()
	out, err := a.EC2.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{
		VpcEndpointType:   ec2types.VpcEndpointTypeInterface,
		VpcId:             aws.String(vpc.ID),
		ServiceName:       aws.String(svc.Name),
		ServiceRegion:     aws.String(svc.Region),
		SubnetIds:         vpc.SubnetIDs(),
		PrivateDnsEnabled: aws.Bool(false),
	})
	if err == nil {
		return zones, nil, a.DeleteEndpoint(ctx, aws.ToString(out.VpcEndpoint.VpcEndpointId))
	}
	ids, ok := RemoteAccessZoneIDs(err)
	if !ok {
		return nil, nil, fmt.Errorf("asking %s for an endpoint to %s in %s in every zone: %w", a.Region, svc.Name, svc.Region, err)
	}
	for _, z := range zones {
		if slices.Contains(ids, z.ID) {
			supported = append(supported, z)
		} else {
			refused = append(refused, z)
		}
	}
	return supported, refused, nil
}
