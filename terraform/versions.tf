terraform {
  # 1.10 is the first release whose S3 backend can lock with a lock object next to the state
  # (use_lockfile), so no DynamoDB table is needed.
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.100 (the last 5.x release) and every 6.x, never 7.0 and its breaking changes. Nothing used here
      # differs between the two majors (checked against the v6 upgrade guide: no removed or renamed
      # argument; the module never reads aws_s3_bucket.region nor data.aws_region.name), and CI validates
      # and tests the module on both ends of the range: 5.100.0 and the newest 6.x.
      version = ">= 5.100, < 7.0"
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
