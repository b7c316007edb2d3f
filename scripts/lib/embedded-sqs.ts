import type { SQSClient } from '@aws-sdk/client-sqs'
import { createSqsClient } from '@taskoverflow/shared'
import { startFauxqs } from 'fauxqs'
import { portError } from './ports.js'
import { startSqsRulesProxy, type SqsRulesProxy } from './sqs-rules-proxy.js'

export interface EmbeddedSqs {
  /** The endpoint to give SDK clients (SQS_ENDPOINT). */
  readonly endpoint: string
  readonly sqs: SQSClient
  close(): Promise<void>
}

/**
 * An SQS emulator (fauxqs) speaking the real SQS API; state lives in memory. With
 * TASKOVERFLOW_SQS_RULES=enforce (the test suite sets it) it sits behind the rules proxy, so a
 * request that real SQS would refuse is refused here too; the proxy then holds `port`.
 */
export async function startEmbeddedSqs(port = 0, env: NodeJS.ProcessEnv = process.env): Promise<EmbeddedSqs> {
  const enforce = env.TASKOVERFLOW_SQS_RULES === 'enforce'
  let server: Awaited<ReturnType<typeof startFauxqs>>
  let proxy: SqsRulesProxy | undefined
  try {
    server = await startFauxqs({ port: enforce ? 0 : port, host: 'localhost', logger: false })
    if (enforce) proxy = await startSqsRulesProxy(server.address, port)
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
