package acctest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// ServiceOptions describe the endpoint service the fixture creates in
// EngFlow's place.
type ServiceOptions struct {
	// Cluster names the EngFlow cluster; the private DNS name is
	// <Cluster>.cluster.engflow.com. Empty picks a random name.
	Cluster            string
	AcceptanceRequired bool
	// Zones is how many Availability Zones the service is offered in (default 2),
	// fewer than the Region has, so tests can pick an unsupported zone.
	Zones int
	// PrivateDNSVerificationState overrides the emulator's "verified", e.g.
	// "pendingVerification" (a tag the emulator reads). Emulator only: on
	// real AWS the state follows a domain's DNS record, and the services the
	// fixture creates there have no private DNS name to verify, so it is
	// ignored; tests expect what the service reports.
	PrivateDNSVerificationState string
	// NoPrivateDNSName creates a service without a private DNS name. Real
	// AWS needs a verified domain for one, so the fixture always omits it there.
	NoPrivateDNSName bool
	// SupportedRegions are the other Regions whose consumers may reach the
	// service (cross-Region PrivateLink); its own Region always may.
	SupportedRegions []string
	// Region to create the service in; empty means the fixture's own.
	Region string
}

// Service is an endpoint service as a consumer sees it: what EngFlow hands
// out, plus what the fixture needs to accept connections and clean up.
type Service struct {
	Name           string
	ID             string
	PrivateDNSName string
	// Zones are where the service is offered; none when it was described
	// from another Region (AWS lists no zones for a remote service).
	Zones              []Zone
	AcceptanceRequired bool
	// Region is where the service is hosted; consumers elsewhere name it
	// as CreateVpcEndpoint's ServiceRegion.
	Region string
	// Owned is true when the fixture created the service (and can accept
	// or reject connections to it).
	Owned bool

	vpc   *VPC
	lbARN string
	aws   *AWS
}

// CreateService builds what EngFlow runs on its side: a VPC, an internal
// network load balancer and an endpoint service in front of it.
func (a *AWS) CreateService(ctx context.Context, opts ServiceOptions) (s *Service, err error) {
	if opts.Zones == 0 {
		opts.Zones = 2
	}
	if opts.Cluster == "" {
		opts.Cluster = RandomName("cluster")
	}
	zones, err := a.Zones(ctx)
	if err != nil {
		return nil, err
	}
	if len(zones) < opts.Zones {
		return nil, fmt.Errorf("region %s has %d Availability Zones, the service needs %d", a.Region, len(zones), opts.Zones)
	}
	s = &Service{Zones: zones[:opts.Zones], AcceptanceRequired: opts.AcceptanceRequired, Region: a.Region, Owned: true, aws: a}
	defer func() {
		if err != nil {
			err = errors.Join(err, s.Delete(context.WithoutCancel(ctx)))
		}
	}()

	if s.vpc, err = a.CreateVPC(ctx, VPCOptions{Name: "engflow-" + opts.Cluster, Zones: s.Zones}); err != nil {
		return s, err
	}
	lb, err := a.ELB.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{
		Name:    aws.String(RandomName("engflow-nlb")),
		Type:    elbtypes.LoadBalancerTypeEnumNetwork,
		Scheme:  elbtypes.LoadBalancerSchemeEnumInternal,
		Subnets: s.vpc.SubnetIDs(),
	})
	if err != nil {
		return s, fmt.Errorf("creating the service's network load balancer: %w", err)
	}
	s.lbARN = aws.ToString(lb.LoadBalancers[0].LoadBalancerArn)

	in := &ec2.CreateVpcEndpointServiceConfigurationInput{
		NetworkLoadBalancerArns: []string{s.lbARN},
		AcceptanceRequired:      aws.Bool(opts.AcceptanceRequired),
		SupportedRegions:        opts.SupportedRegions,
		TagSpecifications:       nameTag(ec2types.ResourceTypeVpcEndpointService, "engflow-"+opts.Cluster),
	}
	if !opts.NoPrivateDNSName && Target() == TargetEmulator {
		s.PrivateDNSName = opts.Cluster + ".cluster.engflow.com"
		in.PrivateDnsName = aws.String(s.PrivateDNSName)
	}
	if opts.PrivateDNSVerificationState != "" && Target() == TargetEmulator {
		tags := &in.TagSpecifications[0].Tags
		*tags = append(*tags, ec2types.Tag{
			Key: aws.String("emulator:private-dns-verification-state"), Value: aws.String(opts.PrivateDNSVerificationState),
		})
	}
	out, err := a.EC2.CreateVpcEndpointServiceConfiguration(ctx, in)
	if err != nil {
		return s, fmt.Errorf("creating the endpoint service: %w", err)
	}
	s.ID = aws.ToString(out.ServiceConfiguration.ServiceId)
	s.Name = aws.ToString(out.ServiceConfiguration.ServiceName)
	return s, nil
}

