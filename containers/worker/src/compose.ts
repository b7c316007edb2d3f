import { hostname } from 'node:os'
import type { SQSClient } from '@aws-sdk/client-sqs'
import { IcalJobRepository, PipelineRepository, serviceReconciler, TodoRepository, workerDrainSeconds, type Database, type Logger, type Reconciler } from '@taskoverflow/shared'
import { buildCalendar } from './calendar.js'
import type { WorkerConfig } from './config.js'
import { createJobConsumer, type JobConsumer } from './consumer.js'
import { DatabaseGate } from './database-gate.js'
import { createJobHandler } from './job-handler.js'
import { createStatsPublisher, WorkerStats } from './stats.js'

export interface WorkerDeps {
  readonly db: Database
  readonly sqs: SQSClient
  readonly logger: Logger
  readonly config: Pick<
    WorkerConfig,
    'queueUrl' | 'delaySeconds' | 'waitTimeSeconds' | 'visibilityTimeoutSeconds' | 'retryBaseSeconds' | 'concurrency' | 'reconciler'
  > &
    Partial<Pick<WorkerConfig, 'calendarStorageBytes'>>
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
    drainSeconds: workerDrainSeconds(config.delaySeconds, config.waitTimeSeconds),
    concurrency: config.concurrency,
    stats,
    handleJobs:
      deps.handleJobs ??
      createJobHandler({
        jobs,
        todos: new TodoRepository(deps.db),
        buildCalendar,
        logger,
        worker: name,
        maxAttempts: deps.maxAttempts,
        delayMs: config.delaySeconds * 1_000,
        calendarStorageBytes: config.calendarStorageBytes,
      }),
  })
  const reconciler = serviceReconciler({ db: deps.db, sqs: deps.sqs, queueUrl: config.queueUrl, logger, settings: config.reconciler })
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
      // Together: the consumer stops receiving at once, and a reconciler pass ends at its next
      // retention batch, within the drain the task's stop timeout allows (job-timing.ts).
      await Promise.all([reconciler.stop(), consumer.stop(options)])
      await publisher.stop()
    },
  }
}
