terraform {
  # 1.10 is the first release whose S3 backend can lock with a lock object next to the state
  # (use_lockfile), so no DynamoDB table is needed.
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.x is the current major of the AWS provider. "~> 6.0" takes its minor and patch releases
      # (fixes, new attributes) but never 7.0, whose breaking changes need a deliberate upgrade.
      # Everything used here (origin access control, cloudfront-js-2.0 functions, http2and3,
      # response headers policies, the split S3 bucket resources) exists throughout 6.x.
      version = "~> 6.0"
    }
  }

  # Remote state in S3, locked with an S3 lock object. bucket, key and region are given at init:
  #   terraform init -backend-config=bucket=STATE_BUCKET \
  #                  -backend-config=key=parlai-site-deploy/terraform.tfstate \
  #                  -backend-config=region=us-east-1
  # The state bucket is made once by ./bootstrap.
  backend "s3" {
    use_lockfile = true
    encrypt      = true
  }
}
