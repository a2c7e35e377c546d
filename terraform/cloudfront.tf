locals {
  origin_id     = "s3-${var.site_name}"
  custom_domain = var.domain_name != ""

  # Apex first: it is the canonical host; www. is redirected to it by the viewer-request function.
  site_domains = local.custom_domain ? [var.domain_name, "www.${var.domain_name}"] : []

  # Two years. Preloading (and includeSubDomains) commits every subdomain of domain_name to HTTPS for as
  # long as the domain stays on browsers' preload lists: make sure that holds before serving a real domain.
  hsts_max_age_seconds = 63072000

  # The viewer-request function, once per distribution: the committed file is the single-distribution
  # variant; with a preview distribution the production copy refuses /pr-<n>/ paths and the preview copy
  # serves nothing else (see DISTRIBUTION_ROLE in functions/viewer-request.js).
  function_source    = file("${path.module}/functions/viewer-request.js")
  function_role_line = "var DISTRIBUTION_ROLE = 'site-and-previews';"
  # The function's first two lines open its key value store; cf.kvs() fails without one associated, so with
  # redirects = false they become `var kvs = null;` and the function skips its redirect lookups.
  function_store_lines = "import cf from 'cloudfront';\nvar kvs = cf.kvs();\n"
  function_code = (var.redirects ? local.function_source :
    replace(local.function_source, local.function_store_lines, "var kvs = null;\n")
  )
  site_function_code = (var.preview_distribution ?
    replace(local.function_code, local.function_role_line, "var DISTRIBUTION_ROLE = 'site';") :
    local.function_code
  )
  preview_function_code = replace(local.function_code, local.function_role_line, "var DISTRIBUTION_ROLE = 'previews';")
}

# ---- Redirects (var.redirects) ----
#
# The site's redirects live in a CloudFront KeyValueStore that the viewer-request function reads (a request
# path -> "<status> <target>", docs/redirects.md); the deploy action syncs it from the site's `_redirects`
# with the deploy role (input redirect-store-arn = output key_value_store_arn). A function has at most one
# store. Previews on their own distribution get their own store, written by the preview role: IAM cannot
# limit a role to some keys of a store, and a pull request must not be able to change production's redirects.

resource "aws_cloudfront_key_value_store" "redirects" {
  count = var.redirects ? 1 : 0

  name    = "${var.site_name}-redirects"
  comment = "parlai-site-deploy: redirects of ${var.site_name}, written by the deploy action"
}

resource "aws_cloudfront_key_value_store" "preview_redirects" {
  count = var.redirects && var.preview_distribution ? 1 : 0

  name    = "${var.site_name}-preview-redirects"
  comment = "parlai-site-deploy: redirects of ${var.site_name} pull-request previews, written by the preview deploy"
}

# AWS-managed cache policy: caches on path only (no cookies, headers or query strings reach the origin or
# the cache key), honours the origin's Cache-Control, and caches gzip and brotli variants.
data "aws_cloudfront_cache_policy" "caching_optimized" {
  name = "Managed-CachingOptimized"
}

# Origin access control: CloudFront signs every origin request with SigV4 so the private bucket can trust
# it (the bucket policy names each distribution and what it may read). Replaces the legacy origin access
# identity. The preview distribution uses the same one.
resource "aws_cloudfront_origin_access_control" "site" {
  name                              = "${var.site_name}-oac"
  description                       = "parlai-site-deploy: ${var.site_name} content bucket"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_function" "viewer_request" {
  name    = "${var.site_name}-viewer-request"
  runtime = "cloudfront-js-2.0"
  comment = "www to apex, redirects, directory index, trailing-slash redirects, hides the deploy manifest"
  publish = true
  code    = local.site_function_code

  key_value_store_associations = aws_cloudfront_key_value_store.redirects[*].arn

  lifecycle {
    precondition {
      condition     = strcontains(local.function_source, local.function_role_line)
      error_message = "functions/viewer-request.js must contain the line \"${local.function_role_line}\": Terraform rewrites it per distribution."
    }
    precondition {
      condition     = startswith(local.function_source, local.function_store_lines)
      error_message = "functions/viewer-request.js must start with the two lines that open its key value store (local.function_store_lines): Terraform removes them with redirects = false."
    }
  }
}

resource "aws_cloudfront_response_headers_policy" "security" {
  name    = "${var.site_name}-security-headers"
  comment = "parlai-site-deploy: security headers for ${var.site_name}"

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = local.hsts_max_age_seconds
      include_subdomains         = true
      preload                    = true
      override                   = true
    }

    content_type_options {
      override = true
    }

    frame_options {
      frame_option = "DENY"
      override     = true
    }

    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }
  }
}

