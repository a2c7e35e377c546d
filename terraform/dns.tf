# Everything in this file exists only with a custom domain (var.domain_name != "").

# CloudFront reads certificates from us-east-1 only, hence the provider alias.
resource "aws_acm_certificate" "site" {
  count    = local.custom_domain ? 1 : 0
  provider = aws.us_east_1

  domain_name               = var.domain_name
  subject_alternative_names = ["www.${var.domain_name}"]
  validation_method         = "DNS"
  key_algorithm             = "RSA_2048"

  # A replacement certificate must be issued before the distribution lets go of the old one.
  lifecycle {
    create_before_destroy = true
  }
}

locals {
  # ACM's DNS validation options by the name they validate. Unknown until the certificate is requested;
  # only the values below depend on it, never the for_each keys.
  certificate_validation_options = {
    for option in flatten(aws_acm_certificate.site[*].domain_validation_options) : option.domain_name => option
  }
}

# One CNAME per name on the certificate, in the site's hosted zone. The instance keys come from the
# configuration (apex and www.), so they are known at plan time even before the certificate exists.
resource "aws_route53_record" "certificate_validation" {
  for_each = toset(local.site_domains)

  zone_id         = var.hosted_zone_id
  name            = local.certificate_validation_options[each.value].resource_record_name
  type            = local.certificate_validation_options[each.value].resource_record_type
  ttl             = 300
  records         = [local.certificate_validation_options[each.value].resource_record_value]
  allow_overwrite = true
}

# Waits until ACM has seen the records and issued the certificate; the distribution uses its output.
resource "aws_acm_certificate_validation" "site" {
  count    = local.custom_domain ? 1 : 0
  provider = aws.us_east_1

  certificate_arn         = aws_acm_certificate.site[0].arn
  validation_record_fqdns = [for record in aws_route53_record.certificate_validation : record.fqdn]
}

# Apex and www., IPv4 and IPv6, aliased to the distribution.
resource "aws_route53_record" "alias_a" {
  for_each = toset(local.site_domains)

  zone_id = var.hosted_zone_id
  name    = each.value
  type    = "A"

  alias {
    name                   = aws_cloudfront_distribution.site.domain_name
    zone_id                = aws_cloudfront_distribution.site.hosted_zone_id
    evaluate_target_health = false
  }
}

resource "aws_route53_record" "alias_aaaa" {
  for_each = toset(local.site_domains)

  zone_id = var.hosted_zone_id
  name    = each.value
  type    = "AAAA"

  alias {
    name                   = aws_cloudfront_distribution.site.domain_name
    zone_id                = aws_cloudfront_distribution.site.hosted_zone_id
    evaluate_target_health = false
  }
}

# ---- Preview domain (preview_distribution with preview_domain_name) ----

resource "aws_acm_certificate" "preview" {
  count    = local.preview_custom_domain ? 1 : 0
  provider = aws.us_east_1

  domain_name       = var.preview_domain_name
  validation_method = "DNS"
  key_algorithm     = "RSA_2048"

  lifecycle {
    create_before_destroy = true
  }
}

locals {
  preview_validation_options = {
    for option in flatten(aws_acm_certificate.preview[*].domain_validation_options) : option.domain_name => option
  }
}

resource "aws_route53_record" "preview_certificate_validation" {
  for_each = toset(local.preview_domains)

  zone_id         = local.preview_zone_id
  name            = local.preview_validation_options[each.value].resource_record_name
  type            = local.preview_validation_options[each.value].resource_record_type
  ttl             = 300
  records         = [local.preview_validation_options[each.value].resource_record_value]
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "preview" {
  count    = local.preview_custom_domain ? 1 : 0
  provider = aws.us_east_1

  certificate_arn         = aws_acm_certificate.preview[0].arn
  validation_record_fqdns = [for record in aws_route53_record.preview_certificate_validation : record.fqdn]
}

resource "aws_route53_record" "preview_alias" {
  for_each = {
    for pair in setproduct(local.preview_domains, ["A", "AAAA"]) : "${pair[0]} ${pair[1]}" => { name = pair[0], type = pair[1] }
  }

  zone_id = local.preview_zone_id
  name    = each.value.name
  type    = each.value.type

  alias {
    name                   = aws_cloudfront_distribution.preview[0].domain_name
    zone_id                = aws_cloudfront_distribution.preview[0].hosted_zone_id
    evaluate_target_health = false
  }
}
