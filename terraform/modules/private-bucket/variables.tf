variable "bucket" {
  description = "Name (ID) of the bucket to harden. The aws_s3_bucket itself stays in the calling module, so that module can give it lifecycle settings such as prevent_destroy, which cannot be passed in as variables."
  type        = string
}

variable "bucket_arn" {
  description = "ARN of the same bucket (the TLS-only policy names it and its objects)."
  type        = string
}

variable "versioning" {
  description = "Keep every overwritten or deleted object as a noncurrent version (content and state buckets). Off for a log bucket, whose objects are written once."
  type        = bool
  default     = true
}

variable "noncurrent_version_retention_days" {
  description = "Days a noncurrent version (an overwritten or deleted object) is kept before it expires (only with versioning). Output noncurrent_version_expiration_days gives it back as applied."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_retention_days >= 1 && floor(var.noncurrent_version_retention_days) == var.noncurrent_version_retention_days
    error_message = "noncurrent_version_retention_days must be a whole number of days, at least 1."
  }
}

variable "expiration_days" {
  description = "Days after which current objects expire (e.g. access logs). 0 (the default) never expires them."
  type        = number
  default     = 0

  validation {
    condition     = var.expiration_days >= 0 && floor(var.expiration_days) == var.expiration_days
    error_message = "expiration_days must be a whole number of days, 0 for never."
  }
}

variable "lifecycle_rule_id" {
  description = "ID of the bucket's one lifecycle rule."
  type        = string
  default     = "expire-noncurrent-versions"
}

variable "policy_statements" {
  description = "Further bucket-policy statements, as IAM JSON statement objects (Sid, Effect, Principal, Action, Resource, Condition), placed before the TLS-only statement in the one bucket policy. Plain values rather than aws_iam_policy_document, so `terraform test` with a mocked provider sees the real policy."
  type        = any
  default     = []
}
