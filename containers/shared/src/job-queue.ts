import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { encodeJobMessage } from './job-message.js'

/** SQS takes at most ten messages per SendMessageBatch. */
const MAX_BATCH = 10

interface Pending {
  jobId: string
  resolve: () => void
  reject: (err: Error) => void
}

/**
 * The sending side of the ical queue. Sends made in the same tick (concurrent requests) go out
 * together as one SendMessageBatch of up to ten: one round trip instead of ten under load, and
 * no added wait when there is nothing to batch with. Each send still succeeds or fails alone.
 */
export class JobQueue {
  private pending: Pending[] = []
  private scheduled = false

  constructor(
    private readonly sqs: SQSClient,
    readonly queueUrl: string,
    /**
     * Told, once per batch, which jobs' messages SQS accepted, and when they were handed to it,
     * before their sends resolve (the API records them as sent). Its failure never fails a send:
     * the message is in the queue.
     */
    private readonly onSent?: (jobIds: string[], sentAt: Date) => Promise<void>,
  ) {}

  send(jobId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ jobId, resolve, reject })
      if (this.pending.length >= MAX_BATCH) this.flush()
      else if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  private flush(): void {
    this.scheduled = false
    while (this.pending.length > 0) void this.sendBatch(this.pending.splice(0, MAX_BATCH))
  }

  private async sendBatch(batch: Pending[]): Promise<void> {
    // A worker may receive a message before SQS's answer comes back, so "sent" is when it went.
    const sentAt = new Date()
    try {
      const { Failed } = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((item, i) => ({ Id: String(i), MessageBody: encodeJobMessage(item.jobId) })),
        }),
      )
      const failed = new Map((Failed ?? []).map((entry) => [entry.Id, entry]))
      const sent = batch.filter((_, i) => !failed.has(String(i))).map((item) => item.jobId)
      if (sent.length > 0) await this.onSent?.(sent, sentAt).catch(() => undefined)
      batch.forEach((item, i) => {
        const failure = failed.get(String(i))
        if (failure) item.reject(new Error(`SQS refused the message: ${failure.Code} ${failure.Message ?? ''}`.trim()))
        else item.resolve()
      })
    } catch (err) {
      for (const item of batch) item.reject(err instanceof Error ? err : new Error(String(err)))
    }
  }
}