resource "aws_cloudfront_distribution" "site" {
  enabled             = true
  comment             = "parlai-site-deploy: ${var.site_name}"
  default_root_object = "index.html"
  http_version        = "http2and3"
  is_ipv6_enabled     = true
  price_class         = var.price_class
  aliases             = local.site_domains

  origin {
    origin_id                = local.origin_id
    domain_name              = aws_s3_bucket.site.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.site.id
  }

  default_cache_behavior {
    target_origin_id           = local.origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = data.aws_cloudfront_cache_policy.caching_optimized.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id

    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.viewer_request.arn
    }
  }

  # S3 answers 403 for a key it cannot read and 404 (with s3:ListBucket) for a missing one; both become the
  # site's own 404 page with a 404 status. Errors are cached briefly so a fixed page shows up soon.
  custom_error_response {
    error_code            = 403
    response_code         = 404
    response_page_path    = "/404.html"
    error_caching_min_ttl = 10
  }

  custom_error_response {
    error_code            = 404
    response_code         = 404
    response_page_path    = "/404.html"
    error_caching_min_ttl = 10
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
      locations        = []
    }
  }

  viewer_certificate {
    # With a custom domain: the validated ACM certificate (us-east-1), SNI only, TLS 1.2+.
    # Without: CloudFront's *.cloudfront.net certificate (which fixes the minimum protocol itself).
    cloudfront_default_certificate = !local.custom_domain
    acm_certificate_arn            = local.custom_domain ? one(aws_acm_certificate_validation.site[*].certificate_arn) : null
    ssl_support_method             = local.custom_domain ? "sni-only" : null
    minimum_protocol_version       = local.custom_domain ? "TLSv1.2_2021" : null
  }
}

# ---- Preview distribution (var.preview_distribution) ----
#
# Pull-request previews are served by their own distribution, on their own domain (preview_domain_name, or
# the distribution's *.cloudfront.net name), so a preview's JavaScript never runs on the production origin
# (its cookies, storage, or a phishing page under the real domain). Same bucket and origin access control;
# the bucket policy lets it read pr-* keys only (and /404.html for its error page), and its function answers
# everything but /pr-<n>/ paths with 404.

locals {
  preview_custom_domain = var.preview_distribution && var.preview_domain_name != ""
  preview_domains       = local.preview_custom_domain ? [var.preview_domain_name] : []
  preview_zone_id       = var.preview_hosted_zone_id != "" ? var.preview_hosted_zone_id : var.hosted_zone_id
}

resource "aws_cloudfront_function" "preview_viewer_request" {
  count = var.preview_distribution ? 1 : 0

  name    = "${var.site_name}-preview-viewer-request"
  runtime = "cloudfront-js-2.0"
  comment = "pull-request previews only: /pr-<n>/ paths, redirects, directory index, trailing-slash redirects"
  publish = true
  code    = local.preview_function_code

  key_value_store_associations = aws_cloudfront_key_value_store.preview_redirects[*].arn
}

# The production security headers, plus X-Robots-Tag: previews are unreviewed work in progress and must
# not be indexed by search engines.
resource "aws_cloudfront_response_headers_policy" "preview" {
  count = var.preview_distribution ? 1 : 0

  name    = "${var.site_name}-preview-headers"
  comment = "parlai-site-deploy: security headers and noindex for ${var.site_name} previews"

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = local.hsts_max_age_seconds
      include_subdomains         = true
      preload                    = true
      override                   = true
    }

    content_type_options {
      override = true
    }

    frame_options {
      frame_option = "DENY"
      override     = true
    }

    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }
  }

  custom_headers_config {
    items {
      header   = "X-Robots-Tag"
      value    = "noindex, nofollow"
      override = true
    }
  }
}

resource "aws_cloudfront_distribution" "preview" {
  count = var.preview_distribution ? 1 : 0

  enabled             = true
  comment             = "parlai-site-deploy: ${var.site_name} pull-request previews"
  default_root_object = "index.html"
  http_version        = "http2and3"
  is_ipv6_enabled     = true
  price_class         = "PriceClass_100"
  aliases             = local.preview_domains

  origin {
    origin_id                = local.origin_id
    domain_name              = aws_s3_bucket.site.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.site.id
  }

  default_cache_behavior {
    target_origin_id           = local.origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = data.aws_cloudfront_cache_policy.caching_optimized.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.preview[0].id

    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.preview_viewer_request[0].arn
    }
  }

  # The bucket policy gives this distribution no s3:ListBucket, so a missing key is a 403 from S3: both
  # become the site's 404 page with a 404 status.
  custom_error_response {
    error_code            = 403
    response_code         = 404
    response_page_path    = "/404.html"
    error_caching_min_ttl = 10
  }

  custom_error_response {
    error_code            = 404
    response_code         = 404
    response_page_path    = "/404.html"
    error_caching_min_ttl = 10
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
      locations        = []
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = !local.preview_custom_domain
    acm_certificate_arn            = local.preview_custom_domain ? one(aws_acm_certificate_validation.preview[*].certificate_arn) : null
    ssl_support_method             = local.preview_custom_domain ? "sni-only" : null
    minimum_protocol_version       = local.preview_custom_domain ? "TLSv1.2_2021" : null
  }
}
