variable "site_name" {
  description = "Short name of the site (e.g. \"parlai\"). Names the bucket, the CloudFront function, the origin access control and the headers policy, so it must be unique per AWS account: 1-32 characters, lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", var.site_name))
    error_message = "site_name must be 1-32 lowercase letters, digits or hyphens, and start and end with a letter or digit (it becomes part of DNS-safe resource names)."
  }
}

variable "domain_name" {
  description = "Apex domain to serve the site on (e.g. \"parl.ai\"); www.<domain_name> is served too and redirected to the apex. Empty (the default) serves the site on the CloudFront domain only, with CloudFront's default certificate."
  type        = string
  default     = ""

  validation {
    condition = var.domain_name == "" || (
      length(var.domain_name) <= 253 &&
      can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", var.domain_name))
    )
    error_message = "domain_name must be empty or a lowercase DNS name such as \"example.org\" (no scheme, no trailing dot, no path)."
  }

  validation {
    condition     = !startswith(var.domain_name, "www.")
    error_message = "domain_name is the apex (e.g. \"example.org\"): www.<domain_name> is added automatically."
  }
}

variable "hosted_zone_id" {
  description = "ID of the public Route 53 hosted zone of domain_name (e.g. \"Z0123456789ABCDEFGHIJ\"). It receives the ACM validation records and the A/AAAA alias records. Required when domain_name is set; ignored otherwise."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^(Z[A-Z0-9]{1,31})?$", var.hosted_zone_id))
    error_message = "hosted_zone_id must be empty or a Route 53 zone ID such as \"Z0123456789ABCDEFGHIJ\"."
  }

  # Cross-variable validation needs Terraform >= 1.9 (this module requires >= 1.10).
  validation {
    condition     = var.domain_name == "" || var.hosted_zone_id != ""
    error_message = "hosted_zone_id is required when domain_name is set."
  }
}

variable "aws_region" {
  description = "Region of the content bucket (CloudFront itself is global; the certificate is always made in us-east-1)."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$", var.aws_region))
    error_message = "aws_region must be an AWS region code such as \"us-east-1\" or \"eu-west-3\"."
  }
}

variable "price_class" {
  description = "CloudFront price class: PriceClass_100 (North America and Europe edges, cheapest), PriceClass_200 or PriceClass_All."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)
    error_message = "price_class must be one of PriceClass_100, PriceClass_200, PriceClass_All."
  }
}

variable "noncurrent_version_retention_days" {
  description = "Days an overwritten or deleted object version is kept in the versioned bucket before it expires: the rollback window (output rollback_window_days). The deploy action's rollback-to restores a prefix to an earlier deploy by server-side copies of the object versions that deploy recorded, so it can go back to any deploy whose replaced versions became noncurrent less than this many days ago. At least 1."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_retention_days >= 1 && floor(var.noncurrent_version_retention_days) == var.noncurrent_version_retention_days
    error_message = "noncurrent_version_retention_days must be a whole number of days, at least 1."
  }
}

variable "bucket_name" {
  description = "Name of the content bucket. Empty (the default) derives a globally unique one: <site_name>-<account id>-<region> (at most 60 characters)."
  type        = string
  default     = ""

  validation {
    condition = var.bucket_name == "" || (
      can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name)) &&
      !strcontains(var.bucket_name, "..") &&
      !can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$", var.bucket_name))
    )
    error_message = "bucket_name must be empty or a valid S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit."
  }
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete the content bucket even when it still holds objects (every version is lost). Keep false for a production site."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Extra tags for every resource (merged into the providers' default_tags)."
  type        = map(string)
  default     = {}
}

variable "preview_distribution" {
  description = "Create a second CloudFront distribution for pull-request previews: same bucket and origin access control, but it serves only /pr-<number>/ paths (and may read only pr-* keys), so a preview's scripts never run on the production domain. The production distribution then answers /pr-<number>/ with 404 and may not read pr-* keys: with this on, keys starting with pr- are reserved for previews."
  type        = bool
  default     = false
}

variable "preview_domain_name" {
  description = "Domain the preview distribution answers on (e.g. \"preview.parl.ai\", or better a separate registrable domain, which shares no cookies with the site). Empty (the default) uses the preview distribution's own *.cloudfront.net domain. Needs preview_distribution = true; its ACM certificate is validated in preview_hosted_zone_id (default: hosted_zone_id)."
  type        = string
  default     = ""

  validation {
    condition = var.preview_domain_name == "" || (
      length(var.preview_domain_name) <= 253 &&
      can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", var.preview_domain_name))
    )
    error_message = "preview_domain_name must be empty or a lowercase DNS name such as \"preview.example.org\" (no scheme, no trailing dot, no path)."
  }

  validation {
    condition     = var.preview_domain_name == "" || var.preview_distribution
    error_message = "preview_domain_name needs preview_distribution = true."
  }

  validation {
    condition     = var.preview_domain_name == "" || (var.preview_domain_name != var.domain_name && var.preview_domain_name != "www.${var.domain_name}")
    error_message = "preview_domain_name must differ from domain_name and www.<domain_name>: previews must not run on the production origin."
  }

  validation {
    condition     = var.preview_domain_name == "" || var.preview_hosted_zone_id != "" || var.hosted_zone_id != ""
    error_message = "preview_domain_name needs a Route 53 zone: preview_hosted_zone_id, or hosted_zone_id when the preview domain is in the site's zone."
  }
}

variable "preview_hosted_zone_id" {
  description = "Route 53 public zone of preview_domain_name when it is not in hosted_zone_id (e.g. a separate preview domain). Empty: hosted_zone_id."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^(Z[A-Z0-9]{1,31})?$", var.preview_hosted_zone_id))
    error_message = "preview_hosted_zone_id must be empty or a Route 53 zone ID such as \"Z0123456789ABCDEFGHIJ\"."
  }
}

variable "access_logs" {
  description = "Keep access logs in a separate private log bucket: S3 server access logs of the content bucket (under s3/) and CloudFront standard logs v2 of every distribution of this module (under AWSLogs/<account>/CloudFront/, delivered through CloudWatch Logs vended-log delivery, so the log bucket needs no ACLs). Off by default: logs cost storage and delivery fees."
  type        = bool
  default     = false
}

variable "access_log_retention_days" {
  description = "Days access logs are kept in the log bucket before they expire (with access_logs = true)."
  type        = number
  default     = 90

  validation {
    condition     = var.access_log_retention_days >= 1 && floor(var.access_log_retention_days) == var.access_log_retention_days
    error_message = "access_log_retention_days must be a whole number of days, at least 1."
  }
}

variable "redirects" {
  description = "Serve the site's redirects from the edge: a CloudFront KeyValueStore associated with the viewer-request function, which the deploy action fills from the site's `_redirects` (input redirect-store-arn = output key_value_store_arn; docs/redirects.md). With preview_distribution, previews get a store of their own. Each request then costs the function a few store reads (one for the path, one per directory up to the root). false: no store, and the function makes no reads."
  type        = bool
  default     = true
}
