# The practical's two queues, applied against the real hashicorp/aws schema with AWS mocked.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "playground" {
  command = apply

  assert {
    condition     = output.standard.name == "csse6400_prac" && output.standard.fifo_queue != true
    error_message = "The standard queue is csse6400_prac."
  }
  assert {
    condition     = output.fifo.name == "csse6400_prac.fifo" && output.fifo.fifo_queue == true && output.fifo.content_based_deduplication == true
    error_message = "The FIFO queue is csse6400_prac.fifo, deduplicated by content."
  }
}
