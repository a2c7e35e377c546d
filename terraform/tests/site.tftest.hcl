# `terraform test` of the site module with mocked AWS providers: no credentials, no AWS calls (the provider
# plugin is still needed, for its schema). Run it with `bash .ci/terraform.sh` from the repository root,
# or here: terraform init -backend=false && terraform test
#
# Every run is a plan. `override_during = plan` (Terraform >= 1.11) gives computed attributes (ARNs, IDs,
# domain names) their mocked values already at plan time, so the assertions can compare them: the bucket
# policy names the distribution's ARN, the function association the function's ARN, and so on.

mock_provider "aws" {
  override_during = plan

  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }

  mock_data "aws_cloudfront_cache_policy" {
    defaults = {
      id = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    }
  }

  mock_resource "aws_s3_bucket" {
    defaults = {
      id                          = "parlai-123456789012-us-east-1"
      arn                         = "arn:aws:s3:::parlai-123456789012-us-east-1"
      bucket_regional_domain_name = "parlai-123456789012-us-east-1.s3.us-east-1.amazonaws.com"
    }
  }

  mock_resource "aws_cloudfront_origin_access_control" {
    defaults = {
      id = "E1OACEXAMPLE"
    }
  }

  mock_resource "aws_cloudfront_response_headers_policy" {
    defaults = {
      id = "5cc3b908-e619-4b99-88e5-2cf7f45965bd"
    }
  }

  mock_resource "aws_cloudfront_function" {
    defaults = {
      arn = "arn:aws:cloudfront::123456789012:function/parlai-viewer-request"
    }
  }

  mock_resource "aws_cloudfront_distribution" {
    defaults = {
      id             = "E2EXAMPLE"
      arn            = "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE"
      domain_name    = "d111111abcdef8.cloudfront.net"
      hosted_zone_id = "Z2FDTNDATAQYW2"
    }
  }

  mock_resource "aws_route53_record" {
    defaults = {
      fqdn = "_a1.parl.ai"
    }
  }
}

mock_provider "aws" {
  alias           = "us_east_1"
  override_during = plan

  # What ACM returns for a certificate on parl.ai + www.parl.ai (a mock cannot invent it).
  mock_resource "aws_acm_certificate" {
    defaults = {
      arn = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
      domain_validation_options = [
        {
          domain_name           = "parl.ai"
          resource_record_name  = "_a1.parl.ai."
          resource_record_type  = "CNAME"
          resource_record_value = "_b1.acm-validations.aws."
        },
        {
          domain_name           = "www.parl.ai"
          resource_record_name  = "_a2.www.parl.ai."
          resource_record_type  = "CNAME"
          resource_record_value = "_b2.acm-validations.aws."
        },
      ]
    }
  }

  mock_resource "aws_acm_certificate_validation" {
    defaults = {
      certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
    }
  }

  mock_resource "aws_cloudwatch_log_delivery_source" {
    defaults = {
      arn = "arn:aws:logs:us-east-1:123456789012:delivery-source:parlai-site-cloudfront"
    }
  }

  mock_resource "aws_cloudwatch_log_delivery_destination" {
    defaults = {
      arn = "arn:aws:logs:us-east-1:123456789012:delivery-destination:parlai-access-logs"
    }
  }
}

# The preview distribution, its function and the log bucket get their own identities (the defaults above
# would give every instance of a type the same ARN, and hide a mix-up).
override_resource {
  target          = aws_cloudfront_distribution.preview
  override_during = plan
  values = {
    id             = "E3PREVIEW"
    arn            = "arn:aws:cloudfront::123456789012:distribution/E3PREVIEW"
    domain_name    = "d222222preview.cloudfront.net"
    hosted_zone_id = "Z2FDTNDATAQYW2"
  }
}

override_resource {
  target          = aws_cloudfront_response_headers_policy.preview
  override_during = plan
  values = {
    id = "7e6b7b3a-preview-headers"
  }
}

override_resource {
  target          = aws_cloudfront_function.preview_viewer_request
  override_during = plan
  values = {
    arn = "arn:aws:cloudfront::123456789012:function/parlai-preview-viewer-request"
  }
}

override_resource {
  target          = aws_s3_bucket.logs
  override_during = plan
  values = {
    id  = "parlai-123456789012-us-east-1-logs"
    arn = "arn:aws:s3:::parlai-123456789012-us-east-1-logs"
  }
}

