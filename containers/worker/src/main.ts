import { openServiceResources, queueMaxReceiveCount, runService } from '@taskoverflow/shared'
import { composeWorker } from './compose.js'
import { loadWorkerConfig } from './config.js'

runService('worker', async () => {
  const settings = loadWorkerConfig(process.env)
  const { logger, pool, sqs, close } = await openServiceResources('worker', settings)
  // The queue's own redrive policy decides when a job has had its last attempt, and so its deadline.
  const maxAttempts = (await queueMaxReceiveCount(sqs, settings.queueUrl)) ?? settings.maxAttempts
  const config = loadWorkerConfig(process.env, maxAttempts)

  const worker = composeWorker({ db: pool, sqs, logger, config, maxAttempts })
  worker.start()
  logger.info({ queueUrl: config.queueUrl, maxAttempts, concurrency: config.concurrency, deadlineSeconds: config.reconciler.deadlineSeconds }, 'worker polling')

  return async (signal) => {
    await worker.stop({ interactive: signal === 'SIGINT' })
    await close()
    logger.info('worker stopped')
  }
})
