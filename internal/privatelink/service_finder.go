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

// findServiceByName asks EC2 in region for one endpoint service. One name
// per call: a single unknown name fails a whole batched call. AWS answers
// InvalidServiceName both for a service that does not exist and for one the
// caller is not allowlisted for; both become a NotFoundError. A service of
// another Region is only found when the call names its Region
// (ServiceRegions; cloud-custodian PR 10918).
func findServiceByName(ctx context.Context, conn EC2API, name, region string) (*types.ServiceDetail, error) {
	in := &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{name}}
	if remote := remoteRegion(name, region); remote != "" {
		in.ServiceRegions = []string{remote}
	}
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
	if remote := remoteRegion(name, c.region); remote != "" {
		detail += fmt.Sprintf("The service lives in %s and the endpoint in %s, so the provider asked across Regions "+
			"(cross-Region PrivateLink). AWS also answers this way when the service does not accept endpoints from %s: "+
			"ask EngFlow to enable %s for the service. To connect within %s instead, set region = %q on the resource "+
			"with a VPC of that Region.\n\n", remote, c.region, c.region, c.region, remote, remote)
	}
	detail += "Check the service name EngFlow gave you, then send " + account +
		" to your EngFlow support engineer to be allowlisted."
	return diag.NewErrorDiagnostic("EngFlow endpoint service "+name+" not found or not allowlisted", detail)
}

// cachedService is findServiceByName remembered for the provider process:
// a plan of many endpoints for one service asks EC2 once.
func cachedService(ctx context.Context, c *Client, name string) (*types.ServiceDetail, error) {
	return fact(ctx, &c.lookups, "service:"+name, func(ctx context.Context) (*types.ServiceDetail, error) {
		return findServiceByName(ctx, c.ec2, name, c.region)
	})
}
