import type { Construct } from 'constructs'
import { jobTiming } from '../containers/shared/src/job-timing'
import { PLATFORMS, type DeployConfig } from './config'
import { QueuePlaygroundStack } from './queue-playground-stack'
import { CORE_STACK, IMAGES_STACK, PLAYGROUND_STACK, SERVICES_STACK, STATE_BUCKET_STACK } from './stack-names'
import { StateBucketStack } from './state-bucket-stack'
import { TaskOverflowCoreStack } from './taskoverflow-core-stack'
import { TaskOverflowImagesStack } from './taskoverflow-images-stack'
import { TaskOverflowServicesStack } from './taskoverflow-services-stack'

export interface DefineStacksOptions {
  /** The credentials file, relative to a stack's folder; unset for the standard AWS chain. */
  readonly credentialsFile?: string
  /** Where the project is on this machine: the images are built from, and tagged by, its containers/. */
  readonly projectRoot: string
  /** Paused: the API's URL before the pause, recorded in the services stack's state (read by resume). */
  readonly apiUrlBeforePause?: string
}

/**
 * Every stack of the app and how they connect: the playground on its own; core, then the
 * images pushed into core's repositories, then the services running those images against
 * core's queue and database. cdktf deploys them in that order and destroys them in reverse.
 */
export function defineStacks(app: Construct, config: DeployConfig, options: DefineStacksOptions) {
  // The one job timing, for the queue and both services alike.
  const timing = jobTiming({ delaySeconds: config.workerDelaySeconds, workersCanBeNone: config.workerMinTasks === 0 })
  const aws = { region: config.region, credentialsFile: options.credentialsFile, stateBucket: config.stateBucket, tags: { Project: config.name, ManagedBy: 'cdktf' } }

  const playground = new QueuePlaygroundStack(app, PLAYGROUND_STACK, { aws: { ...aws, localSqsEndpoint: config.localSqsEndpoint } })
  const core = new TaskOverflowCoreStack(app, CORE_STACK, {
    aws,
    name: config.name,
    jobTiming: timing,
    dbPasswordMode: config.dbPasswordMode,
    availabilityZones: config.availabilityZones,
    backupRetentionDays: config.backupRetentionDays,
    paused: config.paused,
    restoreFromSnapshot: config.restoreFromSnapshot,
  })
  const images = new TaskOverflowImagesStack(app, IMAGES_STACK, {
    aws,
    apiRepository: core.apiRepository.repository,
    workerRepository: core.workerRepository.repository,
    projectRoot: options.projectRoot,
    platform: PLATFORMS[config.arch].image,
  })
  const services = new TaskOverflowServicesStack(app, SERVICES_STACK, {
    aws,
    name: config.name,
    network: core.network,
    jobQueue: core.jobQueue,
    database: core.database,
    apiImage: images.apiImage.uri,
    workerImage: images.workerImage.uri,
    iamMode: config.iamMode,
    cpuArchitecture: PLATFORMS[config.arch].fargate,
    apiTasks: config.apiTasks,
    workerMinTasks: config.workerMinTasks,
    workerMaxTasks: config.workerMaxTasks,
    jobTiming: timing,
    logRetentionDays: config.logRetentionDays,
    databasePoolSize: config.databasePoolSize,
    paused: config.paused,
    apiUrlBeforePause: options.apiUrlBeforePause,
  })
  // Only with a bucket named.
  const { stateBucket: _own, ...bucketAws } = aws
  const stateBucket = config.stateBucket ? new StateBucketStack(app, STATE_BUCKET_STACK, { aws: bucketAws, bucket: config.stateBucket.bucket }) : undefined
  return { playground, core, images, services, ...(stateBucket ? { stateBucket } : {}) }
}
