import type pg from 'pg'
import { createLogger, createPool, type Logger, type ReceivedJob, type ReconcilerSettings } from '@taskoverflow/shared'
import { migrate } from '../../containers/shared/src/migrations.js'
import { createApi } from '../../containers/api/src/create-api.js'
import { createWorker, type Worker } from '../../containers/worker/src/create-worker.js'
import type { JobConsumer } from '../../containers/worker/src/consumer.js'
import type { JobOutcome } from '../../containers/worker/src/job-handler.js'
import { startTestDatabase, type TestDatabase } from './database.js'
import { startTestQueues, type TestQueueOptions, type TestQueues } from './queue.js'

export const testLogger: Logger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent')

export interface WorkerOptions {
  /** Replaces the real handler, e.g. to make every attempt fail. */
  readonly handleJobs?: (jobs: readonly ReceivedJob[]) => Promise<Map<string, JobOutcome>>
  readonly retryBaseSeconds?: number
  readonly delayMs?: number
}

/** The reconcilers' timing in tests: no pass within a test unless a test asks for one. */
const IDLE_RECONCILER: ReconcilerSettings = { intervalSeconds: 3_600, unsentAfterSeconds: 30, deadlineSeconds: 3_600, retentionDays: 7, progressWindowSeconds: 60, messageRetentionSeconds: 345_600 }

export interface AppOptions {
  readonly trustProxy?: boolean
  readonly exportsPerMinute?: number
  readonly todoWritesPerMinute?: number
  /** The API's reconciler. @default a pass an hour */
  readonly reconciler?: ReconcilerSettings
}

/**
 * The real API and worker in this process, wired to a database and an SQS emulator of this
 * test file's own, built as `server.ts` and `main.ts` build them (createApi, createWorker).
 */
export interface TestSystem {
  readonly apiUrl: string
  readonly pool: pg.Pool
  readonly queues: TestQueues
  readonly database: TestDatabase
  /** Starts a worker named `worker-1`, `worker-2`, ... publishing its counters every 200 ms. */
  startWorker(options?: WorkerOptions): JobConsumer
  /** Stops the worker of that name, as SIGTERM would. */
  stopWorker(name: string): Promise<void>
  close(): Promise<void>
}

export async function startTestSystem(queueOptions: TestQueueOptions = {}, appOptions: AppOptions = {}): Promise<TestSystem> {
  const database = await startTestDatabase()
  const queues = await startTestQueues(queueOptions)
  const pool = createPool({ url: database.url, poolSize: 10 }, testLogger)
  await migrate(pool, testLogger)
  const resources = { pool, sqs: queues.sqs, logger: testLogger }
  const api = createApi({ queueUrl: queues.queueUrl, deadLetterQueueUrl: queues.deadLetterUrl, reconciler: IDLE_RECONCILER, ...appOptions }, resources)
  await api.start()
  const workers: Worker[] = []
  let workersStarted = 0

  return {
    apiUrl: `${api.url}/api/v1`,
    pool,
    queues,
    database,
    startWorker(options = {}) {
      // As main.ts assembles it, with short waits for tests.
      const worker = createWorker(
        {
          name: `worker-${++workersStarted}`,
          statsIntervalMs: 200,
          gateRetryMs: 100,
          queueUrl: queues.queueUrl,
          maxReceives: queues.maxReceiveCount,
          delaySeconds: (options.delayMs ?? 0) / 1_000,
          waitTimeSeconds: 1,
          visibilityTimeoutSeconds: 30,
          retryBaseSeconds: options.retryBaseSeconds ?? 0,
          concurrency: 1,
          reconciler: IDLE_RECONCILER,
        },
        { ...resources, handleJobs: options.handleJobs },
      )
      void worker.start()
      workers.push(worker)
      return worker.consumer
    },
    async stopWorker(name) {
      const worker = workers.find((w) => w.name === name)
      if (!worker) throw new Error(`no worker named ${name}`)
      workers.splice(workers.indexOf(worker), 1)
      await worker.stop()
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.stop({ interactive: true })))
      await api.stop()
      await pool.end()
      await queues.close()
      await database.close()
    },
  }
}
