# Resumed: the services stack is the running one (taskoverflow-services.tftest.hcl asserts it all),
# reading the restored database's address and its new secret from core's state.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "resumed_services" {
  command = apply

  assert {
    condition = alltrue([for task in [output.api_task, output.worker_task] :
      { for e in jsondecode(task.container_definitions)[0].environment : e.name => e.value }["DATABASE_PASSWORD_SECRET_ARN"] == output.remote["database/instance.master_user_secret[0].secret_arn"]
    ])
    error_message = "Both tasks read the password from the secret of the instance as restored (RDS makes it anew)."
  }
  assert {
    condition     = length(output.resources_of_type["aws_lb"]) == 1 && length(output.resources_of_type["aws_ecs_service"]) == 2 && length(output.resources_of_type["aws_cloudwatch_metric_alarm"]) == 2
    error_message = "The load balancer, both services and the scaling alarms are back."
  }
}
