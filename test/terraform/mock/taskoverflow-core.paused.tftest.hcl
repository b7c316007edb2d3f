# Paused (npm run pause): nothing in core bills by the hour. The database is its final snapshot,
# which never starts by itself; what holds data (the queues, the repositories) stays as it was.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "paused_core" {
  command = apply

  assert {
    condition     = !contains(keys(output.resources_of_type), "aws_db_instance") && !contains(keys(output.resources_of_type), "aws_rds_instance_state")
    error_message = "Paused, there is no database instance: no instance hours, no gp2 storage, nothing RDS starts again after 7 days."
  }
  assert {
    condition = (
      output.database_paused.input.db_snapshot_identifier == "taskoverflow-database-paused" &&
      output.database_paused.input.db_instance_identifier == "taskoverflow-database" &&
      output.database_paused.input.allocated_storage == 20
    )
    error_message = "Terraform's state says where the data is: the snapshot the running instance names as its final one."
  }
  assert {
    condition     = output.database_snapshot == "taskoverflow-database-paused"
    error_message = "The core stack's outputs name the snapshot, for status and resume."
  }
  assert {
    condition = (
      jsondecode(output.ical_queue_queue.redrive_policy).deadLetterTargetArn == output.ical_queue_dead_letter.arn &&
      output.ical_queue_dead_letter.message_retention_seconds == 1209600
    )
    error_message = "Both queues stay, the job queue still redriving to its dead-letter queue, which keeps messages 14 days."
  }
  assert {
    condition     = output.api_repository_repository.name == "taskoverflow/api" && output.worker_repository_repository.name == "taskoverflow/worker"
    error_message = "Both image repositories stay, so resume runs the images deployed before without Docker."
  }
  assert {
    condition     = output.database_from_tasks.security_group_id == output.database_security_group.id && output.database_from_tasks.referenced_security_group_id == output.network_tasks.id
    error_message = "Who may reach the database once it is back stays as it was."
  }
}
