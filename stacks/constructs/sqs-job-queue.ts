import { SqsQueue, type SqsQueueConfig } from '@cdktf/provider-aws/lib/sqs-queue'
import { SqsQueueRedriveAllowPolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy'
import { Fn } from 'cdktf'
import { Construct } from 'constructs'
import type { JobQueueShapes, QueueShape } from '../../containers/shared/src/queue-shapes'

export interface SqsJobQueueProps {
  /** The job queue and its dead-letter queue, as everything else that makes them describes them (queue-shapes.ts). */
  readonly shapes: JobQueueShapes
}

/** A queue's description as the AWS provider's arguments: what every queue of the stacks is made from. */
export function sqsQueueArguments(shape: QueueShape): Pick<SqsQueueConfig, 'name' | 'fifoQueue' | 'contentBasedDeduplication' | 'visibilityTimeoutSeconds' | 'receiveWaitTimeSeconds' | 'messageRetentionSeconds'> {
  return {
    name: shape.name,
    fifoQueue: shape.fifo,
    contentBasedDeduplication: shape.contentBasedDeduplication,
    visibilityTimeoutSeconds: shape.visibilityTimeoutSeconds,
    receiveWaitTimeSeconds: shape.receiveWaitTimeSeconds,
    messageRetentionSeconds: shape.messageRetentionSeconds,
  }
}

/**
 * The job queue: long polling, encryption at rest (SSE-SQS, no key to manage), and a
 * dead-letter queue that keeps messages that failed every attempt for 14 days.
 */
export class SqsJobQueue extends Construct {
  readonly queue: SqsQueue
  readonly deadLetterQueue: SqsQueue
  readonly visibilityTimeoutSeconds: number
  readonly maxReceiveCount: number

  constructor(scope: Construct, id: string, props: SqsJobQueueProps) {
    super(scope, id)
    const { queue, deadLetterQueue } = props.shapes
    this.visibilityTimeoutSeconds = queue.visibilityTimeoutSeconds ?? 30
    this.maxReceiveCount = queue.redrive?.maxReceiveCount ?? 0
    if (this.visibilityTimeoutSeconds < 0 || this.visibilityTimeoutSeconds > 43_200) {
      throw new Error(`SqsJobQueue ${queue.name}: visibilityTimeoutSeconds must be from 0 to 43200`)
    }
    if (queue.redrive?.deadLetterQueue !== deadLetterQueue.name) {
      throw new Error(`SqsJobQueue ${queue.name}: its redrive must name its dead-letter queue ${deadLetterQueue.name}, not ${queue.redrive?.deadLetterQueue ?? 'none'}`)
    }
    if (this.maxReceiveCount < 1 || this.maxReceiveCount > 1_000) throw new Error(`SqsJobQueue ${queue.name}: maxReceiveCount must be from 1 to 1000`)
    // SQS redrives a FIFO queue only to a FIFO queue and a standard one only to a standard one,
    // and says so only when the deploy creates the redrive, after the queues exist.
    const kind = (shape: QueueShape) => (shape.fifo ? 'FIFO' : 'standard')
    if (kind(queue) !== kind(deadLetterQueue)) {
      throw new Error(`SqsJobQueue ${queue.name}: the ${kind(queue)} queue ${queue.name} needs a ${kind(queue)} dead-letter queue, and ${deadLetterQueue.name} is ${kind(deadLetterQueue)}`)
    }

    this.deadLetterQueue = new SqsQueue(this, 'dead-letter', { ...sqsQueueArguments(deadLetterQueue), sqsManagedSseEnabled: true })
    this.queue = new SqsQueue(this, 'queue', {
      ...sqsQueueArguments(queue),
      sqsManagedSseEnabled: true,
      redrivePolicy: Fn.jsonencode({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount: this.maxReceiveCount }),
    })
    new SqsQueueRedriveAllowPolicy(this, 'dead-letter-sources', {
      queueUrl: this.deadLetterQueue.url,
      redriveAllowPolicy: Fn.jsonencode({ redrivePermission: 'byQueue', sourceQueueArns: [this.queue.arn] }),
    })
  }
}
