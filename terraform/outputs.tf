output "bucket_name" {
  description = "Name of the private content bucket (the deploy action's `bucket` input)."
  value       = aws_s3_bucket.site.id
}

output "bucket_arn" {
  description = "ARN of the content bucket (for the deploy role's policy)."
  value       = aws_s3_bucket.site.arn
}

output "rollback_window_days" {
  description = "How many days an overwritten or deleted version stays restorable (the content bucket's noncurrent-version expiry, as applied): the deploy action's rollback-to can return to a deploy whose replaced versions became noncurrent less than this many days ago."
  value       = module.content_bucket.noncurrent_version_expiration_days
}

output "distribution_id" {
  description = "ID of the CloudFront distribution (the deploy action's `distribution-id` input)."
  value       = aws_cloudfront_distribution.site.id
}

output "distribution_arn" {
  description = "ARN of the CloudFront distribution (for the deploy role's policy)."
  value       = aws_cloudfront_distribution.site.arn
}

output "distribution_domain_name" {
  description = "The distribution's own domain name, e.g. d111111abcdef8.cloudfront.net."
  value       = aws_cloudfront_distribution.site.domain_name
}

output "site_url" {
  description = "Where the site is served: https://<domain_name> with a custom domain, else https://<distribution domain>."
  value       = local.custom_domain ? "https://${var.domain_name}" : "https://${aws_cloudfront_distribution.site.domain_name}"
}

output "key_value_store_arn" {
  description = "ARN of the redirects key value store (the deploy action's `redirect-store-arn`, and the Resource of the deploy role's cloudfront-keyvaluestore statement), or null with redirects = false."
  value       = one(aws_cloudfront_key_value_store.redirects[*].arn)
}

output "key_value_store_id" {
  description = "ID of the redirects key value store (the last part of its ARN), or null with redirects = false."
  value       = one(aws_cloudfront_key_value_store.redirects[*].id)
}

output "certificate_arn" {
  description = "ARN of the ACM certificate (us-east-1), or null without a custom domain."
  value       = one(aws_acm_certificate.site[*].arn)
}

output "preview_distribution_id" {
  description = "ID of the pull-request preview distribution (the deploy action's `distribution-id` for previews), or null without preview_distribution."
  value       = one(aws_cloudfront_distribution.preview[*].id)
}

output "preview_distribution_arn" {
  description = "ARN of the preview distribution (for the preview role's cloudfront:CreateInvalidation), or null."
  value       = one(aws_cloudfront_distribution.preview[*].arn)
}

output "preview_url" {
  description = "Base URL previews are served on (a preview lives at <preview_url>/pr-<number>/): https://<preview_domain_name>, else https://<preview distribution domain>; null without preview_distribution."
  value = (
    !var.preview_distribution ? null :
    local.preview_custom_domain ? "https://${var.preview_domain_name}" : "https://${aws_cloudfront_distribution.preview[0].domain_name}"
  )
}

output "preview_key_value_store_arn" {
  description = "ARN of the previews' redirects key value store (`redirect-store-arn` for preview deploys, written by the preview role), or null without preview_distribution or redirects."
  value       = one(aws_cloudfront_key_value_store.preview_redirects[*].arn)
}

output "preview_key_value_store_id" {
  description = "ID of the previews' redirects key value store, or null without preview_distribution or redirects."
  value       = one(aws_cloudfront_key_value_store.preview_redirects[*].id)
}

output "log_bucket_name" {
  description = "Name of the access-log bucket, or null without access_logs."
  value       = one(aws_s3_bucket.logs[*].id)
}
