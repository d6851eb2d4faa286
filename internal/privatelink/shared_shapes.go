package privatelink

import "github.com/hashicorp/terraform-plugin-framework/schema/validator"

// The ID shapes other packages' arguments share with this one's, so that
// engflow_privatelink_shared_dns refuses the same malformed IDs at
// validate time with the same words.

// EndpointIDShape validates a VPC endpoint ID (vpce-<hex digits>).
func EndpointIDShape() validator.String { return endpointID.validator() }

// VPCIDShape validates a VPC ID (vpc-<hex digits>).
func VPCIDShape() validator.String { return vpcID.validator() }

// RegionNameShape validates an AWS Region name (us-east-1).
func RegionNameShape() validator.String { return regionName }
