# What the module applied, for the calling module's outputs and for `terraform test` assertions (a test
# of the calling module cannot reach into this module's resources).

output "policy_json" {
  description = "The bucket policy as applied: the caller's policy_statements, then the TLS-only statement."
  value       = aws_s3_bucket_policy.this.policy
}

output "public_access_block" {
  description = "The four public access block flags (all true)."
  value = {
    block_public_acls       = aws_s3_bucket_public_access_block.this.block_public_acls
    block_public_policy     = aws_s3_bucket_public_access_block.this.block_public_policy
    ignore_public_acls      = aws_s3_bucket_public_access_block.this.ignore_public_acls
    restrict_public_buckets = aws_s3_bucket_public_access_block.this.restrict_public_buckets
  }
}

output "object_ownership" {
  description = "Object ownership setting (BucketOwnerEnforced: ACLs disabled)."
  value       = one(aws_s3_bucket_ownership_controls.this.rule[*].object_ownership)
}

output "sse_algorithm" {
  description = "Default server-side encryption algorithm."
  value       = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule[*].apply_server_side_encryption_by_default[*].sse_algorithm))
}

output "versioning_status" {
  description = "\"Enabled\", or \"Disabled\" when the module does not version the bucket."
  value       = var.versioning ? one(aws_s3_bucket_versioning.this[0].versioning_configuration[*].status) : "Disabled"
}

output "noncurrent_version_expiration_days" {
  description = "Days after which the lifecycle rule permanently removes a noncurrent version, as applied; null without versioning. On the content bucket this is the rollback window."
  value       = var.versioning ? one(one(aws_s3_bucket_lifecycle_configuration.this.rule[*].noncurrent_version_expiration[*].noncurrent_days)) : null
}
