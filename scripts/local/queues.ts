import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { jobTiming, type JobTiming } from '@taskoverflow/shared'
import { createQueueAttributes, jobQueueShapes, PLAYGROUND_QUEUES, type QueueShape } from '../../containers/shared/src/queue-shapes.js'

/** Makes the queues described (queue-shapes.ts) in an emulator, a dead-letter queue before those that name it; their URLs by name. */
export async function createQueues(sqs: SQSClient, shapes: readonly QueueShape[]): Promise<Record<string, string>> {
  const urls: Record<string, string> = {}
  const arns: Record<string, string> = {}
  for (const shape of shapes) {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: shape.name, Attributes: createQueueAttributes(shape, (name) => arns[name]!) }))
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))
    urls[shape.name] = QueueUrl!
    arns[shape.name] = Attributes!.QueueArn!
  }
  return urls
}

/** The job queue and its dead-letter queue, shaped by the job timing as the deployed pair is. */
export async function createJobQueues(sqs: SQSClient, timing: JobTiming, name?: string): Promise<{ queueUrl: string; deadLetterUrl: string }> {
  const { queue, deadLetterQueue } = jobQueueShapes(timing, name)
  const urls = await createQueues(sqs, [deadLetterQueue, queue])
  return { queueUrl: urls[queue.name]!, deadLetterUrl: urls[deadLetterQueue.name]! }
}

/** The two queues of the practical's playground (SPEC section 1). */
export const createPlaygroundQueues = (sqs: SQSClient) => createQueues(sqs, PLAYGROUND_QUEUES)

/** The account and region the emulator puts every queue in. */
const EMULATOR_ARN = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`

/**
 * compose/fauxqs-init.json, the queues compose's emulator makes at start: the job queues for the
 * job timing compose's services are given (the default one) and the playground's.
 */
export function fauxqsInit(timing: JobTiming = jobTiming()): { queues: Array<{ name: string; attributes?: Record<string, string> }> } {
  const { queue, deadLetterQueue } = jobQueueShapes(timing)
  return {
    queues: [deadLetterQueue, queue, ...PLAYGROUND_QUEUES].map((shape) => {
      const attributes = createQueueAttributes(shape, EMULATOR_ARN)
      return Object.keys(attributes).length > 0 ? { name: shape.name, attributes } : { name: shape.name }
    }),
  }
}