override_resource {
  target          = aws_cloudwatch_log_delivery_source.cloudfront["preview"]
  override_during = plan
  values = {
    arn = "arn:aws:logs:us-east-1:123456789012:delivery-source:parlai-preview-cloudfront"
  }
}

variables {
  site_name = "parlai"
}

run "cloudfront_domain_only" {
  command = plan

  # ---- private bucket ----
  assert {
    condition     = aws_s3_bucket.site.bucket == "parlai-123456789012-us-east-1"
    error_message = "The bucket name is derived from site, account and region."
  }

  assert {
    condition = module.content_bucket.public_access_block == {
      block_public_acls       = true
      block_public_policy     = true
      ignore_public_acls      = true
      restrict_public_buckets = true
    }
    error_message = "The content bucket blocks public access with all four flags."
  }

  assert {
    condition     = module.content_bucket.object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs are disabled on the content bucket (BucketOwnerEnforced)."
  }

  assert {
    condition     = module.content_bucket.sse_algorithm == "AES256" && module.content_bucket.versioning_status == "Enabled"
    error_message = "The content bucket is encrypted (SSE-S3) and versioned."
  }

  # ---- bucket policy ----
  assert {
    condition = one([
      for statement in jsondecode(module.content_bucket.policy_json).Statement : statement
      if statement.Sid == "AllowCloudFrontReadObjects"
      ]) == {
      Sid       = "AllowCloudFrontReadObjects"
      Effect    = "Allow"
      Principal = { Service = "cloudfront.amazonaws.com" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::parlai-123456789012-us-east-1/*"
      Condition = { StringEquals = { "aws:SourceArn" = "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE" } }
    }
    error_message = "CloudFront may read objects only on behalf of this distribution (aws:SourceArn)."
  }

  assert {
    condition = alltrue([
      for statement in jsondecode(module.content_bucket.policy_json).Statement :
      statement.Principal == { Service = "cloudfront.amazonaws.com" } &&
      statement.Condition.StringEquals["aws:SourceArn"] == aws_cloudfront_distribution.site.arn
      if statement.Effect == "Allow"
    ])
    error_message = "Every Allow of the bucket policy is for CloudFront, scoped to the distribution by aws:SourceArn."
  }

  assert {
    condition = one([
      for statement in jsondecode(module.content_bucket.policy_json).Statement : statement
      if statement.Sid == "DenyInsecureTransport"
      ]) == {
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::parlai-123456789012-us-east-1", "arn:aws:s3:::parlai-123456789012-us-east-1/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }
    error_message = "The bucket policy denies every request made without TLS."
  }

  assert {
    condition = toset(one([
      for statement in jsondecode(module.content_bucket.policy_json).Statement : statement.Resource
      if statement.Sid == "DenyCloudFrontDeployManifest"
      ])) == toset([
      "arn:aws:s3:::parlai-123456789012-us-east-1/.parlai-site-deploy.json.gz",
      "arn:aws:s3:::parlai-123456789012-us-east-1/*/.parlai-site-deploy.json.gz",
    ])
    error_message = "CloudFront is denied the deploy manifest at any depth."
  }

  # ---- origin access control, distribution, function ----
  assert {
    condition = (
      aws_cloudfront_origin_access_control.site.origin_access_control_origin_type == "s3" &&
      aws_cloudfront_origin_access_control.site.signing_behavior == "always" &&
      aws_cloudfront_origin_access_control.site.signing_protocol == "sigv4"
    )
    error_message = "The origin access control signs every origin request with SigV4."
  }

  assert {
    condition = (
      one(aws_cloudfront_distribution.site.origin).origin_access_control_id == "E1OACEXAMPLE" &&
      one(aws_cloudfront_distribution.site.origin).domain_name == "parlai-123456789012-us-east-1.s3.us-east-1.amazonaws.com" &&
      length(one(aws_cloudfront_distribution.site.origin).s3_origin_config) == 0
    )
    error_message = "The distribution reads the bucket's REST endpoint through the origin access control (no legacy OAI)."
  }

  assert {
    condition = [
      for association in aws_cloudfront_distribution.site.default_cache_behavior[0].function_association :
      [association.event_type, association.function_arn]
    ] == [["viewer-request", "arn:aws:cloudfront::123456789012:function/parlai-viewer-request"]]
    error_message = "The viewer-request function is associated with the default behavior."
  }

  assert {
    condition = (
      aws_cloudfront_distribution.site.default_cache_behavior[0].viewer_protocol_policy == "redirect-to-https" &&
      aws_cloudfront_distribution.site.default_cache_behavior[0].response_headers_policy_id == "5cc3b908-e619-4b99-88e5-2cf7f45965bd" &&
      aws_cloudfront_distribution.site.default_root_object == "index.html"
    )
    error_message = "HTTPS only, the security headers policy, index.html at the root."
  }

  assert {
    condition     = aws_cloudfront_function.viewer_request.code == file("functions/viewer-request.js") && aws_cloudfront_function.viewer_request.runtime == "cloudfront-js-2.0"
    error_message = "Without a preview distribution the function is functions/viewer-request.js as committed (site and previews)."
  }

  assert {
    condition     = aws_cloudfront_distribution.site.viewer_certificate[0].cloudfront_default_certificate == true && length(aws_cloudfront_distribution.site.aliases) == 0
    error_message = "The default CloudFront certificate and no aliases without a domain."
  }

  assert {
    condition = (
      length(aws_acm_certificate.site) == 0 && length(aws_route53_record.alias_a) == 0 &&
      length(aws_cloudfront_distribution.preview) == 0 && length(aws_s3_bucket.logs) == 0
    )
    error_message = "No certificate, DNS records, preview distribution or log bucket unless asked for."
  }

  # ---- outputs the infra action and the deploy action consume ----
  assert {
    condition = (
      output.bucket_name == "parlai-123456789012-us-east-1" &&
      output.bucket_arn == "arn:aws:s3:::parlai-123456789012-us-east-1" &&
      output.distribution_id == "E2EXAMPLE" &&
      output.distribution_arn == "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE" &&
      output.distribution_domain_name == "d111111abcdef8.cloudfront.net" &&
      output.site_url == "https://d111111abcdef8.cloudfront.net"
    )
    error_message = "bucket_name, distribution_id, distribution_domain_name and site_url (the CloudFront domain)."
  }

  assert {
    condition = (
      output.certificate_arn == null && output.preview_distribution_id == null &&
      output.preview_url == null && output.log_bucket_name == null
    )
    error_message = "Outputs of features that are off are null."
  }
}

