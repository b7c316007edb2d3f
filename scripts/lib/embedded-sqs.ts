import type { SQSClient } from '@aws-sdk/client-sqs'
import { createSqsClient } from '@taskoverflow/shared'
import { startFauxqs } from 'fauxqs'
import { portError } from './embedded-postgres.js'

export interface EmbeddedSqs {
  /** The endpoint to give SDK clients (SQS_ENDPOINT). */
  readonly endpoint: string
  readonly sqs: SQSClient
  close(): Promise<void>
}

/** An SQS emulator (fauxqs) speaking the real SQS API; state lives in memory. */
export async function startEmbeddedSqs(port = 0): Promise<EmbeddedSqs> {
  let server: Awaited<ReturnType<typeof startFauxqs>>
  try {
    server = await startFauxqs({ port, host: 'localhost', logger: false })
  } catch (err) {
    throw portError(err, port, 'SQS_PORT')
  }
  const sqs = createSqsClient({ region: 'us-east-1', endpoint: server.address })
  return {
    endpoint: server.address,
    sqs,
    async close() {
      sqs.destroy()
      await server.stop()
    },
  }
}
