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
	in := &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{name}}
	for {
		// The SDK has no paginator for this call: follow NextToken by hand.
		out, err := conn.DescribeVpcEndpointServices(ctx, in)
		if errorCode(err) == codeServiceNotFound {
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
		if aws.ToString(out.NextToken) == "" {
			return nil, &NotFoundError{Kind: kindService, ID: name}
		}
		in.NextToken = out.NextToken
	}
}

// serviceLookupDiagnostic words a failed service lookup for the user. For
// "not found" it names the caller's account, which is what EngFlow needs to
// allowlist, and points out a Region mismatch, the other common cause.
func serviceLookupDiagnostic(ctx context.Context, c *Client, name string, err error) diag.Diagnostic {
	if !isNotFound(err) {
		return diag.NewErrorDiagnostic("Looking up EngFlow endpoint service "+name+" failed", err.Error())
	}
	account := "your AWS account"
	if id, idErr := c.accountID(ctx); idErr == nil {
		account = "AWS account " + id
	} else {
		account += " (its ID could not be read: " + idErr.Error() + ")"
	}
	detail := fmt.Sprintf("EC2 in %s does not offer the endpoint service %s to %s. AWS gives this answer both "+
		"when the service does not exist in this Region and when the account is not allowlisted for it.\n\n", c.region, name, account)
	if parsed, perr := parseServiceName(name); perr == nil && parsed.Region != c.region {
		detail += fmt.Sprintf("The service name is in Region %s but the provider is configured for %s: set region = %q "+
			"in the provider block (or AWS_REGION).\n\n", parsed.Region, c.region, parsed.Region)
	}
	detail += "Check the service name EngFlow gave you, then send " + account +
		" to your EngFlow support engineer to be allowlisted."
	return diag.NewErrorDiagnostic("EngFlow endpoint service "+name+" not found or not allowlisted", detail)
}

// cachedService is findServiceByName remembered for the provider process:
// a plan of many endpoints for one service asks EC2 once.
func cachedService(ctx context.Context, c *Client, name string) (*types.ServiceDetail, error) {
	return fact(ctx, &c.lookups, "service:"+name, func(ctx context.Context) (*types.ServiceDetail, error) {
		return findServiceByName(ctx, c.ec2, name)
	})
}
