import { databaseFromEnv, field, onePasswordSource, sqsEndpointFrom, parseEnv, serviceEnv, type DatabaseConfig, type SqsConfig } from '@taskoverflow/shared'

export interface WorkerConfig {
  /** How often the reconciler runs; see reconciler.ts. */
  reconcileIntervalSeconds: number
  /** A PENDING job never sent after this long is sent again. */
  unsentAfterSeconds: number
  /** Every accepted job is SUCCESS or FAILURE this long after acceptance (plus one interval). */
  deadlineSeconds: number
  /** Finished jobs and their calendars are kept this many days. */
  retentionDays: number
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

export function loadWorkerConfig(env: Record<string, string | undefined>): WorkerConfig {
  const e = parseEnv(
    {
      ...serviceEnv,
      WORKER_DELAY_SECONDS: field.integer(0, 3_600).default(0),
      SQS_WAIT_TIME_SECONDS: field.integer(0, 20).default(20),
      SQS_VISIBILITY_TIMEOUT_SECONDS: field.integer(3, 43_200).default(60),
      RETRY_BASE_SECONDS: field.integer(0, 900).default(5),
      MAX_ATTEMPTS: field.integer(1, 1_000).default(5),
      WORKER_CONCURRENCY: field.integer(1, 64).default(1),
      RECONCILE_INTERVAL_SECONDS: field.integer(1, 3_600).default(15),
      JOB_UNSENT_AFTER_SECONDS: field.integer(1, 3_600).default(30),
      JOB_DEADLINE_SECONDS: field.integer(10, 604_800).optional(),
      JOB_RETENTION_DAYS: field.integer(1, 3_650).default(7),
    },
    env,
    [onePasswordSource],
  )
  return {
    logLevel: e.LOG_LEVEL,
    queueUrl: e.ICAL_QUEUE_URL,
    database: databaseFromEnv(e),
    // The request timeout must outlast the 20 s long poll.
    sqs: { region: e.AWS_REGION, endpoint: sqsEndpointFrom(e), requestTimeoutMs: (e.SQS_WAIT_TIME_SECONDS + 10) * 1_000 },
    delaySeconds: e.WORKER_DELAY_SECONDS,
    waitTimeSeconds: e.SQS_WAIT_TIME_SECONDS,
    visibilityTimeoutSeconds: e.SQS_VISIBILITY_TIMEOUT_SECONDS,
    retryBaseSeconds: e.RETRY_BASE_SECONDS,
    maxAttempts: e.MAX_ATTEMPTS,
    concurrency: e.WORKER_CONCURRENCY,
    reconcileIntervalSeconds: e.RECONCILE_INTERVAL_SECONDS,
    unsentAfterSeconds: e.JOB_UNSENT_AFTER_SECONDS,
    // Long enough for every attempt a job can get (five by default), each up to a visibility timeout.
    retentionDays: e.JOB_RETENTION_DAYS,
    deadlineSeconds: e.JOB_DEADLINE_SECONDS ?? Math.max(900, 6 * (e.SQS_VISIBILITY_TIMEOUT_SECONDS + e.WORKER_DELAY_SECONDS)),
  }
}
