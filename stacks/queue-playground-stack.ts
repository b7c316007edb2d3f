import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue'
import { TerraformOutput } from 'cdktf'
import type { Construct } from 'constructs'
import { AwsStack, type AwsStackSettings } from './aws-stack'

export interface QueuePlaygroundStackProps {
  readonly aws: AwsStackSettings
}

/** The first half of the practical: a standard and a FIFO queue to publish to and subscribe from. */
export class QueuePlaygroundStack extends AwsStack {
  readonly standardQueue: SqsQueue
  readonly fifoQueue: SqsQueue

  constructor(scope: Construct, id: string, props: QueuePlaygroundStackProps) {
    super(scope, id, props.aws)

    this.standardQueue = new SqsQueue(this, 'standard', { name: 'csse6400_prac' })
    this.fifoQueue = new SqsQueue(this, 'fifo', {
      name: 'csse6400_prac.fifo',
      fifoQueue: true,
      // Re-sending a body within five minutes is accepted but not delivered again.
      contentBasedDeduplication: true,
    })

    new TerraformOutput(this, 'standard_queue_arn', { value: this.standardQueue.arn })
    new TerraformOutput(this, 'standard_queue_url', { value: this.standardQueue.url })
    new TerraformOutput(this, 'fifo_queue_arn', { value: this.fifoQueue.arn })
    new TerraformOutput(this, 'fifo_queue_url', { value: this.fifoQueue.url })
  }
}
