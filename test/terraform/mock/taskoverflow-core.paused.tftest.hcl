# Paused (npm run pause): the database is stopped; nothing else in core changes.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "paused_core" {
  command = apply

  assert {
    condition     = output.database_state.state == "stopped" && output.database_state.identifier == output.database_instance.identifier
    error_message = "Paused, the database is stopped, and Terraform's state says so."
  }
}
