data "aws_caller_identity" "current" {}

locals {
  # At most 32 + 1 + 12 + 1 + 14 = 60 characters, inside S3's 63.
  bucket_name = var.bucket_name != "" ? var.bucket_name : "${var.site_name}-${data.aws_caller_identity.current.account_id}-${var.aws_region}"

  # Basename of the deploy action's bookkeeping object (see the action's manifest code). Not site content:
  # the viewer-request function answers it with 404 and the bucket policy denies it to CloudFront.
  manifest_name = ".parlai-site-deploy.json.gz"

  # Keys of pull-request previews: pr-<number>/... at the bucket root (the deploy action's preview prefix).
  preview_key_pattern = "pr-*"
}

# The content bucket. Private: only this module's distributions read it, through origin access control. It
# has no website configuration (the S3 website endpoint is public-only and HTTP-only); index documents and
# redirects are done by the CloudFront function instead.
resource "aws_s3_bucket" "site" {
  bucket        = local.bucket_name
  force_destroy = var.force_destroy
}

# Public access block, ACLs off, SSE-S3, versioning, lifecycle and the TLS-only policy: shared with the
# state bucket (bootstrap/) and the log bucket, see modules/private-bucket.
module "content_bucket" {
  source = "./modules/private-bucket"

  bucket                            = aws_s3_bucket.site.id
  bucket_arn                        = aws_s3_bucket.site.arn
  versioning                        = true
  noncurrent_version_retention_days = var.noncurrent_version_retention_days
  lifecycle_rule_id                 = "expire-noncurrent-versions"
  policy_statements                 = local.site_bucket_statements
}

locals {
  cloudfront_service = { Service = "cloudfront.amazonaws.com" }

  site_bucket_statements = concat(
    [
      # CloudFront (the production distribution only, signed with SigV4 by the origin access control) may
      # read objects.
      {
        Sid       = "AllowCloudFrontReadObjects"
        Effect    = "Allow"
        Principal = local.cloudfront_service
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.site.arn}/*"
        Condition = { StringEquals = { "aws:SourceArn" = aws_cloudfront_distribution.site.arn } }
      },
      # ListBucket lets S3 answer a missing key with 404 instead of 403, so CloudFront logs and metrics tell
      # "not found" from "access denied". It exposes no listing: the cache policy forwards no query string
      # to the origin (a list request needs one) and the function rewrites "/" to "/index.html".
      {
        Sid       = "AllowCloudFrontListForNotFound"
        Effect    = "Allow"
        Principal = local.cloudfront_service
        Action    = "s3:ListBucket"
        Resource  = aws_s3_bucket.site.arn
        Condition = { StringEquals = { "aws:SourceArn" = aws_cloudfront_distribution.site.arn } }
      },
    ],
    # One pass per preview distribution, i.e. none without one.
    flatten([for preview_arn in aws_cloudfront_distribution.preview[*].arn : [
      # The preview distribution reads preview keys only, plus the site's 404 page for its error
      # responses: even a function bug on that distribution cannot serve production content from it.
      {
        Sid       = "AllowPreviewCloudFrontReadPreviews"
        Effect    = "Allow"
        Principal = local.cloudfront_service
        Action    = "s3:GetObject"
        Resource  = ["${aws_s3_bucket.site.arn}/${local.preview_key_pattern}", "${aws_s3_bucket.site.arn}/404.html"]
        Condition = { StringEquals = { "aws:SourceArn" = preview_arn } }
      },
      # ... and the production distribution may not read them: whatever path spelling gets past its
      # function, previews never come from the production domain.
      {
        Sid       = "DenyProductionCloudFrontPreviews"
        Effect    = "Deny"
        Principal = local.cloudfront_service
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.site.arn}/${local.preview_key_pattern}"
        Condition = { StringEquals = { "aws:SourceArn" = aws_cloudfront_distribution.site.arn } }
      },
    ]]),
    [
      # The deploy manifest is never served, whatever path reaches the origin (the function already
      # answers it with 404; this also covers percent-encoded spellings of the key).
      {
        Sid       = "DenyCloudFrontDeployManifest"
        Effect    = "Deny"
        Principal = local.cloudfront_service
        Action    = "s3:GetObject"
        Resource = [
          "${aws_s3_bucket.site.arn}/${local.manifest_name}",
          "${aws_s3_bucket.site.arn}/*/${local.manifest_name}",
        ]
      },
    ],
  )
}

# Addresses before the hardening moved into modules/private-bucket: existing states follow the move
# instead of destroying and re-creating the resources.
moved {
  from = aws_s3_bucket_public_access_block.site
  to   = module.content_bucket.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_ownership_controls.site
  to   = module.content_bucket.aws_s3_bucket_ownership_controls.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.site
  to   = module.content_bucket.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_versioning.site
  to   = module.content_bucket.aws_s3_bucket_versioning.this[0]
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.site
  to   = module.content_bucket.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_policy.site
  to   = module.content_bucket.aws_s3_bucket_policy.this
}
