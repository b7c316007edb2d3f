import type { SQSClient } from '@aws-sdk/client-sqs'
import { createSqsClient } from '@taskoverflow/shared'
import { z } from 'zod'
import { buildApp } from 'fauxqs'
import { portError } from './ports.js'
import { startSqsRulesProxy, type SqsRequest, type SqsRulesProxy } from './sqs-rules-proxy.js'

export interface EmbeddedSqs {
  /** The endpoint to give SDK clients (SQS_ENDPOINT). */
  readonly endpoint: string
  readonly sqs: SQSClient
  close(): Promise<void>
}

/** SQS_EMULATOR_RULES, read by npm start and npm run emulator: hold the emulator to SQS's documented rules, or not. */
export const SQS_EMULATOR_RULES = z.enum(['enforce', 'off'], { error: 'expected enforce or off' }).default('off')

export interface EmbeddedSqsOptions {
  /** @default 0: any free port */
  readonly port?: number
  /**
   * Behind the rules proxy (sqs-rules-proxy.ts), a request that real SQS would refuse is refused
   * here too, where fauxqs alone would take it: SQS_EMULATOR_RULES=enforce, which the tests set.
   * @default false
   */
  readonly enforceRules?: boolean
  /** Told of each request, as the rules proxy sees it (so `enforceRules` too). */
  readonly onRequest?: (request: SqsRequest) => void
}

/** An SQS emulator (fauxqs) speaking the real SQS API; state lives in memory. */
export async function startEmbeddedSqs(options: EmbeddedSqsOptions = {}): Promise<EmbeddedSqs> {
  const port = options.port ?? 0
  const enforce = options.enforceRules ?? false
  const onRequest = options.onRequest
  if (onRequest && !enforce) throw new Error('watching the requests needs SQS_EMULATOR_RULES=enforce: the rules proxy is what sees them')
  // fauxqs's own startFauxqs listens on every interface (0.0.0.0), where anyone on the network
  // could read and send jobs; its app, listened on here, takes 127.0.0.1 as the API and
  // PostgreSQL do. Queue URLs name localhost, as startFauxqs's would.
  const server = buildApp({ host: 'localhost', logger: false })
  let address: string
  let proxy: SqsRulesProxy | undefined
  try {
    address = await server.listen({ port: enforce ? 0 : port, host: '127.0.0.1' })
    if (enforce) proxy = await startSqsRulesProxy(address, port, onRequest)
  } catch (err) {
    await server.close()
    throw portError(err, port, 'SQS_PORT')
  }
  const endpoint = proxy?.endpoint ?? address
  const sqs = createSqsClient({ region: 'us-east-1', endpoint })
  return {
    endpoint,
    sqs,
    async close() {
      sqs.destroy()
      await proxy?.close()
      await server.close()
    },
  }
}
