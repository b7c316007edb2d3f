import {
  AWS_APP_ID,
  databaseFromEnv,
  field,
  jobTimingEnv,
  jobTimingFrom,
  LONG_POLL_SECONDS,
  MAX_RECEIVES,
  onePasswordSource,
  parseEnv,
  serviceEnv,
  sqsEndpointFrom,
  type DatabaseConfig,
  type ReconcilerSettings,
  type SqsConfig,
} from '@taskoverflow/shared'

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
  /** Attempts before FAILURE when the queue has no redrive policy to say otherwise. */
  maxAttempts: number
  /** How many receive loops run at once, each taking batches of up to 10 jobs. */
  concurrency: number
}

/** The settings; `attempts`, the queue's maxReceiveCount once read, sizes the job deadline. */
export function loadWorkerConfig(env: Record<string, string | undefined>, attempts?: number): WorkerConfig {
  const e = parseEnv(
    {
      ...serviceEnv,
      ...jobTimingEnv,
      SQS_WAIT_TIME_SECONDS: field.integer(0, 20).default(LONG_POLL_SECONDS),
      RETRY_BASE_SECONDS: field.integer(0, 900).default(5),
      MAX_ATTEMPTS: field.integer(1, 1_000).default(MAX_RECEIVES),
      WORKER_CONCURRENCY: field.integer(1, 64).default(1),
    },
    env,
    [onePasswordSource],
  )
  const timing = jobTimingFrom(e, attempts ?? e.MAX_ATTEMPTS)
  return {
    logLevel: e.LOG_LEVEL,
    queueUrl: e.ICAL_QUEUE_URL,
    database: databaseFromEnv(e, AWS_APP_ID.worker),
    // The request timeout must outlast the 20 s long poll.
    sqs: { region: e.AWS_REGION, endpoint: sqsEndpointFrom(e), requestTimeoutMs: (e.SQS_WAIT_TIME_SECONDS + 10) * 1_000, appId: AWS_APP_ID.worker },
    delaySeconds: timing.delaySeconds,
    waitTimeSeconds: e.SQS_WAIT_TIME_SECONDS,
    visibilityTimeoutSeconds: timing.visibilityTimeoutSeconds,
    retryBaseSeconds: e.RETRY_BASE_SECONDS,
    maxAttempts: e.MAX_ATTEMPTS,
    concurrency: e.WORKER_CONCURRENCY,
    reconciler: timing.reconciler,
  }
}
