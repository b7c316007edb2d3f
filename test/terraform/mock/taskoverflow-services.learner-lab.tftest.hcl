# Learner Lab mode: the Lab forbids creating roles, so everything runs as LabRole.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "learner_lab_roles" {
  command = apply

  assert {
    condition = alltrue([for task in [output.api_task, output.worker_task] :
      task.execution_role_arn == output.data_roles_lab_role.arn && task.task_role_arn == output.data_roles_lab_role.arn
    ])
    error_message = "Both tasks start and run as LabRole."
  }
  assert {
    condition     = output.data_roles_lab_role.name == "LabRole"
    error_message = "The role looked up is the Lab's LabRole."
  }
}
