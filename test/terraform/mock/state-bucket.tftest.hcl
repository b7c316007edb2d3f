# The team's state bucket (npm run state-bucket) applied against the real schema and validators.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "state_bucket" {
  command = apply

  assert {
    condition     = output.state_bucket.bucket == "team-7-state" && output.state_bucket.force_destroy == false
    error_message = "The bucket has the name given, and a destroy never empties it."
  }
  assert {
    condition     = output.state_versioning.bucket == output.state_bucket.id && output.state_versioning.versioning_configuration[0].status == "Enabled"
    error_message = "Every state written is kept as a version, so an earlier one can be restored."
  }
  assert {
    condition     = one(output.state_encryption.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256" && output.state_encryption.bucket == output.state_bucket.id
    error_message = "State is encrypted at rest."
  }
  assert {
    condition = (
      output.state_public_access.bucket == output.state_bucket.id &&
      output.state_public_access.block_public_acls && output.state_public_access.block_public_policy &&
      output.state_public_access.ignore_public_acls && output.state_public_access.restrict_public_buckets
    )
    error_message = "Nothing in the bucket can be made public."
  }
  assert {
    condition     = output.state_policy.bucket == output.state_bucket.id && output.state_policy.policy == output.data_state_tls_only.json
    error_message = "The bucket's policy is the TLS-only document."
  }
}
