# Run once, with local state, to create the bucket that holds the site module's state:
#   terraform init && terraform apply -var state_bucket_name=my-org-tfstate -var region=us-east-1
# Its own state stays in terraform.tfstate here; keep that file (or re-import the bucket) if you ever
# need to change the bucket with Terraform again.
terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # Same range as the site module (see ../versions.tf): 5.100 (the last 5.x) and all of 6.x.
      version = ">= 5.100, < 7.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      "managed-by"         = "terraform"
      "parlai-site-deploy" = "terraform-state"
    }
  }
}
