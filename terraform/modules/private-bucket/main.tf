# The hardening every bucket of parlai-site-deploy gets: the content bucket, the Terraform state bucket
# (bootstrap/) and the access-log bucket. One place, so a fix lands everywhere.

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = var.bucket

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# ACLs disabled: the bucket owner owns every object, whoever uploads it. (S3 server access logs and
# CloudFront's standard logging v2 both deliver to such buckets through the bucket policy.)
resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = var.bucket

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = var.bucket

  rule {
    apply_server_side_encryption_by_default {
      # SSE-S3. SSE-KMS would need a key policy granting CloudFront's OAC (and the log delivery services)
      # kms:Decrypt / kms:GenerateDataKey; S3 server access logs cannot be written to SSE-KMS buckets at all.
      sse_algorithm = "AES256"
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "this" {
  count  = var.versioning ? 1 : 0
  bucket = var.bucket

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = var.bucket

  rule {
    id     = var.lifecycle_rule_id
    status = "Enabled"

    # Empty filter: the rule applies to every object.
    filter {}

    # A version becomes noncurrent when it is overwritten or deleted; until it expires it can be restored by
    # a server-side copy of its version id. On the content bucket this is the deploy action's rollback
    # window (the root module's rollback_window_days output).
    dynamic "noncurrent_version_expiration" {
      for_each = var.versioning ? [1] : []
      content {
        noncurrent_days = var.noncurrent_version_retention_days
      }
    }

    # Either current objects expire after a number of days, or (versioned buckets) delete markers left
    # with no versions behind them are removed. S3 accepts only one of the two in a rule.
    dynamic "expiration" {
      for_each = var.expiration_days > 0 || var.versioning ? [1] : []
      content {
        days                         = var.expiration_days > 0 ? var.expiration_days : null
        expired_object_delete_marker = var.expiration_days > 0 ? null : true
      }
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  # A rule about noncurrent versions only makes sense once versioning is on.
  depends_on = [aws_s3_bucket_versioning.this]
}

locals {
  # Nobody may use the bucket over plain HTTP.
  deny_insecure_transport = {
    Sid       = "DenyInsecureTransport"
    Effect    = "Deny"
    Principal = "*"
    Action    = "s3:*"
    Resource  = [var.bucket_arn, "${var.bucket_arn}/*"]
    Condition = { Bool = { "aws:SecureTransport" = "false" } }
  }

  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat(var.policy_statements, [local.deny_insecure_transport])
  })
}

resource "aws_s3_bucket_policy" "this" {
  bucket = var.bucket
  policy = local.policy

  # Writing a bucket policy while the public access block is still being applied can race it.
  depends_on = [aws_s3_bucket_public_access_block.this]
}
