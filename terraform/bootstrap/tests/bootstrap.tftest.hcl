# `terraform test` of the state-bucket module with a mocked AWS provider (no credentials, no AWS calls):
#   cd terraform/bootstrap && terraform init -backend=false && terraform test
# Plans only: the state bucket has prevent_destroy, which a test's clean-up (destroy) would trip over.

mock_provider "aws" {
  override_during = plan

  mock_resource "aws_s3_bucket" {
    defaults = {
      id  = "my-org-tfstate"
      arn = "arn:aws:s3:::my-org-tfstate"
    }
  }
}

variables {
  state_bucket_name = "my-org-tfstate"
}

run "state_bucket" {
  command = plan

  assert {
    condition     = aws_s3_bucket.state.bucket == "my-org-tfstate" && aws_s3_bucket.state.force_destroy != true
    error_message = "The state bucket is named by state_bucket_name and is never emptied by a destroy."
  }

  assert {
    condition = module.state_bucket.public_access_block == {
      block_public_acls       = true
      block_public_policy     = true
      ignore_public_acls      = true
      restrict_public_buckets = true
    }
    error_message = "The state bucket blocks public access with all four flags."
  }

  assert {
    condition = (
      module.state_bucket.object_ownership == "BucketOwnerEnforced" &&
      module.state_bucket.sse_algorithm == "AES256" &&
      module.state_bucket.versioning_status == "Enabled"
    )
    error_message = "ACLs disabled, SSE-S3, versioned (old states can be restored)."
  }

  assert {
    condition = jsondecode(module.state_bucket.policy_json).Statement == [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::my-org-tfstate", "arn:aws:s3:::my-org-tfstate/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
    error_message = "The state bucket's policy only denies non-TLS access: it grants nothing to anyone."
  }

  assert {
    condition     = output.state_bucket_name == "my-org-tfstate" && output.state_bucket_arn == "arn:aws:s3:::my-org-tfstate" && output.state_bucket_region == "us-east-1"
    error_message = "The outputs name the bucket, its ARN and its region (for -backend-config)."
  }
}

run "keeps_old_state_versions_90_days" {
  command = plan

  assert {
    condition     = module.state_bucket.versioning_status == "Enabled" && var.noncurrent_version_retention_days == 90
    error_message = "Old state versions are kept 90 days by default."
  }
}

run "rejects_bad_bucket_name" {
  command = plan

  variables {
    state_bucket_name = "My_State"
  }

  expect_failures = [var.state_bucket_name]
}

run "rejects_bad_region" {
  command = plan

  variables {
    region = "europe"
  }

  expect_failures = [var.region]
}
