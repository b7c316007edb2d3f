import { hostname } from 'node:os'
import { IcalJobRepository, PipelineRepository, serviceReconciler, TodoRepository, workerDrainSeconds, type BuiltFrom, type Reconciler, type Service } from '@taskoverflow/shared'
import { buildCalendar } from './calendar.js'
import type { WorkerConfig } from './config.js'
import { createJobConsumer, type JobConsumer } from './consumer.js'
import { DatabaseGate } from './database-gate.js'
import { createJobHandler } from './job-handler.js'
import { createStatsPublisher, WorkerStats } from './stats.js'

/** What the worker is built from, of its settings (config.ts), and what only tests change. */
export type WorkerSettings = Pick<WorkerConfig, 'queueUrl' | 'delaySeconds' | 'waitTimeSeconds' | 'visibilityTimeoutSeconds' | 'retryBaseSeconds' | 'concurrency' | 'maxReceives' | 'reconciler'> &
  Partial<Pick<WorkerConfig, 'calendarStorageBytes'>> & {
    /** How often a closed database gate checks the database again. @default the gate's own */
    readonly gateRetryMs?: number
    /** This worker in the jobs' timelines and the pipeline view. @default host name/process id */
    readonly name?: string
    /** How often the counters are written for the API to show. @default 5000 */
    readonly statsIntervalMs?: number
  }

/** The worker's resources; `handleJobs` replaces the real job handler (tests). */
export type WorkerResources = BuiltFrom & { readonly handleJobs?: Parameters<typeof createJobConsumer>[0]['handleJobs'] }

export interface Worker extends Service {
  readonly name: string
  readonly consumer: JobConsumer
  readonly reconciler: Reconciler
}

/** The worker, assembled once: its entry point (main.ts, through runService) and the tests both build it here. */
export function createWorker(config: WorkerSettings, resources: WorkerResources): Worker {
  const { logger, pool: db } = resources
  const jobs = new IcalJobRepository(db)
  const name = config.name ?? `${hostname()}/${process.pid}`
  const stats = new WorkerStats(name)
  const publisher = createStatsPublisher(stats, new PipelineRepository(db), config.statsIntervalMs ?? 5_000, logger)
  const consumer = createJobConsumer({
    sqs: resources.sqs,
    queueUrl: config.queueUrl,
    gate: new DatabaseGate(db, logger, config.gateRetryMs),
    logger,
    waitTimeSeconds: config.waitTimeSeconds,
    visibilityTimeoutSeconds: config.visibilityTimeoutSeconds,
    retryBaseSeconds: config.retryBaseSeconds,
    drainSeconds: workerDrainSeconds(config.delaySeconds, config.waitTimeSeconds),
    concurrency: config.concurrency,
    stats,
    handleJobs:
      resources.handleJobs ??
      createJobHandler({
        jobs,
        todos: new TodoRepository(db),
        buildCalendar,
        logger,
        worker: name,
        maxReceives: config.maxReceives,
        delayMs: config.delaySeconds * 1_000,
        calendarStorageBytes: config.calendarStorageBytes,
      }),
  })
  const reconciler = serviceReconciler({ db, sqs: resources.sqs, queueUrl: config.queueUrl, logger, settings: config.reconciler })
  return {
    name,
    consumer,
    reconciler,
    async start() {
      consumer.start()
      reconciler.start()
      publisher.start()
      logger.info({ queueUrl: config.queueUrl, delaySeconds: config.delaySeconds, maxReceives: config.maxReceives, concurrency: config.concurrency, deadlineSeconds: config.reconciler.deadlineSeconds }, 'worker polling')
    },
    async stop(options = {}) {
      // Someone at a terminal waits through the artificial delay: say why nothing seems to happen.
      const inHand = consumer.inFlight()
      if (options.interactive && inHand > 0 && config.delaySeconds > 0) {
        logger.warn(`finishing the ${inHand} job${inHand === 1 ? '' : 's'} in hand first (WORKER_DELAY_SECONDS=${config.delaySeconds}), then stopping`)
      }
      // Together: the consumer stops receiving at once, and a reconciler pass ends at its next
      // retention batch, within the drain the task's stop timeout allows (job-timing.ts).
      await Promise.all([reconciler.stop(), consumer.stop(options)])
      await publisher.stop()
    },
  }
}
