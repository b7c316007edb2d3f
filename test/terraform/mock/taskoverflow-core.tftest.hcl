# The core stack applied against the real hashicorp/aws schema and validators, with AWS mocked.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "core" {
  command = apply

  assert {
    condition     = output.database_instance.publicly_accessible == false && output.database_instance.storage_encrypted == true
    error_message = "The database is private and encrypted."
  }
  assert {
    condition     = output.database_instance.vpc_security_group_ids == toset([output.database_security_group.id])
    error_message = "The database sits in its own security group only."
  }
  assert {
    condition = (
      output.database_from_tasks.security_group_id == output.database_security_group.id &&
      output.database_from_tasks.referenced_security_group_id == output.network_tasks.id &&
      output.database_from_tasks.ip_protocol == "tcp" && output.database_from_tasks.from_port == 5432 && output.database_from_tasks.to_port == 5432 &&
      output.database_from_tasks.cidr_ipv4 == null
    )
    error_message = "The database's only way in is 5432 from the tasks' security group."
  }
  assert {
    condition     = output.database_instance.port == 5432 && output.database_instance.engine == "postgres"
    error_message = "PostgreSQL on 5432."
  }
  assert {
    condition     = output.database_instance.storage_type == "gp2" && output.database_instance.allocated_storage <= 100
    error_message = "gp2 storage of at most 100 GB: the Learner Lab allows nothing else."
  }
  assert {
    condition = (
      jsondecode(output.ical_queue_queue.redrive_policy).deadLetterTargetArn == output.ical_queue_dead_letter.arn &&
      jsondecode(output.ical_queue_queue.redrive_policy).maxReceiveCount == 5
    )
    error_message = "The job queue sends a message to its dead-letter queue after 5 receives."
  }
  assert {
    condition = (
      output.ical_queue_dead_letter_sources.queue_url == output.ical_queue_dead_letter.url &&
      jsondecode(output.ical_queue_dead_letter_sources.redrive_allow_policy).sourceQueueArns == [output.ical_queue_queue.arn]
    )
    error_message = "The dead-letter queue takes messages from the job queue only."
  }
  assert {
    condition     = output.ical_queue_queue.receive_wait_time_seconds == 20 && output.ical_queue_queue.sqs_managed_sse_enabled == true
    error_message = "The job queue long-polls and is encrypted at rest."
  }
  assert {
    condition     = output.api_repository_repository.name == "taskoverflow/api" && output.worker_repository_repository.name == "taskoverflow/worker"
    error_message = "One ECR repository per image."
  }
  assert {
    condition = (
      [output.data_network_zone_0_subnet.availability_zone, output.data_network_zone_1_subnet.availability_zone] == ["us-east-1a", "us-east-1b"] &&
      alltrue([for subnet in [output.data_network_zone_0_subnet, output.data_network_zone_1_subnet] : subnet.default_for_az && subnet.vpc_id == output.data_network_vpc.id])
    )
    error_message = "The stacks use the default subnets of the first two zones by name, the same ones every plan, in the default VPC."
  }
  assert {
    condition     = output.database_instance.backup_retention_period == 0
    error_message = "In the Learner Lab the database keeps no automated backups: no backup storage to bill."
  }
  assert {
    condition     = output.database_state.identifier == output.database_instance.identifier && output.database_state.state == "available"
    error_message = "Deployed, the database is recorded as running."
  }
  assert {
    condition = (
      output.database_instance.skip_final_snapshot == false &&
      output.database_instance.final_snapshot_identifier == output.database_snapshot
    )
    error_message = "Whatever deletes the instance first keeps its data in the one snapshot a pause keeps it in."
  }
}
