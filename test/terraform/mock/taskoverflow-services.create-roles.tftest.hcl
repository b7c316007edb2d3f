# create-roles mode: least-privilege roles of the stack's own.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "least_privilege_roles" {
  command = apply

  assert {
    condition = (
      output.api_task.execution_role_arn == output.roles_execution.arn && output.worker_task.execution_role_arn == output.roles_execution.arn &&
      output.api_task.task_role_arn == output.roles_api.arn && output.worker_task.task_role_arn == output.roles_worker.arn
    )
    error_message = "ECS starts both tasks with the execution role; each runs as its own role."
  }
  assert {
    condition = (
      output.data_roles_api_policy.statement[0].actions == toset(["sqs:SendMessage", "sqs:GetQueueAttributes"]) &&
      output.data_roles_api_policy.statement[0].resources == toset([output.remote["ical-queue/queue.arn"]]) &&
      output.data_roles_api_policy.statement[1].actions == toset(["sqs:GetQueueAttributes"]) &&
      output.data_roles_api_policy.statement[1].resources == toset([output.remote["ical-queue/dead-letter.arn"]])
    )
    error_message = "The API may only send to the job queue, and read the counts of it and its dead-letter queue."
  }
  assert {
    condition = (
      output.data_roles_worker_policy.statement[0].actions == toset(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:SendMessage"]) &&
      output.data_roles_worker_policy.statement[0].resources == toset([output.remote["ical-queue/queue.arn"]])
    )
    error_message = "The worker may only receive, delete and extend messages of the job queue, and send to it (its reconciler sends the jobs an API never sent)."
  }
  assert {
    condition = length(output.data_roles_api_policy.statement) == 3 && length(output.data_roles_worker_policy.statement) == 2 && alltrue([
      for policy in [output.data_roles_api_policy, output.data_roles_worker_policy] :
      policy.statement[length(policy.statement) - 1].actions == toset(["secretsmanager:GetSecretValue"]) &&
      policy.statement[length(policy.statement) - 1].resources == toset([output.remote["database/instance.master_user_secret[0].secret_arn"]])
    ])
    error_message = "The API and the worker may read the database secret, and no other secret."
  }
  assert {
    condition     = output.roles_api_inline.policy == output.data_roles_api_policy.json && output.roles_worker_inline.policy == output.data_roles_worker_policy.json
    error_message = "Each role carries its own policy."
  }
  assert {
    condition     = output.roles_execution_managed.policy_arn == "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" && output.roles_execution_managed.role == output.roles_execution.name
    error_message = "The execution role may pull images and write logs, and needs nothing more."
  }
  assert {
    condition = (
      alltrue([for role in [output.roles_execution, output.roles_api, output.roles_worker] : role.assume_role_policy == output.data_roles_ecs_tasks_trust.json]) &&
      output.data_roles_ecs_tasks_trust.statement[0].principals == toset([{ type = "Service", identifiers = toset(["ecs-tasks.amazonaws.com"]) }])
    )
    error_message = "Only ECS tasks may assume the roles."
  }
}
