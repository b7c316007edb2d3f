import { openServiceResources, runService } from '@taskoverflow/shared'
import { composeWorker } from './compose.js'
import { loadWorkerConfig } from './config.js'

runService('worker', async () => {
  const config = loadWorkerConfig(process.env)
  const { logger, pool, sqs, close } = await openServiceResources('worker', config)
  const worker = composeWorker({ db: pool, sqs, logger, config, maxAttempts: config.maxAttempts })
  worker.start()
  logger.info({ queueUrl: config.queueUrl, maxAttempts: config.maxAttempts, concurrency: config.concurrency, deadlineSeconds: config.reconciler.deadlineSeconds }, 'worker polling')

  return async (signal) => {
    await worker.stop({ interactive: signal === 'SIGINT' })
    await close()
    logger.info('worker stopped')
  }
})
