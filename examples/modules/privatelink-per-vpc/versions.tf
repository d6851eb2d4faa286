terraform {
  # optional() object attributes need 1.3, import blocks in the root 1.5.
  required_version = ">= 1.5"

  required_providers {
    engflow = {
      source = "engflow/engflow"
    }
  }
}