run "custom_domain" {
  command = plan

  variables {
    domain_name    = "parl.ai"
    hosted_zone_id = "Z0123456789ABCDEFGHIJ"
  }

  assert {
    condition = (
      length(aws_acm_certificate.site) == 1 &&
      aws_acm_certificate.site[0].domain_name == "parl.ai" &&
      toset(aws_acm_certificate.site[0].subject_alternative_names) == toset(["www.parl.ai"]) &&
      aws_acm_certificate.site[0].validation_method == "DNS"
    )
    error_message = "One DNS-validated certificate for the apex and www."
  }

  assert {
    condition = (
      aws_route53_record.certificate_validation["www.parl.ai"].name == "_a2.www.parl.ai." &&
      aws_route53_record.certificate_validation["parl.ai"].records == toset(["_b1.acm-validations.aws."]) &&
      aws_route53_record.certificate_validation["parl.ai"].zone_id == "Z0123456789ABCDEFGHIJ"
    )
    error_message = "One validation record per certificate name, from ACM's validation options, in the hosted zone."
  }

  assert {
    condition     = toset(aws_cloudfront_distribution.site.aliases) == toset(["parl.ai", "www.parl.ai"])
    error_message = "The distribution answers apex and www. (the function redirects www. to the apex)."
  }

  assert {
    condition = (
      aws_cloudfront_distribution.site.viewer_certificate[0].cloudfront_default_certificate == false &&
      aws_cloudfront_distribution.site.viewer_certificate[0].ssl_support_method == "sni-only" &&
      aws_cloudfront_distribution.site.viewer_certificate[0].minimum_protocol_version == "TLSv1.2_2021" &&
      aws_cloudfront_distribution.site.viewer_certificate[0].acm_certificate_arn == "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
    )
    error_message = "The validated ACM certificate, SNI only, TLS 1.2 2021."
  }

  assert {
    condition = (
      toset(keys(aws_route53_record.alias_a)) == toset(["parl.ai", "www.parl.ai"]) &&
      toset(keys(aws_route53_record.alias_aaaa)) == toset(["parl.ai", "www.parl.ai"]) &&
      aws_route53_record.alias_a["www.parl.ai"].alias[0].name == "d111111abcdef8.cloudfront.net" &&
      aws_route53_record.alias_aaaa["parl.ai"].alias[0].zone_id == "Z2FDTNDATAQYW2"
    )
    error_message = "A and AAAA aliases to the distribution for apex and www."
  }

  assert {
    condition     = strcontains(aws_cloudfront_function.viewer_request.code, "host.indexOf('www.') === 0")
    error_message = "The function still carries the www. to apex redirect."
  }

  assert {
    condition     = output.site_url == "https://parl.ai" && output.certificate_arn == "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
    error_message = "site_url is the custom domain; certificate_arn is the certificate."
  }
}

