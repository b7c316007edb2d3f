# Paused (npm run pause): no task runs, and the worker cannot be scaled out by a waiting job.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "paused_services" {
  command = apply

  assert {
    condition     = output.api_service.desired_count == 0 && output.worker_service.desired_count == 0
    error_message = "Paused, neither service runs a task."
  }
  assert {
    condition     = output.worker_scaling_target.min_capacity == 0 && output.worker_scaling_target.max_capacity == 0
    error_message = "Paused, the worker's scaling range is 0 to 0, so the backlog alarm cannot start a task."
  }
}
