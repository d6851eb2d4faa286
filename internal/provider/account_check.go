package provider

import (
	"fmt"
	"slices"
	"strings"
)

// checkAccount refuses an account that forbidden_account_ids lists or
// allowed_account_ids leaves out, as the hashicorp/aws provider does: a
// guard against applying with the wrong account's credentials.
func checkAccount(id string, allowed, forbidden []string) error {
	const fix = "The provider stopped before calling EC2. Use credentials of the right account (check AWS_PROFILE, " +
		"AWS_ACCESS_KEY_ID, and the role ARNs of assume_role and assume_role_with_web_identity or AWS_ROLE_ARN), " +
		"or correct the list."
	if slices.Contains(forbidden, id) {
		return &configError{
			Summary: fmt.Sprintf("AWS account %s is forbidden", id),
			Detail: fmt.Sprintf("The provider's credentials belong to AWS account %s, which forbidden_account_ids %s lists.\n\n%s",
				id, listed(forbidden), fix),
		}
	}
	if len(allowed) > 0 && !slices.Contains(allowed, id) {
		return &configError{
			Summary: fmt.Sprintf("AWS account %s is not allowed", id),
			Detail: fmt.Sprintf("The provider's credentials belong to AWS account %s, which allowed_account_ids %s does not list.\n\n%s",
				id, listed(allowed), fix),
		}
	}
	return nil
}

func listed(ids []string) string {
	return "[" + strings.Join(slices.Sorted(slices.Values(ids)), ", ") + "]"
}

// accountUnknown reports that the account could not be checked: the
// provider does not go on unchecked when the block asks for a check.
func accountUnknown(err error) error {
	return &configError{
		Summary: "Cannot check the AWS account",
		Detail: fmt.Sprintf("allowed_account_ids or forbidden_account_ids is set, so the provider asks STS which account "+
			"its credentials belong to (sts:GetCallerIdentity, which needs no permission), and that failed: %s.\n\n"+
			"Check that STS is reachable from here (endpoints.sts, sts_region, the proxies, AWS_ENDPOINT_URL_STS), "+
			"or remove the account lists.", err),
	}
}
