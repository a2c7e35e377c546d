terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # The root modules pin the range (>= 5.100, < 7.0); a child module only states what it needs.
      version = ">= 5.100"
    }
  }
}
