terraform {
  required_version = ">= 1.5"

  required_providers {
    engflow = {
      source = "engflow/engflow"
    }
  }
}
