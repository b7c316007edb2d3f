import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster'
import { TerraformOutput } from 'cdktf'
import type { Construct } from 'constructs'
import { jobTiming, type JobTiming } from '../containers/shared/src/job-timing'
import { calendarStorageMb, jobTimingSettings, serviceEnvironment } from '../containers/shared/src/service-env'
import { AwsStack, type AwsStackSettings } from './aws-stack'
import type { IamMode } from './config'
import type { Database } from './constructs/database'
import { FargateService } from './constructs/fargate-service'
import type { Network } from './constructs/network'
import { PublicLoadBalancer } from './constructs/public-load-balancer'
import { QueueBacklogScaling } from './constructs/queue-backlog-scaling'
import type { SqsJobQueue } from './constructs/sqs-job-queue'
import { TaskRoles } from './constructs/task-roles'

export interface TaskOverflowServicesStackProps {
  readonly aws: AwsStackSettings
  /** Prefix of resource names. */
  readonly name: string
  readonly network: Network
  readonly jobQueue: SqsJobQueue
  readonly database: Database
  /** Immutable image references (repository@sha256:...). */
  readonly apiImage: string
  readonly workerImage: string
  /** @default 'learner-lab' */
  readonly iamMode?: IamMode
  /** What the images were built for. @default 'X86_64' */
  readonly cpuArchitecture?: 'ARM64' | 'X86_64'
  /** @default 1 */
  readonly apiTasks?: number
  /** @default 1 */
  readonly workerMinTasks?: number
  /** @default 4 */
  readonly workerMaxTasks?: number
  /** The job timing, the same the queue was made for (its deadline counts a late first worker when the minimum is 0). @default jobTiming()'s */
  readonly jobTiming?: JobTiming
  /** @default 7 */
  readonly logRetentionDays?: number
  /** Each task's database pool. @default 10 */
  readonly databasePoolSize?: number
  /**
   * Nothing that bills by the hour or holds data: no load balancer (nor its addresses), no
   * service, no alarm; only the cluster, where the last tasks may still be stopping. @default false
   */
  readonly paused?: boolean
  /** While paused: the URL the API had, kept in the state so resume can say whether it changed. @default none */
  readonly apiUrlBeforePause?: string
}

const API_PORT = 6400
const HEALTH_PATH = '/api/v1/health'

/** The props with their defaults, resolved once. */
function withDefaults(props: TaskOverflowServicesStackProps) {
  return {
    ...props,
    iamMode: props.iamMode ?? 'learner-lab',
    cpuArchitecture: props.cpuArchitecture ?? 'X86_64',
    apiTasks: props.apiTasks ?? 1,
    workerMinTasks: props.workerMinTasks ?? 1,
    workerMaxTasks: props.workerMaxTasks ?? 4,
    jobTiming: props.jobTiming ?? jobTiming({ workersCanBeNone: (props.workerMinTasks ?? 1) === 0 }),
    logRetentionDays: props.logRetentionDays ?? 7,
    databasePoolSize: props.databasePoolSize ?? 10,
    paused: props.paused ?? false,
  }
}
type Resolved = ReturnType<typeof withDefaults>

/**
 * What both services are told: the database (its password read from Secrets Manager by the task
 * itself, when it connects and after a rotation), the queue, and the one job timing, so neither
 * service fails a job the other would still let run.
 */
function sharedSettings(props: Resolved) {
  return {
    DATABASE_URL: props.database.connectionUrl,
    DATABASE_PASSWORD_SECRET_ARN: props.database.passwordSecretArn,
    DATABASE_POOL_SIZE: props.databasePoolSize,
    ICAL_QUEUE_URL: props.jobQueue.queue.url,
    AWS_REGION: props.aws.region,
    LOG_LEVEL: 'info',
    ...jobTimingSettings(props.jobTiming),
  } as const
}

/**
 * The running system: an ECS cluster with the API behind a load balancer and the autoscaled
 * worker; paused, the cluster alone. AWS provider only.
 */
export class TaskOverflowServicesStack extends AwsStack {
  readonly cluster: EcsCluster
  /** Each of these is undefined while paused. */
  readonly api?: FargateService
  readonly worker?: FargateService
  readonly workerScaling?: QueueBacklogScaling
  private readonly parts: { roles?: TaskRoles; loadBalancer?: PublicLoadBalancer } = {}

