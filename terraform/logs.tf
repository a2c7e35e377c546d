# Optional access logs (var.access_logs), into one private log bucket:
#   s3/                               S3 server access logs of the content bucket (who wrote, read or
#                                     deleted what: the record to look at after a suspicious deploy);
#   AWSLogs/<account>/CloudFront/...  CloudFront standard logs v2 of each distribution of this module.
# Both services deliver through the bucket policy (no ACLs: the bucket keeps BucketOwnerEnforced, which
# CloudFront's legacy standard logging would not allow). Logs expire after access_log_retention_days.

locals {
  # <site>-<account>-<region>-logs: at most 26 + 1 + 12 + 1 + 14 + 5 = 59 characters, and (for a site_name of
  # up to 26 characters) inside the same <site>-<account>-* name pattern as the content bucket, which IAM
  # policies can scope to.
  log_bucket_name = "${substr(var.site_name, 0, 26)}-${data.aws_caller_identity.current.account_id}-${var.aws_region}-logs"

  # Every distribution of this module whose logs are kept.
  logged_distributions = var.access_logs ? merge(
    { site = aws_cloudfront_distribution.site.arn },
    var.preview_distribution ? { preview = aws_cloudfront_distribution.preview[0].arn } : {},
  ) : {}
}

resource "aws_s3_bucket" "logs" {
  count = var.access_logs ? 1 : 0

  bucket        = local.log_bucket_name
  force_destroy = var.force_destroy
}

module "log_bucket" {
  source = "./modules/private-bucket"
  count  = var.access_logs ? 1 : 0

  bucket            = aws_s3_bucket.logs[0].id
  bucket_arn        = aws_s3_bucket.logs[0].arn
  versioning        = false
  expiration_days   = var.access_log_retention_days
  lifecycle_rule_id = "expire-logs"
  policy_statements = local.log_delivery_statements
}

locals {
  # One pass per log bucket, i.e. none without access_logs.
  log_delivery_statements = flatten([for logs_arn in aws_s3_bucket.logs[*].arn : [
    # S3 server access logging of the content bucket (and of nothing else) writes under s3/.
    {
      Sid       = "AllowS3ServerAccessLogs"
      Effect    = "Allow"
      Principal = { Service = "logging.s3.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "${logs_arn}/s3/*"
      Condition = {
        ArnLike      = { "aws:SourceArn" = aws_s3_bucket.site.arn }
        StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id }
      }
    },
    # CloudWatch Logs vended-log delivery writes the CloudFront logs, for this module's delivery sources
    # only.
    {
      Sid       = "AllowCloudFrontLogDelivery"
      Effect    = "Allow"
      Principal = { Service = "delivery.logs.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "${logs_arn}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"
      Condition = {
        StringEquals = {
          "s3:x-amz-acl"      = "bucket-owner-full-control"
          "aws:SourceAccount" = data.aws_caller_identity.current.account_id
        }
        ArnLike = { "aws:SourceArn" = [for source in aws_cloudwatch_log_delivery_source.cloudfront : source.arn] }
      }
    },
    {
      Sid       = "AllowCloudFrontLogDeliveryAclCheck"
      Effect    = "Allow"
      Principal = { Service = "delivery.logs.amazonaws.com" }
      Action    = ["s3:GetBucketAcl", "s3:ListBucket"]
      Resource  = logs_arn
      Condition = {
        StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id }
        ArnLike      = { "aws:SourceArn" = [for source in aws_cloudwatch_log_delivery_source.cloudfront : source.arn] }
      }
    },
  ]])
}

resource "aws_s3_bucket_logging" "site" {
  count = var.access_logs ? 1 : 0

  bucket        = aws_s3_bucket.site.id
  target_bucket = aws_s3_bucket.logs[0].id
  target_prefix = "s3/"

  depends_on = [module.log_bucket]
}

# CloudFront standard logging v2: a delivery source per distribution, one S3 destination, one delivery
# each. CloudFront's delivery sources live in us-east-1; the bucket may be in any region.
resource "aws_cloudwatch_log_delivery_source" "cloudfront" {
  for_each = local.logged_distributions
  provider = aws.us_east_1

  name         = "${var.site_name}-${each.key}-cloudfront"
  log_type     = "ACCESS_LOGS"
  resource_arn = each.value
}

resource "aws_cloudwatch_log_delivery_destination" "logs" {
  count    = var.access_logs ? 1 : 0
  provider = aws.us_east_1

  name = "${var.site_name}-access-logs"

  delivery_destination_configuration {
    destination_resource_arn = aws_s3_bucket.logs[0].arn
  }
}

resource "aws_cloudwatch_log_delivery" "cloudfront" {
  for_each = local.logged_distributions
  provider = aws.us_east_1

  delivery_source_name     = aws_cloudwatch_log_delivery_source.cloudfront[each.key].name
  delivery_destination_arn = aws_cloudwatch_log_delivery_destination.logs[0].arn

  # The bucket policy must admit the delivery before it is created.
  depends_on = [module.log_bucket]
}
