import { openServiceResources, runService } from '@taskoverflow/shared'
import { startApi } from './compose.js'
import { loadApiConfig } from './config.js'

runService('api', async () => {
  const config = loadApiConfig(process.env)
  const { logger, pool, sqs, close } = await openServiceResources('api', config)

  const api = await startApi({
    db: pool,
    sqs,
    queueUrl: config.queueUrl,
    deadLetterQueueUrl: config.deadLetterQueueUrl,
    logger,
    trustProxy: config.trustProxy,
    exportsPerMinute: config.exportsPerMinute,
    todoWritesPerMinute: config.todoWritesPerMinute,
    reconciler: config.reconciler,
    port: config.port,
    host: config.host,
  })
  logger.info({ port: config.port, host: config.host, deadlineSeconds: config.reconciler.deadlineSeconds }, 'api listening')

  return async () => {
    await api.stop()
    await close()
    logger.info('api stopped')
  }
})