  constructor(scope: Construct, id: string, props: TaskOverflowServicesStackProps) {
    super(scope, id, props.aws)
    if (!props.paused && props.apiUrlBeforePause) throw new Error('TaskOverflowServicesStack: apiUrlBeforePause is for a paused stack; running, its load balancer has a URL of its own')
    this.cluster = new EcsCluster(this, 'cluster', { name: props.name })
    if (props.paused) {
      if (props.apiUrlBeforePause) new TerraformOutput(this, 'api_url_before_pause', { value: props.apiUrlBeforePause })
      return
    }
    const resolved = withDefaults(props)
    this.parts.roles = new TaskRoles(this, 'roles', {
      name: props.name,
      mode: resolved.iamMode,
      queue: props.jobQueue.queue,
      deadLetterQueue: props.jobQueue.deadLetterQueue,
      databaseSecretArn: props.database.passwordSecretArn,
    })
    this.parts.loadBalancer = new PublicLoadBalancer(this, 'load-balancer', {
      name: props.name,
      vpc: props.network.vpc,
      subnets: props.network.subnets,
      targetSecurityGroup: props.network.taskSecurityGroup,
      targetPort: API_PORT,
      healthCheckPath: HEALTH_PATH,
    })
    this.api = this.apiService(resolved)
    this.worker = this.workerService(resolved)
    this.workerScaling = new QueueBacklogScaling(this, 'worker-scaling', {
      name: `${props.name}-worker`,
      cluster: this.cluster,
      service: this.worker.service,
      queue: props.jobQueue.queue,
      minTasks: resolved.workerMinTasks,
      maxTasks: resolved.workerMaxTasks,
    })

    new TerraformOutput(this, 'api_url', { value: this.loadBalancer.url, description: 'The TaskOverflow web page; the API is under /api/v1' })
  }

  /** The tasks' roles; a paused stack has none. */
  get roles(): TaskRoles {
    if (!this.parts.roles) throw new Error(`TaskOverflowServicesStack ${this.node.id}: paused, it has no roles`)
    return this.parts.roles
  }

  /** The API's load balancer; a paused stack has none. */
  get loadBalancer(): PublicLoadBalancer {
    if (!this.parts.loadBalancer) throw new Error(`TaskOverflowServicesStack ${this.node.id}: paused, it has no load balancer`)
    return this.parts.loadBalancer
  }

  /** Where and how both services' tasks run: the cluster, the execution role, the network and the logs. */
  private taskSettings(props: Resolved) {
    return {
      cluster: this.cluster,
      executionRoleArn: this.roles.executionRoleArn,
      subnetIds: props.network.subnetIds,
      securityGroup: props.network.taskSecurityGroup,
      region: props.aws.region,
      logRetentionDays: props.logRetentionDays,
      cpuArchitecture: props.cpuArchitecture,
    }
  }

  /**
   * The API behind the load balancer. It starts after the listener and, in create-roles mode, its
   * roles' policies, or the first tasks could start unable to pull or read the secret.
   */
  private apiService(props: Resolved): FargateService {
    return new FargateService(this, 'api', {
      ...this.taskSettings(props),
      name: `${props.name}-api`,
      image: props.apiImage,
      taskRoleArn: this.roles.apiRoleArn,
      environment: serviceEnvironment('api', { ...sharedSettings(props), ICAL_DEAD_LETTER_QUEUE_URL: props.jobQueue.deadLetterQueue.url, PORT: API_PORT, TRUST_PROXY: true }),
      containerPort: API_PORT,
      targetGroup: this.loadBalancer.targetGroup,
      desiredCount: props.apiTasks,
      waitForSteadyState: true,
      dependsOn: [this.loadBalancer.listener, ...this.roles.grants],
    })
  }

  /** The worker, whose count the scaling range decides after creation. */
  private workerService(props: Resolved): FargateService {
    return new FargateService(this, 'worker', {
      ...this.taskSettings(props),
      name: `${props.name}-worker`,
      image: props.workerImage,
      taskRoleArn: this.roles.workerRoleArn,
      // The calendars' share of what this database can hold (service-env.ts).
      environment: serviceEnvironment('worker', { ...sharedSettings(props), CALENDAR_STORAGE_MB: calendarStorageMb(props.database.allocatedStorageGb) }),
      desiredCount: props.workerMinTasks,
      autoscaled: true,
      // On scale-in the worker lets its long poll and the batch it brings finish: the same
      // formula gives the worker its drain wait.
      stopTimeoutSeconds: props.jobTiming.workerStopTimeoutSeconds,
      dependsOn: this.roles.grants,
    })
  }
}
