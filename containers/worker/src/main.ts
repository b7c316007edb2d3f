import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { IcalJobRepository, JobQueue, openServiceResources, runService, TodoRepository } from '@taskoverflow/shared'
import { buildCalendar } from './calendar.js'
import { loadWorkerConfig } from './config.js'
import { createJobConsumer } from './consumer.js'
import { DatabaseGate } from './database-gate.js'
import { createJobHandler } from './job-handler.js'
import { createReconciler } from './reconciler.js'

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

  const gate = new DatabaseGate(pool, logger)
  const consumer = createJobConsumer({
    sqs,
    queueUrl: config.queueUrl,
    gate,
    logger,
    waitTimeSeconds: config.waitTimeSeconds,
    visibilityTimeoutSeconds: config.visibilityTimeoutSeconds,
    retryBaseSeconds: config.retryBaseSeconds,
    concurrency: config.concurrency,
    handleJobs: createJobHandler({
      jobs: new IcalJobRepository(pool),
      todos: new TodoRepository(pool),
      buildCalendar,
      logger,
      maxAttempts,
      delayMs: config.delaySeconds * 1_000,
    }),
  })
  const reconciler = createReconciler({
    jobs: new IcalJobRepository(pool),
    queue: new JobQueue(sqs, config.queueUrl),
    logger,
    intervalSeconds: config.reconcileIntervalSeconds,
    unsentAfterSeconds: config.unsentAfterSeconds,
    deadlineSeconds: config.deadlineSeconds,
    retentionDays: config.retentionDays,
  })
  consumer.start()
  reconciler.start()
  logger.info({ queueUrl: config.queueUrl, maxAttempts, concurrency: config.concurrency, deadlineSeconds: config.deadlineSeconds }, 'worker polling')

  return async (signal) => {
    await reconciler.stop()
    await consumer.stop({ interactive: signal === 'SIGINT' })
    await close()
    logger.info('worker stopped')
  }
})
