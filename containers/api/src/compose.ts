import { once } from 'node:events'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serviceReconciler, type Reconciler, type ReconcilerSettings } from '@taskoverflow/shared'
import { createApp, type AppDeps } from './app.js'

export interface ApiDeps extends AppDeps {
  /** The reconciler's timing, the same as the workers'. */
  readonly reconciler: ReconcilerSettings
  /** @default 0: any free port */
  readonly port?: number
  /** @default '127.0.0.1' */
  readonly host?: string
}

export interface Api {
  readonly server: Server
  /** `http://host:port`, the port it listens on. */
  readonly url: string
  readonly reconciler: Reconciler
  /** Stops taking connections and the reconciler together, and waits for the requests in progress and the pass's last step. */
  stop(): Promise<void>
}

/**
 * The API, assembled and listening: its entry point (server.ts) and the tests both use this.
 * It runs the reconciler too, so every accepted job ends within its deadline even when no
 * worker runs at all (the workers' minimum may be 0).
 */
export async function startApi(deps: ApiDeps): Promise<Api> {
  const server = createApp(deps).listen(deps.port ?? 0, deps.host ?? '127.0.0.1')
  await once(server, 'listening')
  // Outlive the load balancer's 60 s idle timeout, or it may reuse a connection Node just closed (502).
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000
  const reconciler = serviceReconciler({ db: deps.db, sqs: deps.sqs, queueUrl: deps.queueUrl, logger: deps.logger, settings: deps.reconciler })
  reconciler.start()
  const { address, port } = server.address() as AddressInfo
  return {
    server,
    url: `http://${address}:${port}`,
    reconciler,
    async stop() {
      await Promise.all([reconciler.stop(), new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())))])
    },
  }
}
