# Paused (npm run pause): nothing in services bills by the hour. No load balancer (nor its public
# addresses), no service and so no task, no scaling alarm; only the cluster, where the last tasks stop.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "paused_services" {
  command = apply

  assert {
    condition     = keys(output.resources_of_type) == ["aws_ecs_cluster"] && output.cluster.name == "taskoverflow"
    error_message = "Paused, the services stack holds the cluster and nothing else."
  }
  assert {
    condition     = output.api_url_before_pause == "http://taskoverflow-1234567890.us-east-1.elb.amazonaws.com"
    error_message = "The state keeps the URL the API had, so resume can say whether it changed."
  }
}
