# `terraform test` of modules/private-bucket on its own (mocked provider): the hardening shared by the
# content, state and log buckets, including what the callers' tests cannot reach inside the module.

mock_provider "aws" {
  override_during = plan
}

variables {
  bucket     = "example-bucket"
  bucket_arn = "arn:aws:s3:::example-bucket"
}

run "versioned_bucket" {
  command = plan

  module {
    source = "./modules/private-bucket"
  }

  variables {
    noncurrent_version_retention_days = 30
    policy_statements = [{
      Sid       = "AllowSomething"
      Effect    = "Allow"
      Principal = { Service = "cloudfront.amazonaws.com" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::example-bucket/*"
    }]
  }

  assert {
    condition = output.public_access_block == {
      block_public_acls       = true
      block_public_policy     = true
      ignore_public_acls      = true
      restrict_public_buckets = true
    }
    error_message = "All four public access block flags are on."
  }

  assert {
    condition = (
      aws_s3_bucket_public_access_block.this.bucket == "example-bucket" &&
      aws_s3_bucket_ownership_controls.this.bucket == "example-bucket" &&
      aws_s3_bucket_policy.this.bucket == "example-bucket" &&
      aws_s3_bucket_versioning.this[0].versioning_configuration[0].status == "Enabled"
    )
    error_message = "Every hardening resource applies to the given bucket."
  }

  assert {
    condition = (
      one(aws_s3_bucket_lifecycle_configuration.this.rule).noncurrent_version_expiration[0].noncurrent_days == 30 &&
      one(aws_s3_bucket_lifecycle_configuration.this.rule).expiration[0].expired_object_delete_marker == true &&
      one(aws_s3_bucket_lifecycle_configuration.this.rule).abort_incomplete_multipart_upload[0].days_after_initiation == 7
    )
    error_message = "Noncurrent versions expire, orphan delete markers go, incomplete uploads are aborted after 7 days."
  }

  assert {
    condition = (
      output.noncurrent_version_expiration_days == 30 &&
      output.noncurrent_version_expiration_days == one(aws_s3_bucket_lifecycle_configuration.this.rule).noncurrent_version_expiration[0].noncurrent_days
    )
    error_message = "noncurrent_version_expiration_days is the lifecycle rule's own value (the content bucket's rollback window)."
  }

  assert {
    condition     = [for statement in jsondecode(aws_s3_bucket_policy.this.policy).Statement : statement.Sid] == ["AllowSomething", "DenyInsecureTransport"]
    error_message = "The caller's statements come first, then the TLS-only deny."
  }
}

run "log_bucket" {
  command = plan

  module {
    source = "./modules/private-bucket"
  }

  variables {
    versioning      = false
    expiration_days = 90
  }

  assert {
    condition = (
      length(aws_s3_bucket_versioning.this) == 0 &&
      length(one(aws_s3_bucket_lifecycle_configuration.this.rule).noncurrent_version_expiration) == 0 &&
      one(aws_s3_bucket_lifecycle_configuration.this.rule).expiration[0].days == 90
    )
    error_message = "An unversioned bucket whose objects expire after expiration_days."
  }

  assert {
    condition     = output.versioning_status == "Disabled" && output.sse_algorithm == "AES256" && output.object_ownership == "BucketOwnerEnforced" && output.noncurrent_version_expiration_days == null
    error_message = "Still encrypted and ACL-free."
  }
}

run "rejects_negative_expiration" {
  command = plan

  module {
    source = "./modules/private-bucket"
  }

  variables {
    expiration_days = -1
  }

  expect_failures = [var.expiration_days]
}

run "rejects_zero_noncurrent_retention" {
  command = plan

  module {
    source = "./modules/private-bucket"
  }

  variables {
    noncurrent_version_retention_days = 0
  }

  expect_failures = [var.noncurrent_version_retention_days]
}
