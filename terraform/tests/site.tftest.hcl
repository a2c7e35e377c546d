# Offline tests of the module's logic with mocked AWS providers (no credentials, no AWS calls):
#   cd terraform && terraform init -backend=false && terraform test
# They need the AWS provider plugin (for its schema) but never call AWS.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_data "aws_cloudfront_cache_policy" {
    defaults = {
      id = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    }
  }

  mock_resource "aws_s3_bucket" {
    defaults = {
      arn                         = "arn:aws:s3:::parlai-123456789012-us-east-1"
      bucket_regional_domain_name = "parlai-123456789012-us-east-1.s3.us-east-1.amazonaws.com"
    }
  }

  mock_resource "aws_cloudfront_function" {
    defaults = {
      arn = "arn:aws:cloudfront::123456789012:function/parlai-viewer-request"
    }
  }

  mock_resource "aws_cloudfront_distribution" {
    defaults = {
      arn            = "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE"
      domain_name    = "d111111abcdef8.cloudfront.net"
      hosted_zone_id = "Z2FDTNDATAQYW2"
    }
  }
}

mock_provider "aws" {
  alias = "us_east_1"

  mock_resource "aws_acm_certificate" {
    defaults = {
      arn = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
    }
  }

  mock_resource "aws_acm_certificate_validation" {
    defaults = {
      certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
    }
  }
}

variables {
  site_name = "parlai"
}

run "cloudfront_domain_only" {
  command = apply

  assert {
    condition     = aws_s3_bucket.site.bucket == "parlai-123456789012-us-east-1"
    error_message = "The bucket name is derived from site, account and region."
  }

  assert {
    condition     = length(aws_acm_certificate.site) == 0 && length(aws_acm_certificate_validation.site) == 0
    error_message = "No certificate without a domain."
  }

  assert {
    condition     = length(aws_route53_record.alias_a) == 0 && length(aws_route53_record.alias_aaaa) == 0
    error_message = "No DNS records without a domain."
  }

  assert {
    condition     = aws_cloudfront_distribution.site.viewer_certificate[0].cloudfront_default_certificate == true
    error_message = "The default CloudFront certificate is used without a domain."
  }

  assert {
    condition     = length(aws_cloudfront_distribution.site.aliases) == 0
    error_message = "No aliases without a domain."
  }

  assert {
    condition     = output.site_url == "https://d111111abcdef8.cloudfront.net"
    error_message = "site_url is the CloudFront domain without a custom domain."
  }

  assert {
    condition     = strcontains(aws_cloudfront_function.viewer_request.code, "function handler(event)")
    error_message = "The function code is loaded from functions/viewer-request.js."
  }

  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.site.rule[0].noncurrent_version_expiration[0].noncurrent_days == 30
    error_message = "Noncurrent versions expire after 30 days by default."
  }
}

run "custom_domain" {
  command = apply

  # What ACM returns for a certificate on parl.ai + www.parl.ai (a mock cannot invent it).
  override_resource {
    target = aws_acm_certificate.site
    values = {
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

  variables {
    domain_name    = "parl.ai"
    hosted_zone_id = "Z0123456789ABCDEFGHIJ"
  }

  assert {
    condition     = length(aws_acm_certificate.site) == 1
    error_message = "One certificate with a domain."
  }

  assert {
    condition     = toset(aws_acm_certificate.site[0].subject_alternative_names) == toset(["www.parl.ai"])
    error_message = "The certificate covers www. too."
  }

  assert {
    condition     = toset(aws_cloudfront_distribution.site.aliases) == toset(["parl.ai", "www.parl.ai"])
    error_message = "The distribution answers apex and www."
  }

  assert {
    condition     = toset(keys(aws_route53_record.alias_a)) == toset(["parl.ai", "www.parl.ai"]) && toset(keys(aws_route53_record.alias_aaaa)) == toset(["parl.ai", "www.parl.ai"])
    error_message = "A and AAAA aliases for apex and www."
  }

  assert {
    condition = (
      aws_cloudfront_distribution.site.viewer_certificate[0].cloudfront_default_certificate == false &&
      aws_cloudfront_distribution.site.viewer_certificate[0].ssl_support_method == "sni-only" &&
      aws_cloudfront_distribution.site.viewer_certificate[0].minimum_protocol_version == "TLSv1.2_2021" &&
      aws_cloudfront_distribution.site.viewer_certificate[0].acm_certificate_arn == aws_acm_certificate_validation.site[0].certificate_arn
    )
    error_message = "The validated ACM certificate, SNI only, TLS 1.2 2021."
  }

  assert {
    condition     = aws_route53_record.certificate_validation["www.parl.ai"].name == "_a2.www.parl.ai." && aws_route53_record.certificate_validation["parl.ai"].records == toset(["_b1.acm-validations.aws."])
    error_message = "One validation record per certificate name, from ACM's validation options."
  }

  assert {
    condition     = output.site_url == "https://parl.ai"
    error_message = "site_url is the custom domain."
  }
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
