import { ChangeMessageVisibilityBatchCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs'
import { Consumer, SQSError } from 'sqs-consumer'
import { decodeJobMessage, type Logger, type ReceivedJob } from '@taskoverflow/shared'
import type { DatabaseGate } from './database-gate.js'
import type { JobOutcome } from './job-handler.js'
import type { WorkerStats } from './stats.js'

export interface JobConsumerOptions {
  readonly sqs: SQSClient
  readonly queueUrl: string
  readonly handleJobs: (jobs: readonly ReceivedJob[]) => Promise<Map<string, JobOutcome>>
  readonly gate: DatabaseGate
  readonly logger: Logger
  readonly waitTimeSeconds: number
  readonly visibilityTimeoutSeconds: number
  readonly retryBaseSeconds: number
  /** How long a stop waits for a pending long poll and the batch it brings (job-timing.ts). */
  readonly drainSeconds: number
  /** Independent receive loops; each handles a batch of up to 10 jobs at a time. */
  readonly concurrency: number
  /** Counts receives, empty receives, handled messages and retries. */
  readonly stats: WorkerStats
}

const MAX_RETRY_DELAY_SECONDS = 900

export interface JobConsumer {
  /** How long a stop waits for a pending long poll and the batch it brings. */
  readonly drainSeconds: number
  /** Jobs being worked on now, in every loop. */
  inFlight(): number
  start(): void
  /**
   * Lets jobs in flight finish and be deleted, and lets a pending long poll return (at most its
   * wait, 20 s) and handles what it brings: SQS may hand messages to a poll whose client has gone,
   * and those would stay hidden for the whole visibility timeout. With `interactive` (Ctrl-C), an
   * idle poll is cancelled at once instead.
   */
  stop(options?: { interactive?: boolean }): Promise<void>
}

/**
 * The SQS side of the worker, built on sqs-consumer: long polling, batches of 10 handled as one,
 * visibility renewed while they run, the jobs that succeeded deleted in one request, and those
 * that failed made visible again after an exponential back-off instead of the full timeout.
 */
export function createJobConsumer(options: JobConsumerOptions): JobConsumer {
  const loops = Array.from({ length: options.concurrency }, () => createLoop(options))
  return {
    drainSeconds: options.drainSeconds,
    inFlight: () => loops.reduce((sum, loop) => sum + loop.inFlight(), 0),
    start() {
      for (const loop of loops) loop.consumer.start()
    },
    async stop(stopOptions = {}) {
      options.gate.close()
      await Promise.all(
        loops.map(({ consumer, inFlight, markStopping }) => {
          markStopping()
          // Not events.once: the aborted poll emits 'error', which would reject it.
          const stopped = new Promise<void>((resolve) => consumer.once('stopped', () => resolve()))
          // Aborting would also cancel the deletes of jobs in flight, so only an idle poll is aborted.
          consumer.stop({ abort: stopOptions.interactive === true && inFlight() === 0 })
          return stopped
        }),
      )
    },
  }
}

/**
 * The request a stop cancelled: sqs-consumer wraps the SDK's error in an SQSError whose `code` is
 * the SDK's `name`, AbortError for a request cancelled through its abort signal.
 */
const isCancelledRequest = (err: Error) => (err instanceof SQSError ? err.code : err.name) === 'AbortError'

const receiveCount = (message: Message) => Number(message.Attributes?.ApproximateReceiveCount ?? 1)

/**
 * The jobs a batch names: the same job twice (a redelivery) is worked on once, at its higher
 * attempt. A message that names no job is left for the queue to retry and, in the end, to move to
 * the dead-letter queue.
 */
function decodeBatch(messages: readonly Message[], receivedAt: Date, logger: Logger) {
  const jobs = new Map<string, ReceivedJob>()
  const jobIdOf = new Map<Message, string>()
  const undecodable: Message[] = []
  for (const message of messages) {
    try {
      const { jobId } = decodeJobMessage(message.Body)
      jobIdOf.set(message, jobId)
      const attempt = Math.max(receiveCount(message), jobs.get(jobId)?.attempt ?? 0)
      jobs.set(jobId, { jobId, attempt, receivedAt })
    } catch (err) {
      logger.error({ err: (err as Error).message, messageId: message.MessageId }, 'undecodable message')
      undecodable.push(message)
    }
  }
  return { jobs, jobIdOf, undecodable }
}

/** Makes failed messages visible again after an exponential back-off instead of the full timeout. */
async function retryLater(options: JobConsumerOptions, messages: readonly Message[]): Promise<void> {
  if (messages.length === 0) return
  const backoff = (message: Message) => Math.min(MAX_RETRY_DELAY_SECONDS, options.retryBaseSeconds * 2 ** (receiveCount(message) - 1))
  await options.sqs
    .send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: messages.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: backoff(message) })),
      }),
    )
    // If this fails the messages simply come back after the visibility timeout.
    .catch((err: unknown) => options.logger.warn({ err: (err as Error).message }, 'could not schedule retries'))
}

/** Handles a batch as one piece of work; resolves to the messages to delete, the others retried. */
async function handleBatch(options: JobConsumerOptions, messages: readonly Message[]): Promise<Message[]> {
  const { jobs, jobIdOf, undecodable } = decodeBatch(messages, new Date(), options.logger)
  const outcomes = jobs.size > 0 ? await options.handleJobs([...jobs.values()]) : new Map<string, JobOutcome>()
  const done: Message[] = []
  const retry: Message[] = [...undecodable]
  for (const [message, jobId] of jobIdOf) {
    const outcome = outcomes.get(jobId)
    if (outcome?.ok) done.push(message)
    else {
      if (outcome) options.gate.report(outcome.error)
      retry.push(message)
    }
  }
  await retryLater(options, retry)
  options.stats.handled(done.length)
  options.stats.retried(retry.length)
  return done
}

interface Loop {
  consumer: Consumer
  inFlight: () => number
  markStopping: () => void
}

function createLoop(options: JobConsumerOptions): Loop {
  let inFlight = 0
  let stopping = false
  const consumer = Consumer.create({
    sqs: options.sqs,
    queueUrl: options.queueUrl,
    batchSize: 10,
    waitTimeSeconds: options.waitTimeSeconds,
    visibilityTimeout: options.visibilityTimeoutSeconds,
    heartbeatInterval: Math.max(1, Math.floor(options.visibilityTimeoutSeconds / 3)),
    messageSystemAttributeNames: ['ApproximateReceiveCount'],
    // The task's stopTimeout is this and a few seconds to exit, from the same formula.
    pollingCompleteWaitTimeMs: options.drainSeconds * 1_000,
    preReceiveMessageCallback: () => options.gate.waitUntilUp(),
    handleMessageBatch: async (messages) => {
      options.stats.received(messages.length)
      inFlight += messages.length
      try {
        return await handleBatch(options, messages)
      } finally {
        inFlight -= messages.length
      }
    },
  })
  consumer.on('empty', () => options.stats.emptyReceive())
  consumer.on('error', (err) => {
    if (stopping && isCancelledRequest(err)) return
    options.logger.error({ err: err.message }, 'queue error')
  })
  return { consumer, inFlight: () => inFlight, markStopping: () => (stopping = true) }
}
