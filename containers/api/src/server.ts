import { openServiceResources, queueMaxReceiveCount, runService } from '@taskoverflow/shared'
import { startApi } from './compose.js'
import { loadApiConfig } from './config.js'

runService('api', async () => {
  const settings = loadApiConfig(process.env)
  const { logger, pool, sqs, close } = await openServiceResources('api', settings)
  // The deadline counts the attempts the queue gives a job, as the workers' does. The API starts
  // without SQS (it answers 503 for exports then), so it falls back to the stacks' count.
  const attempts = await queueMaxReceiveCount(sqs, settings.queueUrl).catch((err: unknown) => {
    logger.warn({ err: (err as Error).message }, "could not read the job queue's redrive policy; the deadline assumes the stacks' receives")
    return undefined
  })
  const config = loadApiConfig(process.env, attempts)

  const api = await startApi({
    db: pool,
    sqs,
    queueUrl: config.queueUrl,
    deadLetterQueueUrl: config.deadLetterQueueUrl,
    logger,
    trustProxy: config.trustProxy,
    exportsPerMinute: config.exportsPerMinute,
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
