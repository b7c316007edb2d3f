import { once } from 'node:events'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serviceReconciler, type BuiltFrom, type Reconciler, type Service } from '@taskoverflow/shared'
import { createApp } from './app.js'
import type { ApiConfig } from './config.js'

/** What the API is built from, of its settings (config.ts); the tests give these alone, and leave the limits off. */
export type ApiSettings = Pick<ApiConfig, 'queueUrl' | 'reconciler'> & Partial<Pick<ApiConfig, 'deadLetterQueueUrl' | 'trustProxy' | 'exportsPerMinute' | 'todoWritesPerMinute'>> & {
  /** @default 0: any free port */
  readonly port?: number
  /** @default '127.0.0.1' */
  readonly host?: string
}

export interface Api extends Service {
  /** `http://host:port`, the port it listens on, once started. */
  readonly url: string
  readonly server: () => Server | undefined
  readonly reconciler: Reconciler
}

/**
 * The API, assembled once: its entry point (server.ts, through runService) and the tests both
 * build it here. It runs the reconciler too, so every accepted job ends within its deadline even
 * when no worker runs at all (the workers' minimum may be 0).
 */
export function createApi(config: ApiSettings, resources: BuiltFrom): Api {
  const { logger } = resources
  const app = createApp({ ...config, db: resources.pool, sqs: resources.sqs, logger })
  const reconciler = serviceReconciler({ db: resources.pool, sqs: resources.sqs, queueUrl: config.queueUrl, logger, settings: config.reconciler })
  let server: Server | undefined
  let url = ''
  return {
    get url() {
      return url
    },
    server: () => server,
    reconciler,
    async start() {
      server = app.listen(config.port ?? 0, config.host ?? '127.0.0.1')
      await once(server, 'listening')
      // Outlive the load balancer's 60 s idle timeout, or it may reuse a connection Node just closed (502).
      server.keepAliveTimeout = 65_000
      server.headersTimeout = 66_000
      reconciler.start()
      const { address, port } = server.address() as AddressInfo
      url = `http://${address}:${port}`
      logger.info({ port, host: address, deadlineSeconds: config.reconciler.deadlineSeconds }, 'api listening')
    },
    /** Stops taking connections and the reconciler together, and waits for the requests in progress and the pass's last step. */
    async stop() {
      await Promise.all([reconciler.stop(), new Promise<void>((resolve, reject) => (server ? server.close((err) => (err ? reject(err) : resolve())) : resolve()))])
    },
  }
}
