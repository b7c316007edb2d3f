# Resumed (npm run resume after a pause): the database is created from the snapshot the pause left,
# under the same identifier and the same final snapshot, so the next pause works the same way.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "resumed_core" {
  command = apply

  assert {
    condition     = output.database_instance.snapshot_identifier == "taskoverflow-database-paused" && output.database_instance.snapshot_identifier == output.database_instance.final_snapshot_identifier
    error_message = "Resumed, the instance is created from the very snapshot a pause leaves."
  }
  assert {
    condition     = output.database_instance.identifier == "taskoverflow-database" && output.database_state.state == "available"
    error_message = "It comes back under the same identifier, recorded as running."
  }
  assert {
    condition     = !contains(keys(output.resources_of_type), "terraform_data")
    error_message = "Running, the state no longer says the database is a snapshot."
  }
}
