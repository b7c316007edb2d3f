import { hostname } from 'node:os'
import type { SQSClient } from '@aws-sdk/client-sqs'
import { IcalJobRepository, JobQueue, PipelineRepository, TodoRepository, type Database, type Logger } from '@taskoverflow/shared'
import { buildCalendar } from './calendar.js'
import type { WorkerConfig } from './config.js'
import { createJobConsumer, type JobConsumer } from './consumer.js'
import { DatabaseGate } from './database-gate.js'
import { createJobHandler } from './job-handler.js'
import { createReconciler, type Reconciler } from './reconciler.js'
import { createStatsPublisher, WorkerStats } from './stats.js'

export interface WorkerDeps {
  readonly db: Database
  readonly sqs: SQSClient
  readonly logger: Logger
  readonly config: Pick<
    WorkerConfig,
    'queueUrl' | 'delaySeconds' | 'waitTimeSeconds' | 'visibilityTimeoutSeconds' | 'retryBaseSeconds' | 'concurrency' | 'reconcileIntervalSeconds' | 'unsentAfterSeconds' | 'deadlineSeconds' | 'retentionDays'
  >
  /** Attempts before FAILURE: the queue's maxReceiveCount. */
  readonly maxAttempts: number
  /** How often a closed database gate checks the database again. @default the gate's own */
  readonly gateRetryMs?: number
  /** This worker in the jobs' timelines and the pipeline view. @default host name/process id */
  readonly name?: string
  /** How often the counters are written for the API to show. @default 5000 */
  readonly statsIntervalMs?: number
  /** Replaces the real job handler (tests). */
  readonly handleJobs?: Parameters<typeof createJobConsumer>[0]['handleJobs']
}

export interface Worker {
  readonly name: string
  readonly consumer: JobConsumer
  readonly reconciler: Reconciler
  start(): void
  stop(options?: { interactive?: boolean }): Promise<void>
}

/** The worker, assembled once: its entry point (main.ts) and the tests both use this. */
export function composeWorker(deps: WorkerDeps): Worker {
  const { config, logger } = deps
  const jobs = new IcalJobRepository(deps.db)
  const name = deps.name ?? `${hostname()}/${process.pid}`
  const stats = new WorkerStats(name)
  const publisher = createStatsPublisher(stats, new PipelineRepository(deps.db), deps.statsIntervalMs ?? 5_000, logger)
  const consumer = createJobConsumer({
    sqs: deps.sqs,
    queueUrl: config.queueUrl,
    gate: new DatabaseGate(deps.db, logger, deps.gateRetryMs),
    logger,
    waitTimeSeconds: config.waitTimeSeconds,
    visibilityTimeoutSeconds: config.visibilityTimeoutSeconds,
    retryBaseSeconds: config.retryBaseSeconds,
    concurrency: config.concurrency,
    stats,
    handleJobs:
      deps.handleJobs ??
      createJobHandler({ jobs, todos: new TodoRepository(deps.db), buildCalendar, logger, worker: name, maxAttempts: deps.maxAttempts, delayMs: config.delaySeconds * 1_000 }),
  })
  const reconciler = createReconciler({
    jobs,
    queue: new JobQueue(deps.sqs, config.queueUrl, (ids, sentAt) => jobs.markSent(ids, sentAt, 'sent again by the reconciler')),
    logger,
    intervalSeconds: config.reconcileIntervalSeconds,
    unsentAfterSeconds: config.unsentAfterSeconds,
    deadlineSeconds: config.deadlineSeconds,
    retentionDays: config.retentionDays,
  })
  return {
    name,
    consumer,
    reconciler,
    start() {
      consumer.start()
      reconciler.start()
      publisher.start()
    },
    async stop(options = {}) {
      await reconciler.stop()
      await consumer.stop(options)
      await publisher.stop()
    },
  }
}
