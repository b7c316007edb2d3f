import type { SQSClient } from '@aws-sdk/client-sqs'
import { createSqsClient } from '@taskoverflow/shared'
import { startFauxqs } from 'fauxqs'
import { portError } from './ports.js'
import { startSqsRulesProxy, type SqsRequest, type SqsRulesProxy } from './sqs-rules-proxy.js'

export interface EmbeddedSqs {
  /** The endpoint to give SDK clients (SQS_ENDPOINT). */
  readonly endpoint: string
  readonly sqs: SQSClient
  close(): Promise<void>
}

/**
 * An SQS emulator (fauxqs) speaking the real SQS API; state lives in memory. With
 * TASKOVERFLOW_SQS_RULES=enforce (the test suite sets it) it sits behind the rules proxy, so a
 * request that real SQS would refuse is refused here too; the proxy then holds `port`, and tells
 * `onRequest` of each request.
 */
export async function startEmbeddedSqs(port = 0, env: NodeJS.ProcessEnv = process.env, onRequest?: (request: SqsRequest) => void): Promise<EmbeddedSqs> {
  const enforce = env.TASKOVERFLOW_SQS_RULES === 'enforce'
  if (onRequest && !enforce) throw new Error('watching the requests needs TASKOVERFLOW_SQS_RULES=enforce: the rules proxy is what sees them')
  let server: Awaited<ReturnType<typeof startFauxqs>>
  let proxy: SqsRulesProxy | undefined
  try {
    server = await startFauxqs({ port: enforce ? 0 : port, host: 'localhost', logger: false })
    if (enforce) proxy = await startSqsRulesProxy(server.address, port, onRequest)
  } catch (err) {
    throw portError(err, port, 'SQS_PORT')
  }
  const endpoint = proxy?.endpoint ?? server.address
  const sqs = createSqsClient({ region: 'us-east-1', endpoint })
  return {
    endpoint,
    sqs,
    async close() {
      sqs.destroy()
      await proxy?.close()
      await server.stop()
    },
  }
}
