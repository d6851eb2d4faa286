package privatelink

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

const kindService = "VPC endpoint service"

// findServiceByName asks EC2 for one endpoint service. One name per call:
// a single unknown name fails a whole batched call. AWS answers
// InvalidServiceName both for a service that does not exist and for one the
// caller is not allowlisted for; both become a NotFoundError.
func findServiceByName(ctx context.Context, conn EC2API, name string) (*types.ServiceDetail, error) {
	out, err := conn.DescribeVpcEndpointServices(ctx, &ec2.DescribeVpcEndpointServicesInput{
		ServiceNames: []string{name},
	})
	if errorCode(err) == "InvalidServiceName" {
		return nil, &NotFoundError{Kind: kindService, ID: name, Cause: err}
	}
	if err != nil {
		return nil, fmt.Errorf("describing %s %s: %w", kindService, name, err)
	}
	for i := range out.ServiceDetails {
		if aws.ToString(out.ServiceDetails[i].ServiceName) == name {
			return &out.ServiceDetails[i], nil
		}
	}
	return nil, &NotFoundError{Kind: kindService, ID: name}
}

// serviceLookupDiagnostic words a failed service lookup for the user. For
// "not found" it names the caller's account, which is what EngFlow needs to
// allowlist, and points out a Region mismatch, the other common cause.
func serviceLookupDiagnostic(ctx context.Context, d *deps, name string, err error) diag.Diagnostic {
	if !isNotFound(err) {
		return diag.NewErrorDiagnostic("Looking up EngFlow endpoint service "+name+" failed", err.Error())
	}
	account := "your AWS account"
	if id, idErr := d.accountID(ctx); idErr == nil {
		account = "AWS account " + id
	} else {
		account += " (its ID could not be read: " + idErr.Error() + ")"
	}
	detail := fmt.Sprintf("EC2 in %s does not offer the endpoint service %s to %s. AWS gives this answer both "+
		"when the service does not exist in this Region and when the account is not allowlisted for it.\n\n", d.region, name, account)
	if parsed, perr := parseServiceName(name); perr == nil && parsed.Region != d.region {
		detail += fmt.Sprintf("The service name is in Region %s but the provider is configured for %s: set region = %q "+
			"in the provider block (or AWS_REGION).\n\n", parsed.Region, d.region, parsed.Region)
	}
	detail += "Check the service name EngFlow gave you, then send " + account +
		" to your EngFlow support engineer to be allowlisted."
	return diag.NewErrorDiagnostic("EngFlow endpoint service "+name+" not found or not allowlisted", detail)
}

// cachedService is findServiceByName remembered for the provider process:
// a plan of many endpoints for one service asks EC2 once.
func cachedService(ctx context.Context, d *deps, name string) (*types.ServiceDetail, error) {
	v, err := d.memo.Do(ctx, "service:"+name, func(ctx context.Context) (any, error) {
		return findServiceByName(ctx, d.ec2, name)
	})
	if err != nil {
		return nil, err
	}
	return v.(*types.ServiceDetail), nil
}
