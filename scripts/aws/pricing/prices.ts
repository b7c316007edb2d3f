/**
 * AWS's public on-demand prices for what the stacks create, in the two regions the Learner Lab
 * offers. One table, dated: AWS changes prices, so check a figure against its page before
 * relying on it, and change it here (the cost tests follow the table, not a copy of it).
 */

/** When the figures below were last compared with their pages. */
export const PRICES_AS_OF = '2026-11-29'

/** Monthly prices are turned into hourly ones over AWS's own month of 730 hours. */
export const HOURS_PER_MONTH = 730

export interface Price {
  /** US dollars per `unit`. */
  readonly usd: number
  readonly unit: string
  /** The AWS pricing page it comes from. */
  readonly source: string
}

export interface RegionPrices {
  /** Fargate, Linux, by the task definition's `cpu_architecture`. */
  readonly fargate: Readonly<Record<'X86_64' | 'ARM64', { readonly vcpuHour: Price; readonly gbHour: Price }>>
  readonly applicationLoadBalancerHour: Price
  /** Every public IPv4 address, in use or not: a task's, and one per subnet of an internet-facing load balancer. */
  readonly publicIpv4Hour: Price
  /** RDS for PostgreSQL, single-AZ, by instance class. */
  readonly rdsInstanceHour: Readonly<Record<string, Price>>
  readonly gp2GbMonth: Price
  /**
   * RDS backup storage: what a snapshot holds (at most the instance's allocated storage). Free up
   * to the provisioned storage of the running instances; a paused database has none running.
   */
  readonly snapshotGbMonth: Price
  readonly secretMonth: Price
  /** A standard-resolution metric alarm. */
  readonly alarmMonth: Price
}

const FARGATE = 'https://aws.amazon.com/fargate/pricing/'
const ELB = 'https://aws.amazon.com/elasticloadbalancing/pricing/'
const VPC = 'https://aws.amazon.com/vpc/pricing/'
const RDS = 'https://aws.amazon.com/rds/postgresql/pricing/'
const SECRETS = 'https://aws.amazon.com/secrets-manager/pricing/'
const CLOUDWATCH = 'https://aws.amazon.com/cloudwatch/pricing/'

const price = (usd: number, unit: string, source: string): Price => ({ usd, unit, source })

/** us-east-1 and us-west-2 have the same prices for everything the stacks create. */
const LEARNER_LAB_REGION: RegionPrices = {
  fargate: {
    X86_64: { vcpuHour: price(0.04048, 'vCPU-hour', FARGATE), gbHour: price(0.004445, 'GB-hour', FARGATE) },
    ARM64: { vcpuHour: price(0.03238, 'vCPU-hour', FARGATE), gbHour: price(0.00356, 'GB-hour', FARGATE) },
  },
  applicationLoadBalancerHour: price(0.0225, 'hour', ELB),
  publicIpv4Hour: price(0.005, 'address-hour', VPC),
  rdsInstanceHour: {
    'db.t4g.micro': price(0.016, 'hour', RDS),
    'db.t4g.small': price(0.032, 'hour', RDS),
    'db.t4g.medium': price(0.065, 'hour', RDS),
  },
  gp2GbMonth: price(0.115, 'GB-month', RDS),
  // Added 2026-12-06: the page's "Backup Storage" row, as AWS's Database Blog ("Demystifying Amazon
  // RDS backup storage costs") and the RDS FAQ describe it; only running instances get the free part.
  snapshotGbMonth: price(0.095, 'GB-month', RDS),
  secretMonth: price(0.4, 'secret-month', SECRETS),
  alarmMonth: price(0.1, 'alarm-month', CLOUDWATCH),
}

export const PRICES: Readonly<Record<string, RegionPrices>> = {
  'us-east-1': LEARNER_LAB_REGION,
  'us-west-2': LEARNER_LAB_REGION,
}

/**
 * What bills by use rather than by the hour, with what it comes to while nobody uses the system,
 * so an idle deployment's true cost is the hourly total plus these few cents.
 */
export const USAGE_BASED: Readonly<Record<string, string>> = {
  aws_lb: 'load balancer capacity units, $0.008 per LCU-hour: near zero while idle',
  aws_sqs_queue: '$0.40 per million requests after the first million a month; an idle worker long-polls 3 times a minute, about 130,000 requests a month',
  aws_cloudwatch_log_group: '$0.50 per GB of logs written and $0.03 per GB-month kept; an idle API logs its health checks, a few MB a month',
  aws_ecr_repository: '$0.10 per GB-month of images kept (old images expire)',
  aws_s3_bucket: '$0.023 per GB-month and $0.005 per 1,000 writes: state files are kilobytes',
}

/**
 * Resources that cost nothing by existing; what they cause to run is priced where it runs. A
 * type in none of these lists is shown as "not priced", never counted as free.
 */
export const FREE = new Set([
  'aws_appautoscaling_policy',
  'aws_appautoscaling_target',
  'aws_ecr_lifecycle_policy',
  'aws_ecs_cluster',
  'aws_ecs_task_definition',
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_iam_role_policy_attachment',
  'aws_lb_listener',
  'aws_lb_target_group',
  'aws_rds_instance_state',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_versioning',
  'aws_secretsmanager_secret_version',
  'aws_security_group',
  'aws_sqs_queue_redrive_allow_policy',
  'aws_vpc_security_group_egress_rule',
  'aws_vpc_security_group_ingress_rule',
  // Terraform's own record, nothing in AWS; a paused database's record is priced as its snapshot.
  'terraform_data',
  // Built and pushed from this machine: what the registry stores is priced as ECR storage.
  'docker_image',
  'docker_registry_image',
])
