import { once } from 'node:events'
import { openServiceResources, runService } from '@taskoverflow/shared'
import { createApp } from './app.js'
import { loadApiConfig } from './config.js'

runService('api', async () => {
  const config = loadApiConfig(process.env)
  const { logger, pool, sqs, close } = await openServiceResources('api', config)

  const app = createApp({ db: pool, sqs, queueUrl: config.queueUrl, deadLetterQueueUrl: config.deadLetterQueueUrl, logger, trustProxy: config.trustProxy, exportsPerMinute: config.exportsPerMinute })
  const server = app.listen(config.port, config.host)
  await once(server, 'listening')
  // Outlive the load balancer's 60 s idle timeout, or it may reuse a connection Node just closed (502).
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000
  logger.info({ port: config.port, host: config.host }, 'api listening')

  return async () => {
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())))
    await close()
    logger.info('api stopped')
  }
})
