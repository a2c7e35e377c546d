output "state_bucket_name" {
  description = "Name of the state bucket: pass it as -backend-config=bucket=... (or the infra action's state-bucket input)."
  value       = aws_s3_bucket.state.id
}

output "state_bucket_arn" {
  description = "ARN of the state bucket (for the Terraform role's policy)."
  value       = aws_s3_bucket.state.arn
}

output "state_bucket_region" {
  description = "Region of the state bucket: pass it as -backend-config=region=... (or the infra action's state-region input)."
  value       = var.region
}
