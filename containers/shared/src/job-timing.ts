/**
 * Job timing, owned here: the times (and the receives) the queue, the services and the stacks
 * must agree on. Whoever sets a system up (the stacks, npm start, the tests' cluster) calls
 * `jobTiming` once and hands its figures to the queue and the services, which read them as
 * settings. It imports nothing, so the CommonJS stacks load it as they are, with tsx or with
 * ts-node (tsconfig.json tells ts-node to load this one file as CommonJS).
 */

/** The worker's long poll: 20 s, SQS's longest and the cheapest when idle. */
export const LONG_POLL_SECONDS = 20

/** The most any one statement may take, client and server alike (db.ts). */
export const STATEMENT_TIMEOUT_SECONDS = 10

/**
 * Starting a batch, reading the todos and storing the calendar: a few statements, each of a few
 * milliseconds in the normal case; one statement timeout covers them. A reconciler pass stops
 * beside the drain, at its next retention batch, itself one statement.
 */
const STORE_BATCH_SECONDS = STATEMENT_TIMEOUT_SECONDS

/**
 * Receives of a job's message before SQS moves it to the dead-letter queue (the queue's
 * maxReceiveCount): the attempts a job gets.
 */
export const MAX_RECEIVES = 5

/** The job queue keeps a message 4 days, SQS's default, stated so that the deadline can count on it. */
const MESSAGE_RETENTION_SECONDS = 345_600

/** After the drain: write the counters a last time, close the pool, exit. */
const EXIT_SECONDS = 5

/**
 * How long a stopping worker waits for its work: a pending long poll returns within its wait,
 * the batch it brings takes the artificial delay, then storing it.
 */
export function workerDrainSeconds(delaySeconds: number, waitTimeSeconds: number = LONG_POLL_SECONDS): number {
  return waitTimeSeconds + delaySeconds + STORE_BATCH_SECONDS
}

/** ECS's time between SIGTERM and SIGKILL for a worker: its drain, then a clean exit. */
export function workerStopTimeoutSeconds(delaySeconds: number): number {
  return workerDrainSeconds(delaySeconds) + EXIT_SECONDS
}

/**
 * How long a received job stays hidden from other workers. The worker renews it every third of
 * it while a job runs, so it only matters when a worker dies: then the job comes back after this.
 */
export function visibilityTimeoutSeconds(delaySeconds: number): number {
  return Math.max(60, 2 * delaySeconds + 30)
}

/** The shortest deadline a job gets: 15 minutes. */
const MIN_DEADLINE_SECONDS = 900

/**
 * After six hours without activity SQS stops sending a queue's metrics to CloudWatch, and they
 * take up to 15 minutes to resume once a message wakes it ("Monitoring Amazon SQS queues using
 * CloudWatch", https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/monitoring-using-cloudwatch.html).
 * With no worker running, the backlog alarm that starts one may see the first job only that late.
 */
const SQS_METRICS_RESUME_SECONDS = 900

/** Then the alarm's one-minute period, the scaling step, and Fargate pulling the image and starting the task. */
const WORKER_START_SECONDS = 300

/**
 * How long after its first try an unfinished job is FAILURE (after its acceptance, when no worker
 * is taking jobs): every attempt a job can get (`maxReceives`, the queue's maxReceiveCount), each up
 * to a visibility timeout and the delay, and one more to spare; at least 15 minutes. When the
 * workers may scale to none, also the time the first one can take to start.
 */
export function jobDeadlineSeconds(options: { visibilityTimeoutSeconds: number; delaySeconds: number; maxReceives?: number; workersCanBeNone?: boolean }): number {
  const everyAttempt = ((options.maxReceives ?? MAX_RECEIVES) + 1) * (options.visibilityTimeoutSeconds + options.delaySeconds)
  return Math.max(MIN_DEADLINE_SECONDS, everyAttempt) + (options.workersCanBeNone ? SQS_METRICS_RESUME_SECONDS + WORKER_START_SECONDS : 0)
}

/** Everything about a job's time that the queue, the services and the stacks must agree on. */
export interface JobTiming {
  /** The worker's artificial delay per batch of jobs received together. */
  readonly delaySeconds: number
  /** The queue's long poll, and the worker's wait per receive. */
  readonly longPollSeconds: number
  /** How long a received job stays hidden from other workers (the queue's, and each receive's). */
  readonly visibilityTimeoutSeconds: number
  /** Receives before SQS moves a job's message to the dead-letter queue: the attempts a job gets. */
  readonly maxReceives: number
  /** How long after its first try an unfinished job is FAILURE (after its acceptance, when no worker is taking jobs). */
  readonly deadlineSeconds: number
  /** A worker that started a job this recently is making progress: one batch's longest time. */
  readonly progressWindowSeconds: number
  /** How long the job queue keeps a message: a job never taken by then can never be. */
  readonly messageRetentionSeconds: number
  /** ECS's time between SIGTERM and SIGKILL for a worker. */
  readonly workerStopTimeoutSeconds: number
}

export interface JobTimingOptions {
  /** @default 0 */
  readonly delaySeconds?: number
  /** @default MAX_RECEIVES */
  readonly maxReceives?: number
  /** @default the formula above, from the delay */
  readonly visibilityTimeoutSeconds?: number
  /** The workers may scale to none, so the first may start late. @default false */
  readonly workersCanBeNone?: boolean
  /** A deadline chosen instead of the formula's. */
  readonly deadlineSeconds?: number
}

/** The one computation of a system's job timing, from what its owner chose. */
export function jobTiming(options: JobTimingOptions = {}): JobTiming {
  const delaySeconds = options.delaySeconds ?? 0
  const maxReceives = options.maxReceives ?? MAX_RECEIVES
  const visibility = options.visibilityTimeoutSeconds ?? visibilityTimeoutSeconds(delaySeconds)
  return {
    delaySeconds,
    longPollSeconds: LONG_POLL_SECONDS,
    visibilityTimeoutSeconds: visibility,
    maxReceives,
    deadlineSeconds: options.deadlineSeconds ?? jobDeadlineSeconds({ visibilityTimeoutSeconds: visibility, delaySeconds, maxReceives, workersCanBeNone: options.workersCanBeNone }),
    workerStopTimeoutSeconds: workerStopTimeoutSeconds(delaySeconds),
    progressWindowSeconds: visibility + delaySeconds,
    messageRetentionSeconds: MESSAGE_RETENTION_SECONDS,
  }
}
