# `terraform test` of the redirects store (var.redirects): the CloudFront KeyValueStore the viewer-request
# function reads the site's redirects from, its association with the function, the previews' own store, and
# the function without a store. Mocked providers, plans only (see site.tftest.hcl).

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

  mock_resource "aws_cloudfront_key_value_store" {
    defaults = {
      id  = "0b8a1f3e-4c2d-4e6f-9a7b-1c2d3e4f5a6b"
      arn = "arn:aws:cloudfront::123456789012:key-value-store/0b8a1f3e-4c2d-4e6f-9a7b-1c2d3e4f5a6b"
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

override_resource {
  target          = aws_cloudfront_key_value_store.preview_redirects
  override_during = plan
  values = {
    id  = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
    arn = "arn:aws:cloudfront::123456789012:key-value-store/9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
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
  target          = aws_cloudfront_distribution.preview
  override_during = plan
  values = {
    id             = "E3PREVIEW"
    arn            = "arn:aws:cloudfront::123456789012:distribution/E3PREVIEW"
    domain_name    = "d222222preview.cloudfront.net"
    hosted_zone_id = "Z2FDTNDATAQYW2"
  }
}

variables {
  site_name = "parlai"
}

run "redirects_store_by_default" {
  command = plan

  assert {
    condition = (
      length(aws_cloudfront_key_value_store.redirects) == 1 &&
      aws_cloudfront_key_value_store.redirects[0].name == "parlai-redirects" &&
      length(aws_cloudfront_key_value_store.preview_redirects) == 0
    )
    error_message = "redirects defaults to true: one store, named for the site; no preview store without a preview distribution."
  }

  assert {
    condition = (
      aws_cloudfront_function.viewer_request.key_value_store_associations ==
      toset(["arn:aws:cloudfront::123456789012:key-value-store/0b8a1f3e-4c2d-4e6f-9a7b-1c2d3e4f5a6b"])
    )
    error_message = "The viewer-request function is associated with the store."
  }

  assert {
    condition = (
      startswith(aws_cloudfront_function.viewer_request.code, "import cf from 'cloudfront';\nvar kvs = cf.kvs();\n") &&
      strcontains(aws_cloudfront_function.viewer_request.code, "async function handler(event) {") &&
      strcontains(aws_cloudfront_function.viewer_request.code, "var DISTRIBUTION_ROLE = 'site-and-previews';") &&
      aws_cloudfront_function.viewer_request.runtime == "cloudfront-js-2.0"
    )
    error_message = "The function opens its store (cloudfront-js-2.0) and serves site and previews."
  }

  assert {
    condition = (
      output.key_value_store_arn == "arn:aws:cloudfront::123456789012:key-value-store/0b8a1f3e-4c2d-4e6f-9a7b-1c2d3e4f5a6b" &&
      output.key_value_store_id == "0b8a1f3e-4c2d-4e6f-9a7b-1c2d3e4f5a6b" &&
      output.preview_key_value_store_arn == null &&
      output.preview_key_value_store_id == null
    )
    error_message = "key_value_store_arn and key_value_store_id name the store; no preview store."
  }
}

run "preview_distribution_has_its_own_store" {
  command = plan

  variables {
    preview_distribution = true
  }

  assert {
    condition = (
      length(aws_cloudfront_key_value_store.preview_redirects) == 1 &&
      aws_cloudfront_key_value_store.preview_redirects[0].name == "parlai-preview-redirects" &&
      aws_cloudfront_key_value_store.redirects[0].name == "parlai-redirects"
    )
    error_message = "Previews on their own distribution get a store of their own."
  }

  assert {
    condition = (
      aws_cloudfront_function.preview_viewer_request[0].key_value_store_associations ==
      toset(["arn:aws:cloudfront::123456789012:key-value-store/9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"]) &&
      aws_cloudfront_function.viewer_request.key_value_store_associations ==
      toset(["arn:aws:cloudfront::123456789012:key-value-store/0b8a1f3e-4c2d-4e6f-9a7b-1c2d3e4f5a6b"])
    )
    error_message = "The preview function reads the preview store, the production function the production store."
  }

  assert {
    condition = (
      startswith(aws_cloudfront_function.preview_viewer_request[0].code, "import cf from 'cloudfront';\nvar kvs = cf.kvs();\n") &&
      strcontains(aws_cloudfront_function.preview_viewer_request[0].code, "var DISTRIBUTION_ROLE = 'previews';") &&
      strcontains(aws_cloudfront_function.viewer_request.code, "var DISTRIBUTION_ROLE = 'site';")
    )
    error_message = "Both functions open their store, each in its own role."
  }

  assert {
    condition = (
      output.preview_key_value_store_arn == "arn:aws:cloudfront::123456789012:key-value-store/9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a" &&
      output.preview_key_value_store_id == "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a" &&
      output.key_value_store_arn == "arn:aws:cloudfront::123456789012:key-value-store/0b8a1f3e-4c2d-4e6f-9a7b-1c2d3e4f5a6b"
    )
    error_message = "preview_key_value_store_arn names the preview store; key_value_store_arn stays production's."
  }
}

run "redirects_off" {
  command = plan

  variables {
    redirects            = false
    preview_distribution = true
  }

  assert {
    condition = (
      length(aws_cloudfront_key_value_store.redirects) == 0 &&
      length(aws_cloudfront_key_value_store.preview_redirects) == 0 &&
      length(coalesce(aws_cloudfront_function.viewer_request.key_value_store_associations, toset([]))) == 0 &&
      length(coalesce(aws_cloudfront_function.preview_viewer_request[0].key_value_store_associations, toset([]))) == 0
    )
    error_message = "redirects = false: no store, no association."
  }

  assert {
    condition = alltrue([
      for code in [aws_cloudfront_function.viewer_request.code, aws_cloudfront_function.preview_viewer_request[0].code] :
      startswith(code, "var kvs = null;\n") && !strcontains(code, "import cf from") && !strcontains(code, "= cf.kvs()")
    ])
    error_message = "Without a store the functions neither import the cloudfront module nor open a store (cf.kvs() would fail)."
  }

  assert {
    condition = (
      output.key_value_store_arn == null && output.key_value_store_id == null &&
      output.preview_key_value_store_arn == null && output.preview_key_value_store_id == null
    )
    error_message = "No store, no store outputs."
  }
}
