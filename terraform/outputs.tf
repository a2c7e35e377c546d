output "bucket_name" {
  description = "Name of the private content bucket (the deploy action's `bucket` input)."
  value       = aws_s3_bucket.site.id
}

output "bucket_arn" {
  description = "ARN of the content bucket (for the deploy role's policy)."
  value       = aws_s3_bucket.site.arn
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

output "certificate_arn" {
  description = "ARN of the ACM certificate (us-east-1), or null without a custom domain."
  value       = one(aws_acm_certificate.site[*].arn)
}
