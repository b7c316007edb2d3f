import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { startEmbeddedSqs } from '../../scripts/local/embedded-sqs.js'
import { jobTiming } from '@taskoverflow/shared'
import { createJobQueues } from '../../scripts/local/queues.js'

export interface TestQueues {
  readonly endpoint: string
  readonly sqs: SQSClient
  /** The job queue, with a dead-letter queue after `maxReceiveCount` receives. */
  readonly queueUrl: string
  readonly deadLetterUrl: string
  readonly maxReceiveCount: number
  close(): Promise<void>
}

/** The job queue's receives and visibility timeout: unless given, 3 and 30 s, shorter than the deployed queue's for tests. */
export interface TestQueueOptions {
  readonly maxReceiveCount?: number
  readonly visibilityTimeoutSeconds?: number
}

/** A private SQS emulator with an `ical` queue and its dead-letter queue. */
export async function startTestQueues(options: TestQueueOptions = {}): Promise<TestQueues> {
  const emulator = await startEmbeddedSqs({ enforceRules: true })
  const maxReceiveCount = options.maxReceiveCount ?? 3
  const queues = await createJobQueues(emulator.sqs, jobTiming({ maxReceives: maxReceiveCount, visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30 }))
  return { ...queues, endpoint: emulator.endpoint, sqs: emulator.sqs, maxReceiveCount, close: emulator.close }
}

/** Messages in a queue: visible, in flight and delayed. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  )
  return Number(Attributes!.ApproximateNumberOfMessages) + Number(Attributes!.ApproximateNumberOfMessagesNotVisible) + Number(Attributes!.ApproximateNumberOfMessagesDelayed)
}
