import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue'
import { TerraformOutput } from 'cdktf'
import type { Construct } from 'constructs'
import { PLAYGROUND_QUEUES } from '../containers/shared/src/queue-shapes'
import { AwsStack, type AwsStackSettings } from './aws-stack'
import { sqsQueueArguments } from './constructs/sqs-job-queue'

export interface QueuePlaygroundStackProps {
  readonly aws: AwsStackSettings
}

/** The first half of the practical: a standard and a FIFO queue to publish to and subscribe from. */
export class QueuePlaygroundStack extends AwsStack {
  readonly standardQueue: SqsQueue
  readonly fifoQueue: SqsQueue

  constructor(scope: Construct, id: string, props: QueuePlaygroundStackProps) {
    super(scope, id, props.aws)

    // The standard queue and the FIFO one, as the emulator and compose make them too.
    const [standard, fifo] = PLAYGROUND_QUEUES
    this.standardQueue = new SqsQueue(this, 'standard', sqsQueueArguments(standard!))
    this.fifoQueue = new SqsQueue(this, 'fifo', sqsQueueArguments(fifo!))

    new TerraformOutput(this, 'standard_queue_arn', { value: this.standardQueue.arn })
    new TerraformOutput(this, 'standard_queue_url', { value: this.standardQueue.url })
    new TerraformOutput(this, 'fifo_queue_arn', { value: this.fifoQueue.arn })
    new TerraformOutput(this, 'fifo_queue_url', { value: this.fifoQueue.url })
  }
}
