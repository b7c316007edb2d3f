import type { SQSClient } from '@aws-sdk/client-sqs'
import type { IcalJobRepository } from './ical-jobs.js'
import { JobQueue } from './job-queue.js'
import type { Logger } from './logger.js'

export interface DispatchOptions {
  /** Who sends, in the timelines' "sent" step: none for the API, whose send is the usual one. */
  readonly sentBy?: string
  /**
   * A job whose message SQS would not take: `unsend` gives it back for the reconciler to send on its
   * next pass; `remove` deletes it, for a job nobody was told of yet (the API answers 503 instead).
   */
  readonly whenRefused: 'unsend' | 'remove'
  readonly logger: Logger
}

/** What became of the jobs dispatched: those SQS took, those it refused, and why the first one was. */
export interface Dispatched {
  readonly sent: string[]
  readonly refused: string[]
  readonly reason?: Error
}

/**
 * The one home of sending a job: its message goes to the queue (sends made together batched by
 * JobQueue), each job SQS took is recorded as sent, with who sent it, and each it refused is
 * given back (or removed). The API's exports, the reconciler's resends and npm start's requeue
 * all send through this.
 */
export class JobDispatcher {
  private readonly queue: JobQueue

  constructor(
    sqs: SQSClient,
    queueUrl: string,
    private readonly jobs: Pick<IcalJobRepository, 'markSent' | 'unclaim' | 'remove'>,
    private readonly options: DispatchOptions,
  ) {
    // Recorded once per batch; unrecorded, the reconciler sends it again, and a duplicate message is harmless.
    this.queue = new JobQueue(sqs, queueUrl, (ids, sentAt) =>
      jobs.markSent(ids, sentAt, options.sentBy).catch((err: unknown) => options.logger.warn({ err: (err as Error).message, jobIds: ids }, 'could not record that the jobs were sent')),
    )
  }

  async dispatch(ids: readonly string[]): Promise<Dispatched> {
    const results = await Promise.allSettled(ids.map((id) => this.queue.send(id)))
    const refused = ids.filter((_, i) => results[i]!.status === 'rejected')
    const reason = results.find((result): result is PromiseRejectedResult => result.status === 'rejected')?.reason as Error | undefined
    if (refused.length > 0) {
      if (this.options.whenRefused === 'unsend') await this.jobs.unclaim(refused)
      else for (const id of refused) await this.jobs.remove(id)
    }
    return { sent: ids.filter((_, i) => results[i]!.status === 'fulfilled'), refused, reason }
  }
}
