import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { LONG_POLL_SECONDS, MAX_RECEIVES, visibilityTimeoutSeconds } from '@taskoverflow/shared'

export interface JobQueueOptions {
  /** @default 5, as the deployed queue */
  readonly maxReceiveCount?: number
  /** @default 60, as the deployed queue */
  readonly visibilityTimeoutSeconds?: number
  /** @default 'ical' */
  readonly name?: string
}

/** The `ical` job queue and its dead-letter queue, shaped like the deployed pair. */
export async function createJobQueues(sqs: SQSClient, options: JobQueueOptions = {}): Promise<{ queueUrl: string; deadLetterUrl: string }> {
  const name = options.name ?? 'ical'
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq`, Attributes: { MessageRetentionPeriod: '1209600' } }))
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? visibilityTimeoutSeconds(0)),
        ReceiveMessageWaitTimeSeconds: String(LONG_POLL_SECONDS),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: options.maxReceiveCount ?? MAX_RECEIVES }),
      },
    }),
  )
  return { queueUrl: queue.QueueUrl!, deadLetterUrl: dlq.QueueUrl! }
}

/** The two queues of the practical's playground (SPEC section 1). */
export async function createPlaygroundQueues(sqs: SQSClient): Promise<Record<string, string>> {
  const standard = await sqs.send(new CreateQueueCommand({ QueueName: 'csse6400_prac' }))
  const fifo = await sqs.send(new CreateQueueCommand({ QueueName: 'csse6400_prac.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }))
  return { csse6400_prac: standard.QueueUrl!, 'csse6400_prac.fifo': fifo.QueueUrl! }
}
