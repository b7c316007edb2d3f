import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js'
import { SqsQueueRedriveAllowPolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy/index.js'
import { describe, expect, it } from '@jest/globals'
import type { JobQueueShapes, QueueShape } from '../../../containers/shared/src/queue-shapes.js'
import { SqsJobQueue } from '../../../stacks/constructs/sqs-job-queue.js'
import { address, ref, resources, synthConstruct } from './synth-construct.js'

const DEAD_LETTER: QueueShape = { name: 'jobs-dlq', messageRetentionSeconds: 1_209_600 }
const JOBS: QueueShape = { name: 'jobs', visibilityTimeoutSeconds: 90, receiveWaitTimeSeconds: 20, messageRetentionSeconds: 345_600, redrive: { deadLetterQueue: 'jobs-dlq', maxReceiveCount: 5 } }

function synthQueue(queue: Partial<QueueShape> = {}, deadLetterQueue: Partial<QueueShape> = {}) {
  const shapes: JobQueueShapes = { queue: { ...JOBS, ...queue }, deadLetterQueue: { ...DEAD_LETTER, ...deadLetterQueue } }
  return synthConstruct((scope) => new SqsJobQueue(scope, 'jobs', { shapes }))
}

describe('SqsJobQueue', () => {
  it('makes each queue as its shape describes it, both encrypted at rest by SQS, with no key to manage', () => {
    const { synthesized } = synthQueue()
    expect(synthesized).toHaveResourceWithProperties(SqsQueue, { name: 'jobs', visibility_timeout_seconds: 90, receive_wait_time_seconds: 20, message_retention_seconds: 345_600, sqs_managed_sse_enabled: true })
    expect(synthesized).toHaveResourceWithProperties(SqsQueue, { name: 'jobs-dlq', message_retention_seconds: 1_209_600, sqs_managed_sse_enabled: true })
    expect(Object.keys(resources(synthesized, 'aws_sqs_queue'))).toHaveLength(2)
  })

  it('makes FIFO queues, deduplicating by content, when the shapes say so', () => {
    const fifo = { fifo: true, contentBasedDeduplication: true }
    const { synthesized } = synthQueue({ name: 'jobs.fifo', redrive: { deadLetterQueue: 'jobs-dlq.fifo', maxReceiveCount: 5 }, ...fifo }, { name: 'jobs-dlq.fifo', ...fifo })
    for (const name of ['jobs.fifo', 'jobs-dlq.fifo']) expect(synthesized).toHaveResourceWithProperties(SqsQueue, { name, fifo_queue: true, content_based_deduplication: true })
  })

  it("moves a job to its dead-letter queue once it has been received as often as the shape allows", () => {
    const { synthesized, made } = synthQueue({ redrive: { deadLetterQueue: 'jobs-dlq', maxReceiveCount: 7 } })
    expect(synthesized).toHaveResourceWithProperties(SqsQueue, {
      name: 'jobs',
      redrive_policy: `\${jsonencode({"deadLetterTargetArn" = ${address(made.deadLetterQueue)}.arn, "maxReceiveCount" = 7})}`,
    })
    expect(made.maxReceiveCount).toBe(7)
  })

  it('lets only the job queue send to its dead-letter queue', () => {
    const { synthesized, made } = synthQueue()
    expect(synthesized).toHaveResourceWithProperties(SqsQueueRedriveAllowPolicy, {
      queue_url: ref(made.deadLetterQueue, 'url'),
      redrive_allow_policy: `\${jsonencode({"redrivePermission" = "byQueue", "sourceQueueArns" = [${address(made.queue)}.arn]})}`,
    })
  })

  it("tells the services the job queue's visibility timeout: the shape's, or SQS's 30 s when it names none", () => {
    expect(synthQueue().made.visibilityTimeoutSeconds).toBe(90)
    const { synthesized, made } = synthQueue({ visibilityTimeoutSeconds: undefined })
    expect(made.visibilityTimeoutSeconds).toBe(30)
    expect(Object.values(resources(synthesized, 'aws_sqs_queue')).find((queue) => queue.name === 'jobs')).not.toHaveProperty('visibility_timeout_seconds')
  })

  it.each([-1, 43_201])('refuses a visibility timeout of %i s, beyond what SQS allows', (visibilityTimeoutSeconds) => {
    expect(() => synthQueue({ visibilityTimeoutSeconds })).toThrow('SqsJobQueue jobs: visibilityTimeoutSeconds must be from 0 to 43200')
  })

  it('accepts the visibility timeouts at either end of what SQS allows', () => {
    for (const visibilityTimeoutSeconds of [0, 43_200]) expect(synthQueue({ visibilityTimeoutSeconds }).made.visibilityTimeoutSeconds).toBe(visibilityTimeoutSeconds)
  })

  it('refuses a redrive to any queue but its own dead-letter queue, naming both', () => {
    expect(() => synthQueue({ redrive: { deadLetterQueue: 'other-dlq', maxReceiveCount: 5 } })).toThrow('SqsJobQueue jobs: its redrive must name its dead-letter queue jobs-dlq, not other-dlq')
  })

  it('refuses a job queue without a redrive, whose failed jobs would go nowhere', () => {
    expect(() => synthQueue({ redrive: undefined })).toThrow('SqsJobQueue jobs: its redrive must name its dead-letter queue jobs-dlq, not none')
  })

  it.each([0, 1_001])('refuses to dead-letter a job after %i receives, beyond what SQS allows', (maxReceiveCount) => {
    expect(() => synthQueue({ redrive: { deadLetterQueue: 'jobs-dlq', maxReceiveCount } })).toThrow('SqsJobQueue jobs: maxReceiveCount must be from 1 to 1000')
  })

  it('refuses a FIFO queue with a standard dead-letter queue, and a standard one with a FIFO one, naming both', () => {
    const fifoJobs = { name: 'jobs.fifo', fifo: true, redrive: { deadLetterQueue: 'jobs-dlq', maxReceiveCount: 5 } }
    expect(() => synthQueue(fifoJobs)).toThrow('SqsJobQueue jobs.fifo: the FIFO queue jobs.fifo needs a FIFO dead-letter queue, and jobs-dlq is standard')
    const fifoDeadLetter = { name: 'jobs-dlq.fifo', fifo: true }
    expect(() => synthQueue({ redrive: { deadLetterQueue: 'jobs-dlq.fifo', maxReceiveCount: 5 } }, fifoDeadLetter)).toThrow('SqsJobQueue jobs: the standard queue jobs needs a standard dead-letter queue, and jobs-dlq.fifo is FIFO')
  })

  it('accepts the receive counts at either end of what SQS allows', () => {
    for (const maxReceiveCount of [1, 1_000]) expect(synthQueue({ redrive: { deadLetterQueue: 'jobs-dlq', maxReceiveCount } }).made.maxReceiveCount).toBe(maxReceiveCount)
  })
})
