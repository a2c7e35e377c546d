resource "aws_s3_bucket" "state" {
  bucket = var.state_bucket_name

  # Losing this bucket loses the record of every resource the site module manages.
  lifecycle {
    prevent_destroy = true
  }
}

# Public access block, ACLs off, SSE-S3, versioning (every state write is kept as a version: a corrupted or
# wrongly applied state can be restored), lifecycle and the TLS-only policy: the same hardening as the
# content bucket, from one shared module.
module "state_bucket" {
  source = "../modules/private-bucket"

  bucket                            = aws_s3_bucket.state.id
  bucket_arn                        = aws_s3_bucket.state.arn
  versioning                        = true
  noncurrent_version_retention_days = var.noncurrent_version_retention_days
  lifecycle_rule_id                 = "expire-old-state-versions"
}

# Addresses before the hardening moved into modules/private-bucket.
moved {
  from = aws_s3_bucket_public_access_block.state
  to   = module.state_bucket.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_ownership_controls.state
  to   = module.state_bucket.aws_s3_bucket_ownership_controls.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.state
  to   = module.state_bucket.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_versioning.state
  to   = module.state_bucket.aws_s3_bucket_versioning.this[0]
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.state
  to   = module.state_bucket.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_policy.state
  to   = module.state_bucket.aws_s3_bucket_policy.this
}
