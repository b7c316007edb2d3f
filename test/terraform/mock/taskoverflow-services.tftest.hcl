# The services stack applied against the real hashicorp/aws schema and validators, with AWS
# mocked. output.<alias> is a resource by its construct path, output.remote[...] a core or images
# output as the remote state would hold it after a deploy (both from test/support/terraform-mock.ts).

mock_provider "aws" {
  source = "./tests/mocks"
}

run "services" {
  command = apply

  assert {
    condition     = jsondecode(output.api_task.container_definitions)[0].image == "${output.remote["api-repository/repository.repository_url"]}@${output.remote["api-image/push.sha256_digest"]}"
    error_message = "The API task runs the API image by the digest the images stack pushed to the API repository."
  }
  assert {
    condition     = jsondecode(output.worker_task.container_definitions)[0].image == "${output.remote["worker-repository/repository.repository_url"]}@${output.remote["worker-image/push.sha256_digest"]}"
    error_message = "The worker task runs the worker image by the digest the images stack pushed to the worker repository."
  }
  assert {
    condition = alltrue([for task in [output.api_task, output.worker_task] :
      { for e in jsondecode(task.container_definitions)[0].environment : e.name => e.value }["ICAL_QUEUE_URL"] == output.remote["ical-queue/queue.url"]
    ])
    error_message = "Both tasks get the job queue's URL as ICAL_QUEUE_URL."
  }
  assert {
    condition = alltrue([for task in [output.api_task, output.worker_task] :
      { for e in jsondecode(task.container_definitions)[0].environment : e.name => e.value }["DATABASE_URL"] == "postgresql://taskoverflow@${output.remote["database/instance.address"]}:5432/todo?sslmode=verify-full"
    ])
    error_message = "Both tasks get the database's address, without a password, as DATABASE_URL."
  }
  assert {
    condition = alltrue([for task in [output.api_task, output.worker_task] :
      { for e in jsondecode(task.container_definitions)[0].environment : e.name => e.value }["DATABASE_PASSWORD_SECRET_ARN"] == try(output.remote["database/instance.master_user_secret[0].secret_arn"], output.remote["database/password.arn"]) &&
      length(jsondecode(task.container_definitions)[0].secrets) == 0
    ])
    error_message = "Both tasks read the database password themselves from the database's secret, so a rotation needs no restart."
  }
  assert {
    condition = (
      try({ for e in jsondecode(output.api_task.container_definitions)[0].environment : e.name => e.value }["JOB_DEADLINE_SECONDS"], "api: none") ==
      try({ for e in jsondecode(output.worker_task.container_definitions)[0].environment : e.name => e.value }["JOB_DEADLINE_SECONDS"], "worker: none")
    )
    error_message = "Both tasks run the reconciler with the same JOB_DEADLINE_SECONDS, so neither fails a job the other would let run."
  }
  assert {
    condition     = output.load_balancer_targets.target_type == "ip" && output.load_balancer_targets.port == 6400 && output.load_balancer_targets.health_check[0].path == "/api/v1/health"
    error_message = "The target group sends to task IPs on 6400 and checks /api/v1/health."
  }
  assert {
    condition     = output.load_balancer_targets.vpc_id == output.remote["network/vpc.id"]
    error_message = "The target group is in core's VPC."
  }
  assert {
    condition = (
      one(output.api_service.load_balancer).container_port == 6400 &&
      one(output.api_service.load_balancer).container_name == jsondecode(output.api_task.container_definitions)[0].name &&
      one(output.api_service.load_balancer).target_group_arn == output.load_balancer_targets.arn &&
      jsondecode(output.api_task.container_definitions)[0].portMappings[0].containerPort == 6400
    )
    error_message = "The API service registers its container's port 6400 with the target group."
  }
  assert {
    condition = alltrue([for port in [output.load_balancer_targets_from_load_balancer.from_port, output.load_balancer_targets_from_load_balancer.to_port] :
      port == jsondecode(output.api_task.container_definitions)[0].portMappings[0].containerPort
      ]) && (
      output.load_balancer_targets_from_load_balancer.security_group_id == output.remote["network/tasks.id"] &&
      output.load_balancer_targets_from_load_balancer.referenced_security_group_id == output.load_balancer_security_group.id &&
      output.load_balancer_targets_from_load_balancer.ip_protocol == "tcp"
    )
    error_message = "The tasks accept TCP from the load balancer on the API container's port, that port alone."
  }
  assert {
    condition = [for rule in output.resources_of_type["aws_vpc_security_group_ingress_rule"] : rule.id if rule.security_group_id == output.remote["network/tasks.id"]] == [
      output.load_balancer_targets_from_load_balancer.id
    ]
    error_message = "The load balancer's is the only way into the tasks."
  }
  assert {
    condition = (
      output.load_balancer_to_targets.from_port == jsondecode(output.api_task.container_definitions)[0].portMappings[0].containerPort &&
      output.load_balancer_to_targets.to_port == output.load_balancer_to_targets.from_port &&
      output.load_balancer_to_targets.referenced_security_group_id == output.remote["network/tasks.id"]
    )
    error_message = "The load balancer may reach the tasks on the API container's port."
  }
  assert {
    condition     = output.load_balancer_listener.default_action[0].target_group_arn == output.load_balancer_targets.arn && output.load_balancer_listener.port == 80
    error_message = "The listener on port 80 forwards to the target group."
  }
  assert {
    condition = alltrue([for service in [output.api_service, output.worker_service] :
      toset(one(service.network_configuration).security_groups) == toset([output.remote["network/tasks.id"]]) &&
      toset(one(service.network_configuration).subnets) == toset([output.remote["network/zone-0-subnet.id"], output.remote["network/zone-1-subnet.id"]])
    ])
    error_message = "Both services run in the tasks' security group and the two subnets core chose."
  }
  assert {
    condition     = output.load_balancer_load_balancer.subnets == toset([output.remote["network/zone-0-subnet.id"], output.remote["network/zone-1-subnet.id"]])
    error_message = "The load balancer spans the same two subnets as the tasks, and no more: each one holds a billed public address."
  }
  assert {
    condition = (
      output.api_service.desired_count == 1 && output.worker_service.desired_count == 1 &&
      output.worker_scaling_target.min_capacity == 1 && output.worker_scaling_target.max_capacity == 4
    )
    error_message = "Running, the API has its task and the worker scales from 1 to 4."
  }
  assert {
    condition     = output.api_service.task_definition == output.api_task.arn && output.worker_service.task_definition == output.worker_task.arn
    error_message = "Each service runs its own task definition."
  }
  assert {
    condition = (
      output.worker_scaling_target.resource_id == "service/${output.cluster.name}/${output.worker_service.name}" &&
      output.worker_scaling_scale_out.resource_id == output.worker_scaling_target.resource_id &&
      output.worker_scaling_scale_in.resource_id == output.worker_scaling_target.resource_id
    )
    error_message = "The scaling target and both policies name the worker service."
  }
  assert {
    condition = (
      output.worker_scaling_backlog_high.alarm_actions == toset([output.worker_scaling_scale_out.arn]) &&
      output.worker_scaling_queue_empty.alarm_actions == toset([output.worker_scaling_scale_in.arn])
    )
    error_message = "The backlog alarm scales out and the empty-queue alarm scales in."
  }
  assert {
    condition = alltrue([for alarm in [output.worker_scaling_backlog_high, output.worker_scaling_queue_empty] :
      alarm.namespace == "AWS/SQS" && length(alarm.dimensions) == 1 && alarm.dimensions["QueueName"] == output.remote["ical-queue/queue.name"]
    ])
    error_message = "Both alarms watch the job queue."
  }
  assert {
    condition     = alltrue([for task in [output.api_task, output.worker_task] : try(jsondecode(task.container_definitions)[0].linuxParameters.initProcessEnabled, false) == true])
    error_message = "Both tasks run an init process as PID 1, which passes ECS's SIGTERM on to the service."
  }
  assert {
    condition     = alltrue([for task in [output.api_task, output.worker_task] : one(task.runtime_platform).cpu_architecture == "X86_64"])
    error_message = "The tasks run on the architecture the images were built for (amd64 here)."
  }
}
