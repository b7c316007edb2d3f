import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs'
import { startFauxqs } from 'fauxqs'

export interface TestQueues {
  readonly endpoint: string
  readonly sqs: SQSClient
  /** The job queue, with a dead-letter queue after `maxReceiveCount` receives. */
  readonly queueUrl: string
  readonly deadLetterUrl: string
  readonly maxReceiveCount: number
  close(): Promise<void>
}

export interface TestQueueOptions {
  /** @default 3 */
  readonly maxReceiveCount?: number
  /** @default 30 */
  readonly visibilityTimeoutSeconds?: number
}

/** A private SQS emulator (fauxqs) with an `ical` queue and its dead-letter queue. */
export async function startTestQueues(options: TestQueueOptions = {}): Promise<TestQueues> {
  const server = await startFauxqs({ port: 0, logger: false })
  const sqs = new SQSClient({ endpoint: server.address, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })
  const maxReceiveCount = options.maxReceiveCount ?? 3
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'ical-dlq' }))
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: 'ical',
      Attributes: {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 30),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
      },
    }),
  )
  return {
    endpoint: server.address,
    sqs,
    queueUrl: queue.QueueUrl!,
    deadLetterUrl: dlq.QueueUrl!,
    maxReceiveCount,
    async close() {
      sqs.destroy()
      await server.stop()
    },
  }
}
