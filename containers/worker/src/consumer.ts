import type { Message, SQSClient } from '@aws-sdk/client-sqs'
import { Consumer } from 'sqs-consumer'
import { decodeJobMessage, type Logger } from '@taskoverflow/shared'
import type { DatabaseGate } from './database-gate.js'
import type { Job, JobOutcome } from './job-handler.js'

export interface JobConsumerOptions {
  readonly sqs: SQSClient
  readonly queueUrl: string
  readonly handleJob: (job: Job) => Promise<JobOutcome>
  readonly gate: DatabaseGate
  readonly logger: Logger
  readonly waitTimeSeconds: number
  readonly visibilityTimeoutSeconds: number
  readonly retryBaseSeconds: number
  /** Independent receive loops; each handles a batch of up to 10 jobs at a time. */
  readonly concurrency: number
}

const MAX_RETRY_DELAY_SECONDS = 900

export interface JobConsumer {
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
 * The SQS side of the worker, built on sqs-consumer: long polling, batches of 10, the message
 * deleted only after its job is handled, visibility renewed while a job runs, and a failed
 * job made visible again after an exponential back-off instead of the full visibility timeout.
 */
export function createJobConsumer(options: JobConsumerOptions): JobConsumer {
  const loops = Array.from({ length: options.concurrency }, () => createLoop(options))
  return {
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

const receiveCount = (message: Message) => Number(message.Attributes?.ApproximateReceiveCount ?? 1)

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
    // Room for a pending long poll and the batch it brings; the task definition allows 60 s.
    pollingCompleteWaitTimeMs: (options.waitTimeSeconds + 25) * 1_000,
    preReceiveMessageCallback: () => options.gate.waitUntilUp(),
    terminateVisibilityTimeout: ([message]) =>
      Math.min(MAX_RETRY_DELAY_SECONDS, options.retryBaseSeconds * 2 ** (receiveCount(message!) - 1)),
    strictReturn: true,
    handleMessage: async (message) => {
      inFlight++
      try {
        const { jobId } = decodeJobMessage(message.Body)
        await options.handleJob({ jobId, attempt: receiveCount(message) })
        return message
      } catch (err) {
        options.gate.report(err)
        throw err
      } finally {
        inFlight--
      }
    },
  })
  consumer.on('error', (err) => {
    if (stopping && /aborted/i.test(err.message)) return
    options.logger.error({ err: err.message }, 'queue error')
  })
  consumer.on('processing_error', (err, message) =>
    options.logger.warn({ err: err.message, messageId: message.MessageId, attempt: receiveCount(message) }, 'job attempt failed'),
  )
  return { consumer, inFlight: () => inFlight, markStopping: () => (stopping = true) }
}
