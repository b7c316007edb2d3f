/**
 * Every queue TaskOverflow has, described once: the job queue and its dead-letter queue (shaped
 * by the job timing), and the practical's playground queues. The stacks' constructs, the SQS
 * emulator's set-up (npm start, the tests) and compose's init file all render these. It imports
 * nothing at run time, so the CommonJS stacks load it as they are (tsconfig.json, ts-node).
 */
import type { JobTiming } from './job-timing.js'

export interface QueueShape {
  readonly name: string
  /** @default false */
  readonly fifo?: boolean
  /** Re-sending a body within five minutes is accepted but not delivered again. @default false */
  readonly contentBasedDeduplication?: boolean
  /** @default SQS's, 30 */
  readonly visibilityTimeoutSeconds?: number
  /** The long poll a receive gets when it asks for none. @default SQS's, 0 */
  readonly receiveWaitTimeSeconds?: number
  /** @default SQS's, 4 days */
  readonly messageRetentionSeconds?: number
  /** Messages received this many times move to that queue. */
  readonly redrive?: { readonly deadLetterQueue: string; readonly maxReceiveCount: number }
}

/** The job queue's name, as in the practical. */
export const JOB_QUEUE_NAME = 'ical'

/** The most SQS keeps a message: the dead-letter queue keeps every job that failed for someone to look at. */
const FOURTEEN_DAYS = 1_209_600

export interface JobQueueShapes {
  readonly queue: QueueShape
  readonly deadLetterQueue: QueueShape
}

/** The job queue NAME and its dead-letter queue NAME-dlq, as the job timing needs them. */
export function jobQueueShapes(timing: Pick<JobTiming, 'visibilityTimeoutSeconds' | 'longPollSeconds' | 'maxReceives' | 'messageRetentionSeconds'>, name: string = JOB_QUEUE_NAME): JobQueueShapes {
  const deadLetterQueue: QueueShape = { name: `${name}-dlq`, messageRetentionSeconds: FOURTEEN_DAYS }
  return {
    deadLetterQueue,
    queue: {
      name,
      visibilityTimeoutSeconds: timing.visibilityTimeoutSeconds,
      receiveWaitTimeSeconds: timing.longPollSeconds,
      messageRetentionSeconds: timing.messageRetentionSeconds,
      redrive: { deadLetterQueue: deadLetterQueue.name, maxReceiveCount: timing.maxReceives },
    },
  }
}

/** The practical's playground: a standard queue and a FIFO one (SPEC section 1). */
export const PLAYGROUND_QUEUES: readonly QueueShape[] = [
  { name: 'csse6400_prac' },
  { name: 'csse6400_prac.fifo', fifo: true, contentBasedDeduplication: true },
]

/** A queue's attributes as SQS's CreateQueue takes them; `arnOf` names its dead-letter queue's ARN. */
export function createQueueAttributes(shape: QueueShape, arnOf: (queueName: string) => string): Record<string, string> {
  const attributes: Record<string, string | number | boolean | undefined> = {
    FifoQueue: shape.fifo || undefined,
    ContentBasedDeduplication: shape.contentBasedDeduplication || undefined,
    VisibilityTimeout: shape.visibilityTimeoutSeconds,
    ReceiveMessageWaitTimeSeconds: shape.receiveWaitTimeSeconds,
    MessageRetentionPeriod: shape.messageRetentionSeconds,
    RedrivePolicy: shape.redrive && JSON.stringify({ deadLetterTargetArn: arnOf(shape.redrive.deadLetterQueue), maxReceiveCount: shape.redrive.maxReceiveCount }),
  }
  return Object.fromEntries(Object.entries(attributes).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]])))
}
