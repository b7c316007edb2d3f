import { GetQueueAttributesCommand, QueueDoesNotExist, type SQSClient } from '@aws-sdk/client-sqs'

import { waitUntil, type PollOptions } from './poll.js'

type Sqs = Pick<SQSClient, 'send'>

/**
 * The workers get this long to finish the jobs accepted before a pause. Unhurried they do
 * hundreds a second; failing ones back off for about a minute and a half before the dead-letter
 * queue takes them, and a demo delay of up to 85 s holds each batch.
 */
export const DRAIN_TIMEOUT_MS = 5 * 60_000

export type DrainOptions = PollOptions

/** Messages in the queue: waiting, being worked on, and waiting out a retry's back-off. */
export async function jobsInQueue(sqs: Sqs, queueUrl: string): Promise<number> {
  try {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }),
    )
    return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
  } catch (err) {
    if (err instanceof QueueDoesNotExist) return 0
    throw err
  }
}

/**
 * Waits, bounded, until the job queue is empty, so the jobs accepted before a pause end as they
 * would have (SUCCESS, or FAILURE after their attempts) rather than wait out the pause and meet
 * their deadline on resume. Resolves to the jobs still there when it stops waiting.
 */
export async function drainJobs(sqs: Sqs, queueUrl: string, options: DrainOptions = {}): Promise<number> {
  return waitUntil<number>(async (overdue) => {
    const jobs = await jobsInQueue(sqs, queueUrl)
    return jobs === 0 || overdue ? { done: jobs } : { waiting: `Waiting for the workers to finish ${jobs} job(s) accepted before the pause...` }
  }, { pollMs: 5_000, timeoutMs: DRAIN_TIMEOUT_MS }, options)
}
