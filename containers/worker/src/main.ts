import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { openServiceResources, runService } from '@taskoverflow/shared'
import { composeWorker } from './compose.js'
import { loadWorkerConfig } from './config.js'

/** The queue's own redrive policy decides when a job has had its last attempt. */
async function maxReceiveCount(sqs: SQSClient, queueUrl: string): Promise<number | undefined> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] }))
  if (!Attributes?.RedrivePolicy) return undefined
  const count = Number((JSON.parse(Attributes.RedrivePolicy) as { maxReceiveCount?: unknown }).maxReceiveCount)
  return Number.isInteger(count) && count > 0 ? count : undefined
}

runService('worker', async () => {
  const config = loadWorkerConfig(process.env)
  const { logger, pool, sqs, close } = await openServiceResources('worker', config)
  const maxAttempts = (await maxReceiveCount(sqs, config.queueUrl)) ?? config.maxAttempts

  const worker = composeWorker({ db: pool, sqs, logger, config, maxAttempts })
  worker.start()
  logger.info({ queueUrl: config.queueUrl, maxAttempts, concurrency: config.concurrency, deadlineSeconds: config.reconciler.deadlineSeconds }, 'worker polling')

  return async (signal) => {
    await worker.stop({ interactive: signal === 'SIGINT' })
    await close()
    logger.info('worker stopped')
  }
})
