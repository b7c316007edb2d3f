import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs'
import type { Logger } from '@taskoverflow/shared'

export interface QueueCounts {
  readonly name: string
  /** Waiting to be received. */
  readonly available: number
  /** Received by a worker and not yet deleted or given back. */
  readonly inFlight: number
  /** Sent with a delay that has not passed yet. */
  readonly delayed: number
}

export type QueueReading =
  | { readonly checkedAt: Date; readonly jobs: QueueCounts; readonly deadLetter: QueueCounts | null }
  | { readonly checkedAt: Date; readonly error: string }

/**
 * What GET /pipeline says when SQS cannot be asked. Never SQS's own words: an AccessDenied names
 * the account id and the role's ARN, and the endpoint is public. The log has the detail.
 */
export const QUEUE_COUNTS_UNAVAILABLE = "SQS could not be asked for the queue's counts; the API's log says why"

const ATTRIBUTES = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const

/** The queue's name is the last part of its URL, on AWS and on the emulator alike. */
const queueName = (url: string) => url.slice(url.lastIndexOf('/') + 1)

/**
 * The job queue's and the dead-letter queue's message counts, as SQS estimates them. However
 * many pages ask, SQS is asked at most once per queue every `maxAgeMs`: a reading is shared
 * while it is that fresh, and callers arriving while one is under way wait for it. A failure is
 * a reading too, kept as long, so a queue that is away is not hammered.
 */
export class QueueGauge {
  private last: QueueReading | undefined
  private lastAt = Number.NEGATIVE_INFINITY
  private pending: Promise<QueueReading> | undefined

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly deadLetterUrl: string | undefined,
    private readonly logger: Logger,
    readonly maxAgeMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  read(): Promise<QueueReading> {
    if (this.pending) return this.pending
    if (this.last && this.now() - this.lastAt < this.maxAgeMs) return Promise.resolve(this.last)
    this.pending = this.ask().then((reading) => {
      // Fresh from when the answer came, not from when the question went.
      this.last = reading
      this.lastAt = this.now()
      this.pending = undefined
      return reading
    })
    return this.pending
  }

  private async ask(): Promise<QueueReading> {
    try {
      const [jobs, deadLetter] = await Promise.all([this.counts(this.queueUrl), this.deadLetterUrl ? this.counts(this.deadLetterUrl) : null])
      return { checkedAt: new Date(this.now()), jobs, deadLetter }
    } catch (err) {
      // Logged once per failed reading, which is kept maxAgeMs: however many pages ask.
      this.logger.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, "could not ask SQS for the queues' counts")
      return { checkedAt: new Date(this.now()), error: QUEUE_COUNTS_UNAVAILABLE }
    }
  }

  private async counts(url: string): Promise<QueueCounts> {
    const { Attributes = {} } = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [...ATTRIBUTES] }))
    return {
      name: queueName(url),
      available: Number(Attributes.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
    }
  }
}
