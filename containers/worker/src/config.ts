import { AWS_APP_ID, databaseFrom, jobSettingsFrom, readServiceEnv, sqsEndpointFrom, type DatabaseConfig, type ReconcilerSettings, type SqsConfig } from '@taskoverflow/shared'

export interface WorkerConfig {
  /** The reconciler's timing, the same as the API's; see reconciler.ts. */
  reconciler: ReconcilerSettings
  logLevel: string
  queueUrl: string
  database: DatabaseConfig
  sqs: SqsConfig
  /** Artificial delay per batch, while its jobs show STARTED, so a class can watch an export work. */
  delaySeconds: number
  /** Long-poll wait per ReceiveMessage (20 is the maximum and the cheapest when idle). */
  waitTimeSeconds: number
  /** How long a received job stays hidden from other workers; renewed while the job runs. */
  visibilityTimeoutSeconds: number
  /** First retry delay after a failed attempt; doubles with each attempt, up to 15 minutes. */
  retryBaseSeconds: number
  /** Attempts before FAILURE: the receives the queue gives a job before its dead-letter queue. */
  maxReceives: number
  /** How many receive loops run at once, each taking batches of up to 10 jobs. */
  concurrency: number
  /** The most every stored calendar may take together (calendar-storage.ts). */
  calendarStorageBytes: number
}

/** The worker's settings, read once from its environment (the declaration is service-env.ts). */
export function loadWorkerConfig(env: Record<string, string | undefined>): WorkerConfig {
  const e = readServiceEnv('worker', env)
  const { timing, reconciler } = jobSettingsFrom(e)
  return {
    logLevel: e.LOG_LEVEL,
    queueUrl: e.ICAL_QUEUE_URL,
    database: databaseFrom(e, 'worker'),
    // The request timeout must outlast the long poll.
    sqs: { region: e.AWS_REGION, endpoint: sqsEndpointFrom(e), requestTimeoutMs: (e.SQS_WAIT_TIME_SECONDS + 10) * 1_000, appId: AWS_APP_ID.worker },
    delaySeconds: timing.delaySeconds,
    waitTimeSeconds: e.SQS_WAIT_TIME_SECONDS,
    visibilityTimeoutSeconds: timing.visibilityTimeoutSeconds,
    retryBaseSeconds: e.RETRY_BASE_SECONDS,
    maxReceives: timing.maxReceives,
    concurrency: e.WORKER_CONCURRENCY,
    calendarStorageBytes: e.CALENDAR_STORAGE_MB * 1_048_576,
    reconciler,
  }
}
