package acctest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

// VPCOptions describe a VPC the fixture builds: one subnet per zone, and a
// security group that lets the VPC reach TCP 443 (Bazel's gRPCs port).
type VPCOptions struct {
	Name string
	// Region to build the VPC in; empty means the fixture's own.
	Region string
	Zones  []Zone
	// The fixture turns on both DNS attributes unless told otherwise, as
	// PrivateLink's private DNS needs them.
	DisableDNSSupport   bool
	DisableDNSHostnames bool
	// CIDR is the VPC's IPv4 block, a /16 such as 10.1.0.0/16 (spokes of a
	// hub need blocks of their own); empty means 10.0.0.0/16.
	CIDR string
}

// VPC is a VPC built by the fixture.
type VPC struct {
	ID              string
	CIDR            string
	Subnets         []Subnet
	SecurityGroupID string
	Region          string
	aws             *AWS
}

// Subnet is one of a fixture VPC's subnets.
type Subnet struct {
	ID   string
	Zone Zone
	CIDR string
}

const vpcCIDR = "10.0.0.0/16"

// CreateVPC builds a VPC, its subnets and its security group.
func (a *AWS) CreateVPC(ctx context.Context, opts VPCOptions) (v *VPC, err error) {
	a = a.InRegion(opts.Region)
	block, err := netip.ParsePrefix(cmp.Or(opts.CIDR, vpcCIDR))
	if err != nil || block.Bits() != 16 || !block.Addr().Is4() {
		return nil, fmt.Errorf("VPCOptions.CIDR %q is not an IPv4 /16 block", opts.CIDR)
	}
	out, err := a.EC2.CreateVpc(ctx, &ec2.CreateVpcInput{
		CidrBlock:         aws.String(block.Masked().String()),
		TagSpecifications: nameTag(ec2types.ResourceTypeVpc, opts.Name),
	})
	if err != nil {
		return nil, fmt.Errorf("creating VPC %s: %w", opts.Name, err)
	}
	v = &VPC{ID: aws.ToString(out.Vpc.VpcId), CIDR: block.Masked().String(), Region: a.Region, aws: a}
	defer func() {
		if err != nil {
			err = errors.Join(err, v.Delete(context.WithoutCancel(ctx)))
		}
	}()
	// EC2 takes one attribute per ModifyVpcAttribute call.
	for _, attr := range []*ec2.ModifyVpcAttributeInput{
		{VpcId: &v.ID, EnableDnsSupport: &ec2types.AttributeBooleanValue{Value: aws.Bool(!opts.DisableDNSSupport)}},
		{VpcId: &v.ID, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(!opts.DisableDNSHostnames)}},
	} {
		if _, err := a.EC2.ModifyVpcAttribute(ctx, attr); err != nil {
			return v, fmt.Errorf("setting DNS attributes of %s: %w", v.ID, err)
		}
	}
	for i, z := range opts.Zones {
		octets := block.Addr().As4()
		cidr := fmt.Sprintf("%d.%d.%d.0/24", octets[0], octets[1], i+1)
		id, err := a.createSubnet(ctx, v.ID, z.Name, cidr, fmt.Sprintf("%s-%s", opts.Name, z.Name))
		if err != nil {
			return v, fmt.Errorf("creating a subnet in %s: %w", z.Name, err)
		}
		v.Subnets = append(v.Subnets, Subnet{ID: id, Zone: z, CIDR: cidr})
	}
	sg, err := a.EC2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
		VpcId:             &v.ID,
		GroupName:         aws.String(opts.Name + "-bazel"),
		Description:       aws.String("Bazel clients reach EngFlow over TCP 443"),
		TagSpecifications: nameTag(ec2types.ResourceTypeSecurityGroup, opts.Name+"-bazel"),
	})
	if err != nil {
		return v, fmt.Errorf("creating a security group in %s: %w", v.ID, err)
	}
	v.SecurityGroupID = aws.ToString(sg.GroupId)
	return v, v.AllowHTTPSFrom(ctx, v.CIDR)
}

