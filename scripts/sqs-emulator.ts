/**
 * `npm run emulator`: the SQS emulator alone, with the ical queue (and its dead-letter queue)
 * and the playground queues, for the queue demo or for services run by hand. Prints one JSON
 * line with the endpoint and queue URLs once ready; Ctrl-C stops it.
 */
import { field, parseEnv } from '@taskoverflow/shared'
import { startEmbeddedSqs } from './lib/embedded-sqs.js'
import { createJobQueues, createPlaygroundQueues } from './lib/queues.js'

const config = parseEnv(
  {
    SQS_PORT: field.port().default(4566),
    MAX_RECEIVE_COUNT: field.integer(1, 1_000).default(5),
    SQS_VISIBILITY_TIMEOUT_SECONDS: field.integer(0, 43_200).default(60),
  },
  process.env,
)

const emulator = await startEmbeddedSqs(config.SQS_PORT)
const queues = await createJobQueues(emulator.sqs, { maxReceiveCount: config.MAX_RECEIVE_COUNT, visibilityTimeoutSeconds: config.SQS_VISIBILITY_TIMEOUT_SECONDS })
await createPlaygroundQueues(emulator.sqs)
console.log(JSON.stringify({ endpoint: emulator.endpoint, ...queues }))

const stop = () => void emulator.close().then(() => process.exit(0))
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
