# Every argument is optional: with none, the provider reads AWS_REGION,
# AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and ~/.aws/* the
# way the hashicorp/aws provider does.
provider "engflow" {
  region = "us-east-1"

  # Use the same role your aws provider assumes for networking changes.
  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/build-network"
    session_name = "terraform-engflow"
  }

  # Merged into the tags of every endpoint this provider creates.
  default_tags {
    tags = {
      managed-by = "terraform"
      team       = "build-infra"
    }
  }
}
