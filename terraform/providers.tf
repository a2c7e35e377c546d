locals {
  tags = merge(
    {
      "parlai-site-deploy:site" = var.site_name
      "managed-by"              = "terraform"
    },
    var.tags,
  )
}

# Default provider: the content bucket and everything regional.
provider "aws" {
  region = var.aws_region

  default_tags {
    tags = local.tags
  }
}

# CloudFront only accepts ACM certificates that live in us-east-1, whatever region the bucket is in.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  default_tags {
    tags = local.tags
  }
}
