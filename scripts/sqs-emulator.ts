/**
 * `npm run emulator`: the SQS emulator alone, with the ical queue (and its dead-letter queue)
 * and the playground queues, for the queue demo or for services run by hand. Says where each
 * queue is once ready; Ctrl-C stops it. With SQS_EMULATOR_JSON=true it prints one JSON line with
 * the endpoint and job queue URLs instead, for programs (test/support/sqs-process.ts). With
 * SQS_EMULATOR_REQUESTS=true (and SQS_EMULATOR_RULES=enforce, whose proxy sees them) it then
 * prints one `{"request": ...}` line per SQS request, so a test sees which calls each service makes.
 */
import { field, jobTiming, parseEnv, SERVICE_ENV, unknownSettings } from '@taskoverflow/shared'
import { SQS_EMULATOR_RULES, startEmbeddedSqs } from './local/embedded-sqs.js'
import { createJobQueues, createPlaygroundQueues } from './local/queues.js'
import type { SqsRequest } from './local/sqs-rules-proxy.js'
import { refuseArguments, settingsOrExit } from './lib/settings.js'

refuseArguments('npm run emulator', 'the SQS emulator alone, with the practical\'s two queues and the job queues, until Ctrl-C')

const settings = {
  SQS_PORT: field.port().default(4566),
  // The job timing the services will be given, in their own words.
  WORKER_DELAY_SECONDS: SERVICE_ENV.WORKER_DELAY_SECONDS.schema,
  JOB_MAX_RECEIVES: SERVICE_ENV.JOB_MAX_RECEIVES.schema,
  SQS_VISIBILITY_TIMEOUT_SECONDS: SERVICE_ENV.SQS_VISIBILITY_TIMEOUT_SECONDS.schema,
  SQS_EMULATOR_JSON: field.boolean().default(false),
  SQS_EMULATOR_REQUESTS: field.boolean().default(false),
  SQS_EMULATOR_RULES: SQS_EMULATOR_RULES,
}
// A slip (SQS_PRT, JOB_MAX_RECEIVE) is named, as npm start names it, not ignored.
const config = settingsOrExit(() => parseEnv(settings, process.env, [() => unknownSettings(process.env, Object.keys(settings))]))

// The emulator's own queue set-up passes the proxy too: only what clients send once it is ready is printed.
let ready = false
const logRequest = config.SQS_EMULATOR_REQUESTS ? (request: SqsRequest) => ready && console.log(JSON.stringify({ request })) : undefined
const emulator = await startEmbeddedSqs({ port: config.SQS_PORT, enforceRules: config.SQS_EMULATOR_RULES === 'enforce', onRequest: logRequest }).catch((err: unknown) => {
  // A port in use, most often: one line that says which variable moves it.
  console.error(`Could not start: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
const timing = jobTiming({ delaySeconds: config.WORKER_DELAY_SECONDS, maxReceives: config.JOB_MAX_RECEIVES, visibilityTimeoutSeconds: config.SQS_VISIBILITY_TIMEOUT_SECONDS })
const queues = await createJobQueues(emulator.sqs, timing)
const playground = await createPlaygroundQueues(emulator.sqs)
if (config.SQS_EMULATOR_JSON) {
  console.log(JSON.stringify({ endpoint: emulator.endpoint, ...queues }))
} else {
  const rows: Array<[string, string]> = [['ical', queues.queueUrl], ['ical-dlq', queues.deadLetterUrl], ...Object.entries(playground)]
  console.log(`SQS emulator at ${emulator.endpoint} (in memory; any credentials work)`)
  for (const [name, url] of rows) console.log(`  ${name.padEnd(20)} ${url}`)
  console.log(`Try: npm run queue -- --endpoint ${emulator.endpoint} --name csse6400_prac --client-name "Client 1"`)
  console.log('Ctrl-C stops it.')
}
ready = true

const stop = () => void emulator.close().then(() => process.exit(0))
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
