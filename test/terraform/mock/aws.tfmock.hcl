# What mock_provider "aws" returns for data sources and computed attributes that the real
# provider's validators check, shaped as AWS shapes them. Resources whose ARN another uses get
# one of their own from the test harness (mockOverrides in test/support/terraform-mock.ts).
# Shared by every .tftest.hcl here through `mock_provider "aws" { source = "./tests/mocks" }`.

mock_data "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::123456789012:role/LabRole" }
}
mock_data "aws_vpc" {
  defaults = { id = "vpc-0123456789abcdef0" }
}
# Out of order, as nothing promises otherwise: the stacks sort the names themselves.
mock_data "aws_availability_zones" {
  defaults = { names = ["us-east-1c", "us-east-1a", "us-east-1f", "us-east-1b", "us-east-1d", "us-east-1e"] }
}
mock_resource "aws_db_instance" {
  defaults = { master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-mock-AbCdEf", kms_key_id = "", secret_status = "active" }] }
}
