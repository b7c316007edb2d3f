# TASKOVERFLOW_DB_PASSWORD_MODE=generated: a password made once at deploy, kept in Secrets Manager.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "generated_password" {
  command = apply

  assert {
    condition     = output.database_instance.manage_master_user_password != true && output.database_instance.password == output.data_database_generated_password.random_password
    error_message = "RDS takes the generated password instead of managing one."
  }
  assert {
    condition = (
      output.database_password_value.secret_id == output.database_password.id &&
      jsondecode(output.database_password_value.secret_string) == { username = "taskoverflow", password = output.data_database_generated_password.random_password }
    )
    error_message = "The secret holds the same password, with the user name, as JSON the services read."
  }
  assert {
    condition     = output.database_password.recovery_window_in_days == 0 && output.data_database_generated_password.password_length == 32
    error_message = "A 32-character password whose secret goes at once on destroy, so a new deploy can reuse the name."
  }
}