run "preview_distribution" {
  command = plan

  variables {
    preview_distribution = true
  }

  assert {
    condition = (
      length(aws_cloudfront_distribution.preview) == 1 &&
      one(aws_cloudfront_distribution.preview[0].origin).origin_access_control_id == "E1OACEXAMPLE" &&
      one(aws_cloudfront_distribution.preview[0].origin).domain_name == "parlai-123456789012-us-east-1.s3.us-east-1.amazonaws.com" &&
      length(aws_cloudfront_distribution.preview[0].aliases) == 0 &&
      aws_cloudfront_distribution.preview[0].viewer_certificate[0].cloudfront_default_certificate == true
    )
    error_message = "A second distribution on the same bucket and origin access control, on its own cloudfront.net domain."
  }

  assert {
    condition = [
      for association in aws_cloudfront_distribution.preview[0].default_cache_behavior[0].function_association :
      [association.event_type, association.function_arn]
    ] == [["viewer-request", "arn:aws:cloudfront::123456789012:function/parlai-preview-viewer-request"]]
    error_message = "The preview distribution runs its own viewer-request function."
  }

  assert {
    condition = (
      aws_cloudfront_distribution.preview[0].default_cache_behavior[0].response_headers_policy_id == "7e6b7b3a-preview-headers" &&
      [for item in aws_cloudfront_response_headers_policy.preview[0].custom_headers_config[0].items : [item.header, item.value]] == [["X-Robots-Tag", "noindex, nofollow"]] &&
      aws_cloudfront_response_headers_policy.preview[0].security_headers_config[0].strict_transport_security[0].override == true
    )
    error_message = "Previews get the security headers plus X-Robots-Tag: noindex."
  }

  assert {
    condition = (
      strcontains(aws_cloudfront_function.preview_viewer_request[0].code, "var DISTRIBUTION_ROLE = 'previews';") &&
      strcontains(aws_cloudfront_function.viewer_request.code, "var DISTRIBUTION_ROLE = 'site';") &&
      !strcontains(aws_cloudfront_function.viewer_request.code, "var DISTRIBUTION_ROLE = 'site-and-previews';")
    )
    error_message = "The preview function serves previews only; the production function no longer serves them."
  }

  assert {
    condition = one([
      for statement in jsondecode(module.content_bucket.policy_json).Statement : statement
      if statement.Sid == "AllowPreviewCloudFrontReadPreviews"
      ]) == {
      Sid       = "AllowPreviewCloudFrontReadPreviews"
      Effect    = "Allow"
      Principal = { Service = "cloudfront.amazonaws.com" }
      Action    = "s3:GetObject"
      Resource  = ["arn:aws:s3:::parlai-123456789012-us-east-1/pr-*", "arn:aws:s3:::parlai-123456789012-us-east-1/404.html"]
      Condition = { StringEquals = { "aws:SourceArn" = "arn:aws:cloudfront::123456789012:distribution/E3PREVIEW" } }
    }
    error_message = "The preview distribution may read pr-* keys and the 404 page, nothing else."
  }

  assert {
    condition = one([
      for statement in jsondecode(module.content_bucket.policy_json).Statement : statement
      if statement.Sid == "DenyProductionCloudFrontPreviews"
      ]) == {
      Sid       = "DenyProductionCloudFrontPreviews"
      Effect    = "Deny"
      Principal = { Service = "cloudfront.amazonaws.com" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::parlai-123456789012-us-east-1/pr-*"
      Condition = { StringEquals = { "aws:SourceArn" = "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE" } }
    }
    error_message = "The production distribution is denied preview keys."
  }

  assert {
    condition = alltrue([
      for statement in jsondecode(module.content_bucket.policy_json).Statement :
      contains([aws_cloudfront_distribution.site.arn, aws_cloudfront_distribution.preview[0].arn], statement.Condition.StringEquals["aws:SourceArn"])
      if statement.Effect == "Allow"
    ])
    error_message = "Every Allow is still scoped to one of this module's distributions."
  }

  assert {
    condition = (
      output.preview_distribution_id == "E3PREVIEW" &&
      output.preview_distribution_arn == "arn:aws:cloudfront::123456789012:distribution/E3PREVIEW" &&
      output.preview_url == "https://d222222preview.cloudfront.net" &&
      output.distribution_id == "E2EXAMPLE"
    )
    error_message = "preview_distribution_id and preview_url name the preview distribution; distribution_id stays production."
  }
}

run "preview_custom_domain" {
  command = plan

  variables {
    domain_name            = "parl.ai"
    hosted_zone_id         = "Z0123456789ABCDEFGHIJ"
    preview_distribution   = true
    preview_domain_name    = "parlai-previews.net"
    preview_hosted_zone_id = "Z9PREVIEWZONE"
  }

  override_resource {
    target          = aws_acm_certificate.preview
    override_during = plan
    values = {
      arn = "arn:aws:acm:us-east-1:123456789012:certificate/99999999-2222-3333-4444-555555555555"
      domain_validation_options = [
        { domain_name = "parlai-previews.net", resource_record_name = "_p1.parlai-previews.net.", resource_record_type = "CNAME", resource_record_value = "_q1.acm-validations.aws." },
      ]
    }
  }

  assert {
    condition = (
      aws_acm_certificate.preview[0].domain_name == "parlai-previews.net" &&
      aws_route53_record.preview_certificate_validation["parlai-previews.net"].zone_id == "Z9PREVIEWZONE" &&
      aws_route53_record.preview_certificate_validation["parlai-previews.net"].name == "_p1.parlai-previews.net."
    )
    error_message = "The preview domain gets its own certificate, validated in its own zone."
  }

  assert {
    condition = (
      toset(aws_cloudfront_distribution.preview[0].aliases) == toset(["parlai-previews.net"]) &&
      aws_cloudfront_distribution.preview[0].viewer_certificate[0].ssl_support_method == "sni-only" &&
      toset(keys(aws_route53_record.preview_alias)) == toset(["parlai-previews.net A", "parlai-previews.net AAAA"]) &&
      aws_route53_record.preview_alias["parlai-previews.net A"].alias[0].name == "d222222preview.cloudfront.net"
    )
    error_message = "The preview distribution answers the preview domain, with A/AAAA aliases to it."
  }

  assert {
    condition     = toset(aws_cloudfront_distribution.site.aliases) == toset(["parl.ai", "www.parl.ai"])
    error_message = "The production distribution keeps the production names only."
  }

  assert {
    condition     = output.preview_url == "https://parlai-previews.net" && output.site_url == "https://parl.ai"
    error_message = "preview_url is the preview domain."
  }
}

run "access_logs" {
  command = plan

  variables {
    access_logs          = true
    preview_distribution = true
  }

  assert {
    condition = (
      aws_s3_bucket.logs[0].bucket == "parlai-123456789012-us-east-1-logs" &&
      module.log_bucket[0].public_access_block == {
        block_public_acls       = true
        block_public_policy     = true
        ignore_public_acls      = true
        restrict_public_buckets = true
      } &&
      module.log_bucket[0].object_ownership == "BucketOwnerEnforced" &&
      module.log_bucket[0].versioning_status == "Disabled"
    )
    error_message = "The log bucket is private and ACL-free like the others (and not versioned)."
  }

  assert {
    condition = (
      aws_s3_bucket_logging.site[0].bucket == "parlai-123456789012-us-east-1" &&
      aws_s3_bucket_logging.site[0].target_bucket == "parlai-123456789012-us-east-1-logs" &&
      aws_s3_bucket_logging.site[0].target_prefix == "s3/"
    )
    error_message = "S3 server access logs of the content bucket go to s3/ in the log bucket."
  }

  assert {
    condition = (
      aws_cloudwatch_log_delivery_source.cloudfront["site"].resource_arn == "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE" &&
      aws_cloudwatch_log_delivery_source.cloudfront["preview"].resource_arn == "arn:aws:cloudfront::123456789012:distribution/E3PREVIEW" &&
      aws_cloudwatch_log_delivery_source.cloudfront["site"].log_type == "ACCESS_LOGS" &&
      one(aws_cloudwatch_log_delivery_destination.logs[0].delivery_destination_configuration).destination_resource_arn == "arn:aws:s3:::parlai-123456789012-us-east-1-logs" &&
      length(aws_cloudwatch_log_delivery.cloudfront) == 2
    )
    error_message = "CloudFront standard logs v2 of both distributions are delivered to the log bucket."
  }

  assert {
    condition = one([
      for statement in jsondecode(module.log_bucket[0].policy_json).Statement : statement
      if statement.Sid == "AllowS3ServerAccessLogs"
      ]) == {
      Sid       = "AllowS3ServerAccessLogs"
      Effect    = "Allow"
      Principal = { Service = "logging.s3.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "arn:aws:s3:::parlai-123456789012-us-east-1-logs/s3/*"
      Condition = {
        ArnLike      = { "aws:SourceArn" = "arn:aws:s3:::parlai-123456789012-us-east-1" }
        StringEquals = { "aws:SourceAccount" = "123456789012" }
      }
    }
    error_message = "Only S3 logging for the content bucket may write under s3/."
  }

  assert {
    condition = toset(one([
      for statement in jsondecode(module.log_bucket[0].policy_json).Statement : statement.Condition.ArnLike["aws:SourceArn"]
      if statement.Sid == "AllowCloudFrontLogDelivery"
      ])) == toset([
      "arn:aws:logs:us-east-1:123456789012:delivery-source:parlai-site-cloudfront",
      "arn:aws:logs:us-east-1:123456789012:delivery-source:parlai-preview-cloudfront",
    ])
    error_message = "CloudFront log delivery may write only for this module's delivery sources."
  }

  assert {
    condition     = output.log_bucket_name == "parlai-123456789012-us-east-1-logs"
    error_message = "log_bucket_name names the log bucket."
  }
}

# The rollback window (issue #20): the deploy action's rollback-to restores earlier deploys from noncurrent
# versions, so the content bucket's noncurrent-version expiry is the window, and the module says what it is.
run "rollback_window_default" {
  command = plan

  assert {
    condition     = module.content_bucket.versioning_status == "Enabled"
    error_message = "The content bucket is versioned: rollback copies recorded versions."
  }

  assert {
    condition     = module.content_bucket.noncurrent_version_expiration_days == 30 && output.rollback_window_days == 30
    error_message = "By default noncurrent versions are kept 30 days, and rollback_window_days says so."
  }
}

run "rollback_window_follows_the_retention" {
  command = plan

  variables {
    noncurrent_version_retention_days = 14
  }

  assert {
    condition     = module.content_bucket.noncurrent_version_expiration_days == var.noncurrent_version_retention_days
    error_message = "The lifecycle rule expires noncurrent versions after noncurrent_version_retention_days."
  }

  assert {
    condition     = output.rollback_window_days == 14 && output.rollback_window_days == module.content_bucket.noncurrent_version_expiration_days
    error_message = "rollback_window_days is the lifecycle rule's noncurrent expiry, as applied."
  }
}

run "rejects_fractional_retention" {
  command = plan

  variables {
    noncurrent_version_retention_days = 1.5
  }

  expect_failures = [var.noncurrent_version_retention_days]
}

run "rejects_bad_site_name" {
  command = plan

  variables {
    site_name = "ParlAI_Site"
  }

  expect_failures = [var.site_name]
}

run "rejects_www_domain" {
  command = plan

  variables {
    domain_name    = "www.parl.ai"
    hosted_zone_id = "Z0123456789ABCDEFGHIJ"
  }

  expect_failures = [var.domain_name]
}

run "rejects_url_as_domain" {
  command = plan

  variables {
    domain_name    = "https://parl.ai/"
    hosted_zone_id = "Z0123456789ABCDEFGHIJ"
  }

  expect_failures = [var.domain_name]
}

run "requires_zone_with_domain" {
  command = plan

  variables {
    domain_name = "parl.ai"
  }

  expect_failures = [var.hosted_zone_id]
}

run "rejects_bad_region" {
  command = plan

  variables {
    aws_region = "US East"
  }

  expect_failures = [var.aws_region]
}

run "rejects_bad_price_class" {
  command = plan

  variables {
    price_class = "PriceClass_300"
  }

  expect_failures = [var.price_class]
}

run "rejects_zero_retention" {
  command = plan

  variables {
    noncurrent_version_retention_days = 0
  }

  expect_failures = [var.noncurrent_version_retention_days]
}

run "preview_domain_needs_preview_distribution" {
  command = plan

  variables {
    preview_domain_name = "preview.parl.ai"
    hosted_zone_id      = "Z0123456789ABCDEFGHIJ"
  }

  expect_failures = [var.preview_domain_name]
}

run "preview_domain_must_not_be_the_site" {
  command = plan

  variables {
    domain_name          = "parl.ai"
    hosted_zone_id       = "Z0123456789ABCDEFGHIJ"
    preview_distribution = true
    preview_domain_name  = "www.parl.ai"
  }

  expect_failures = [var.preview_domain_name]
}
