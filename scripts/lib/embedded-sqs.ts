import { SQSClient } from '@aws-sdk/client-sqs'
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
  const sqs = new SQSClient({ endpoint: server.address, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } })
  return {
    endpoint: server.address,
    sqs,
    async close() {
      sqs.destroy()
      await server.stop()
    },
  }
}
