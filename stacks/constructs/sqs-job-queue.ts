import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue'
import { SqsQueueRedriveAllowPolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy'
import { Fn } from 'cdktf'
import { Construct } from 'constructs'
import { LONG_POLL_SECONDS, MAX_RECEIVES, visibilityTimeoutSeconds } from '../../containers/shared/src/job-timing'

export interface SqsJobQueueProps {
  /** Queue name; the dead-letter queue is NAME-dlq. */
  readonly name: string
  /**
   * How long a received job stays hidden from other workers. The worker renews it while a job
   * runs, so it only matters when a worker dies: then the job comes back after this long.
   * @default 60, what a worker without an artificial delay derives (job-timing.ts)
   */
  readonly visibilityTimeoutSeconds?: number
  /** Receives before a message is moved to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number
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
    this.visibilityTimeoutSeconds = props.visibilityTimeoutSeconds ?? visibilityTimeoutSeconds(0)
    this.maxReceiveCount = props.maxReceiveCount ?? MAX_RECEIVES
    if (this.visibilityTimeoutSeconds < 0 || this.visibilityTimeoutSeconds > 43_200) {
      throw new Error(`SqsJobQueue ${props.name}: visibilityTimeoutSeconds must be from 0 to 43200`)
    }
    if (this.maxReceiveCount < 1 || this.maxReceiveCount > 1_000) throw new Error(`SqsJobQueue ${props.name}: maxReceiveCount must be from 1 to 1000`)

    this.deadLetterQueue = new SqsQueue(this, 'dead-letter', {
      name: `${props.name}-dlq`,
      messageRetentionSeconds: 1_209_600,
      sqsManagedSseEnabled: true,
    })
    this.queue = new SqsQueue(this, 'queue', {
      name: props.name,
      visibilityTimeoutSeconds: this.visibilityTimeoutSeconds,
      receiveWaitTimeSeconds: LONG_POLL_SECONDS,
      sqsManagedSseEnabled: true,
      redrivePolicy: Fn.jsonencode({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount: this.maxReceiveCount }),
    })
    new SqsQueueRedriveAllowPolicy(this, 'dead-letter-sources', {
      queueUrl: this.deadLetterQueue.url,
      redriveAllowPolicy: Fn.jsonencode({ redrivePermission: 'byQueue', sourceQueueArns: [this.queue.arn] }),
    })
  }
}
