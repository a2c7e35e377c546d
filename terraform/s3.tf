data "aws_caller_identity" "current" {}

locals {
  # At most 32 + 1 + 12 + 1 + 14 = 60 characters, inside S3's 63.
  bucket_name = var.bucket_name != "" ? var.bucket_name : "${var.site_name}-${data.aws_caller_identity.current.account_id}-${var.aws_region}"

  # Basename of the deploy action's bookkeeping object (see src/manifest.ts). Not site content: the
  # viewer-request function answers it with 404 and the bucket policy denies it to CloudFront.
  manifest_name = ".parlai-site-deploy.json.gz"
}

# The content bucket. Private: only this distribution reads it, through origin access control. It has no
# website configuration (the S3 website endpoint is public-only and HTTP-only); index documents and
# redirects are done by the CloudFront function instead.
resource "aws_s3_bucket" "site" {
  bucket        = local.bucket_name
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_public_access_block" "site" {
  bucket = aws_s3_bucket.site.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# ACLs disabled: the bucket owner owns every object, whoever uploads it.
resource "aws_s3_bucket_ownership_controls" "site" {
  bucket = aws_s3_bucket.site.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "site" {
  bucket = aws_s3_bucket.site.id

  rule {
    apply_server_side_encryption_by_default {
      # SSE-S3. SSE-KMS would need a key policy granting CloudFront's OAC kms:Decrypt, for no real gain on
      # public content.
      sse_algorithm = "AES256"
    }
    bucket_key_enabled = true
  }
}

# Versioning keeps every overwritten or deleted object as a noncurrent version: a bad deploy can be rolled
# back by restoring the previous versions.
resource "aws_s3_bucket_versioning" "site" {
  bucket = aws_s3_bucket.site.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "site" {
  bucket = aws_s3_bucket.site.id

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"

    # Empty filter: the rule applies to every object.
    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_retention_days
    }

    # Delete markers left with no versions behind them are removed too.
    expiration {
      expired_object_delete_marker = true
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  # A lifecycle rule about noncurrent versions only makes sense once versioning is on.
  depends_on = [aws_s3_bucket_versioning.site]
}

data "aws_iam_policy_document" "site_bucket" {
  # CloudFront (this distribution only, signed with SigV4 by the origin access control) may read objects.
  statement {
    sid       = "AllowCloudFrontReadObjects"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.site.arn}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudfront_distribution.site.arn]
    }
  }

  # ListBucket lets S3 answer a missing key with 404 instead of 403, so CloudFront logs and metrics tell
  # "not found" from "access denied". It exposes no listing: the cache policy forwards no query string to
  # the origin (a list request needs one) and the function rewrites "/" to "/index.html".
  statement {
    sid       = "AllowCloudFrontListForNotFound"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.site.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudfront_distribution.site.arn]
    }
  }

  # The deploy manifest is never served, whatever path reaches the origin (the function already answers
  # it with 404; this also covers percent-encoded spellings of the key).
  statement {
    sid     = "DenyCloudFrontDeployManifest"
    effect  = "Deny"
    actions = ["s3:GetObject"]
    resources = [
      "${aws_s3_bucket.site.arn}/${local.manifest_name}",
      "${aws_s3_bucket.site.arn}/*/${local.manifest_name}",
    ]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }
  }

  # Nobody may use the bucket over plain HTTP.
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.site.arn, "${aws_s3_bucket.site.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = data.aws_iam_policy_document.site_bucket.json

  # Writing a bucket policy while the public access block is still being applied can race it.
  depends_on = [aws_s3_bucket_public_access_block.site]
}