// ExistingService describes a service of the fixture's Region that it does
// not own, such as a real EngFlow service named by ENGFLOW_ACC_SERVICE_NAME.
func (a *AWS) ExistingService(ctx context.Context, name string) (*Service, error) {
	return a.ExistingServiceIn(ctx, name, a.Region)
}

// ExistingServiceIn describes a service hosted in serviceRegion as the
// fixture's Region sees it. A service of another Region is known only to a
// describe that names its Region (ServiceRegions; otherwise
// InvalidServiceName, cloud-custodian PR 10918) and comes without zones.
func (a *AWS) ExistingServiceIn(ctx context.Context, name, serviceRegion string) (*Service, error) {
	in := &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{name}}
	if serviceRegion != "" && serviceRegion != a.Region {
		in.ServiceRegions = []string{serviceRegion}
	}
	details, err := a.ServiceDetails(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("describing endpoint service %s: %w", name, err)
	}
	if len(details) != 1 {
		return nil, fmt.Errorf("endpoint service %s: expected one service, AWS returned %d", name, len(details))
	}
	d := details[0]
	s := &Service{
		Name: name, ID: aws.ToString(d.ServiceId), PrivateDNSName: aws.ToString(d.PrivateDnsName),
		AcceptanceRequired: aws.ToBool(d.AcceptanceRequired), Region: aws.ToString(d.ServiceRegion), aws: a,
	}
	if s.Region == "" {
		s.Region = cmp.Or(serviceRegion, a.Region)
	}
	for i, zoneName := range d.AvailabilityZones {
		z := Zone{Name: zoneName}
		if i < len(d.AvailabilityZoneIds) {
			z.ID = d.AvailabilityZoneIds[i]
		}
		s.Zones = append(s.Zones, z)
	}
	return s, nil
}

// Accept plays EngFlow accepting an endpoint connection.
func (s *Service) Accept(ctx context.Context, endpointID string) error {
	return s.changeConnection(ctx, func() ([]ec2types.UnsuccessfulItem, error) {
		out, err := s.aws.EC2.AcceptVpcEndpointConnections(ctx, &ec2.AcceptVpcEndpointConnectionsInput{
			ServiceId: &s.ID, VpcEndpointIds: []string{endpointID},
		})
		if err != nil {
			return nil, err
		}
		return out.Unsuccessful, nil
	})
}

// Reject plays EngFlow rejecting an endpoint connection.
func (s *Service) Reject(ctx context.Context, endpointID string) error {
	return s.changeConnection(ctx, func() ([]ec2types.UnsuccessfulItem, error) {
		out, err := s.aws.EC2.RejectVpcEndpointConnections(ctx, &ec2.RejectVpcEndpointConnectionsInput{
			ServiceId: &s.ID, VpcEndpointIds: []string{endpointID},
		})
		if err != nil {
			return nil, err
		}
		return out.Unsuccessful, nil
	})
}

// changeConnection accepts or rejects; a new endpoint may be unknown to the
// service owner for a while (eventual consistency), so a NotFound item is
// retried for up to notFoundTolerance.
func (s *Service) changeConnection(ctx context.Context, call func() ([]ec2types.UnsuccessfulItem, error)) error {
	if err := s.mustOwn(); err != nil {
		return err
	}
	deadline := time.Now().Add(notFoundTolerance())
	for {
		failed, err := call()
		if err != nil {
			return err
		}
		notFound := len(failed) == 1 && failed[0].Error != nil && strings.HasSuffix(aws.ToString(failed[0].Error.Code), ".NotFound")
		if !notFound || time.Now().After(deadline) {
			return unsuccessfulError(failed)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func (s *Service) mustOwn() error {
	if !s.Owned {
		return fmt.Errorf("service %s belongs to someone else: only its owner can accept or reject connections", s.Name)
	}
	return nil
}

// unsuccessfulError turns EC2's per-item failures into one error.
func unsuccessfulError(items []ec2types.UnsuccessfulItem) error {
	var errs []error
	for _, u := range items {
		if u.Error != nil {
			errs = append(errs, fmt.Errorf("%s: %s: %s", aws.ToString(u.ResourceId), aws.ToString(u.Error.Code), aws.ToString(u.Error.Message)))
		}
	}
	return errors.Join(errs...)
}

// Delete removes what CreateService built; a no-op for services not owned.
func (s *Service) Delete(ctx context.Context) error {
	if !s.Owned {
		return nil
	}
	var errs []error
	if s.ID != "" {
		_, err := s.aws.EC2.DeleteVpcEndpointServiceConfigurations(ctx, &ec2.DeleteVpcEndpointServiceConfigurationsInput{
			ServiceIds: []string{s.ID},
		})
		errs = append(errs, ignoreNotFound(err))
	}
	if s.lbARN != "" {
		_, err := s.aws.ELB.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: &s.lbARN})
		errs = append(errs, ignoreNotFound(err))
	}
	if s.vpc != nil {
		errs = append(errs, s.vpc.Delete(ctx))
	}
	return errors.Join(errs...)
}