// AllowHTTPSFrom adds inbound rules TCP 443 from cidrs to the VPC's
// security group, as a person lets Bazel clients (of spokes, say) in.
func (v *VPC) AllowHTTPSFrom(ctx context.Context, cidrs ...string) error {
	ranges := make([]ec2types.IpRange, len(cidrs))
	for i, c := range cidrs {
		ranges[i] = ec2types.IpRange{CidrIp: aws.String(c)}
	}
	_, err := v.aws.EC2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: &v.SecurityGroupID,
		IpPermissions: []ec2types.IpPermission{{
			IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), IpRanges: ranges,
		}},
	})
	if err != nil {
		return fmt.Errorf("allowing TCP 443 from %v into %s: %w", cidrs, v.SecurityGroupID, err)
	}
	return nil
}

// createSubnet creates a subnet. CreateSubnet is not idempotent: when the
// SDK retries a call whose answer was lost, EC2 says the CIDR conflicts
// with the subnet the first attempt made; that subnet is then the answer.
func (a *AWS) createSubnet(ctx context.Context, vpcID, zone, cidr, name string) (string, error) {
	out, err := a.EC2.CreateSubnet(ctx, &ec2.CreateSubnetInput{
		VpcId: aws.String(vpcID), CidrBlock: aws.String(cidr), AvailabilityZone: aws.String(zone),
		TagSpecifications: nameTag(ec2types.ResourceTypeSubnet, name),
	})
	if err == nil {
		return aws.ToString(out.Subnet.SubnetId), nil
	}
	if apiErrorCode(err) != "InvalidSubnet.Conflict" {
		return "", err
	}
	found, derr := a.Subnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{vpcID}}, {Name: aws.String("cidr-block"), Values: []string{cidr}},
	}})
	if derr != nil || len(found) != 1 || aws.ToString(found[0].AvailabilityZone) != zone {
		return "", err
	}
	return aws.ToString(found[0].SubnetId), nil
}

// Host is the address at offset n of the subnet's CIDR block (0 is the
// network address; AWS keeps 0 to 3 and the last).
func (s Subnet) Host(n int) string {
	a := netip.MustParsePrefix(s.CIDR).Masked().Addr()
	for range n {
		a = a.Next()
	}
	return a.String()
}

// SubnetIDs lists the VPC's subnet IDs in zone order.
func (v *VPC) SubnetIDs() []string {
	ids := make([]string, len(v.Subnets))
	for i, s := range v.Subnets {
		ids[i] = s.ID
	}
	return ids
}

// dependencyTimeout covers real AWS, where an endpoint's network interfaces
// take a while to go and hold on to their subnet and security group until then.
const dependencyTimeout = 10 * time.Minute

// emulatorDependencyTimeout is enough for the emulator, where deleted
// endpoints' interfaces go within a second or two: a lasting
// DependencyViolation there is a bug to report, not to wait out.
const emulatorDependencyTimeout = 30 * time.Second

// ignoreNotFound treats deleting what is already gone as done: the SDK may
// have retried a delete whose first answer was lost.
func ignoreNotFound(err error) error {
	if strings.HasSuffix(apiErrorCode(err), "NotFound") {
		return nil
	}
	return err
}

func apiErrorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// Delete removes the security group, subnets and VPC, waiting out
// DependencyViolation while interfaces of deleted endpoints linger.
func (v *VPC) Delete(ctx context.Context) error {
	var errs []error
	if v.SecurityGroupID != "" {
		errs = append(errs, retryDependency(ctx, func() error {
			_, err := v.aws.EC2.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: &v.SecurityGroupID})
			return err
		}))
	}
	for _, s := range v.Subnets {
		errs = append(errs, retryDependency(ctx, func() error {
			_, err := v.aws.EC2.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(s.ID)})
			return err
		}))
	}
	errs = append(errs, retryDependency(ctx, func() error {
		_, err := v.aws.EC2.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: &v.ID})
		return err
	}))
	return errors.Join(errs...)
}

func retryDependency(ctx context.Context, op func() error) error {
	deadline := time.Now().Add(dependencyTimeout)
	if Target() == TargetEmulator {
		deadline = time.Now().Add(emulatorDependencyTimeout)
	}
	for {
		err := ignoreNotFound(op())
		if err == nil || apiErrorCode(err) != "DependencyViolation" || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(2 * time.Second):
		}
	}
}
