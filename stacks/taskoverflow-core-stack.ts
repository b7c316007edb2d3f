import { TerraformOutput } from 'cdktf'
import type { Construct } from 'constructs'
import { jobTiming, type JobTiming } from '../containers/shared/src/job-timing'
import { JOB_QUEUE_NAME, jobQueueShapes } from '../containers/shared/src/queue-shapes'
import { AwsStack, type AwsStackSettings } from './aws-stack'
import { DEFAULT_NAME, type DbPasswordMode } from './config'
import { ContainerRepository } from './constructs/container-repository'
import { Database } from './constructs/database'
import { Network } from './constructs/network'
import { SqsJobQueue } from './constructs/sqs-job-queue'

export interface TaskOverflowCoreStackProps {
  readonly aws: AwsStackSettings
  /** Prefix of resource names. */
  readonly name: string
  /** The job timing the queue is made for, the one the services are given. @default jobTiming()'s */
  readonly jobTiming?: JobTiming
  /** @default 'managed' */
  readonly dbPasswordMode?: DbPasswordMode
  /** Zones (one default subnet each) for the load balancer and the tasks. @default 2 */
  readonly availabilityZones?: number
  /** @default RDS's own */
  readonly backupRetentionDays?: number
  /** The database deleted, its data kept in its snapshot. @default false */
  readonly paused?: boolean
  /** The database created from its pause snapshot, if it does not exist. @default false */
  readonly restoreFromSnapshot?: boolean
}

/**
 * What the services stand on and what outlives a redeploy, or a pause: the network, the image
 * repositories, the job queue and the database (paused, as a snapshot). AWS provider only.
 */
export class TaskOverflowCoreStack extends AwsStack {
  readonly network: Network
  readonly apiRepository: ContainerRepository
  readonly workerRepository: ContainerRepository
  readonly jobQueue: SqsJobQueue
  readonly database: Database

  constructor(scope: Construct, id: string, props: TaskOverflowCoreStackProps) {
    super(scope, id, props.aws)

    this.network = new Network(this, 'network', { name: props.name, availabilityZones: props.availabilityZones })
    this.apiRepository = new ContainerRepository(this, 'api-repository', { name: `${props.name}/api` })
    this.workerRepository = new ContainerRepository(this, 'worker-repository', { name: `${props.name}/worker` })
    this.jobQueue = new SqsJobQueue(this, 'ical-queue', {
      // `ical` and `ical-dlq`, as in the practical; prefixed only when the name is changed.
      shapes: jobQueueShapes(props.jobTiming ?? jobTiming(), props.name === DEFAULT_NAME ? JOB_QUEUE_NAME : `${props.name}-${JOB_QUEUE_NAME}`),
    })
    this.database = new Database(this, 'database', {
      name: props.name,
      vpc: this.network.vpc,
      clientSecurityGroup: this.network.taskSecurityGroup,
      passwordMode: props.dbPasswordMode,
      backupRetentionDays: props.backupRetentionDays,
      paused: props.paused,
      restoreFromSnapshot: props.restoreFromSnapshot,
    })

    new TerraformOutput(this, 'api_repository_url', { value: this.apiRepository.repository.repositoryUrl })
    new TerraformOutput(this, 'worker_repository_url', { value: this.workerRepository.repository.repositoryUrl })
    new TerraformOutput(this, 'ical_queue_url', { value: this.jobQueue.queue.url })
    new TerraformOutput(this, 'ical_dead_letter_queue_url', { value: this.jobQueue.deadLetterQueue.url })
    new TerraformOutput(this, 'database_snapshot', { value: this.database.snapshotIdentifier, description: 'Where the database is kept while paused' })
    if (this.database.instance) {
      new TerraformOutput(this, 'database_url', { value: this.database.connectionUrl, sensitive: true })
      new TerraformOutput(this, 'database_secret_arn', { value: this.database.passwordSecretArn, sensitive: true })
    }
  }
}
