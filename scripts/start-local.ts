/**
 * `npm start`: the whole TaskOverflow on this machine, with nothing to install beyond npm
 * packages. An embedded PostgreSQL server of RDS's major version (data kept in .data/) and an
 * SQS emulator (fauxqs) stand in for RDS and SQS; the API and the worker run as their own processes from
 * the same compiled code the images run. DATABASE_URL or ICAL_QUEUE_URL use real ones instead.
 */
import { createServer } from 'node:net'
import { createLogger, createPool, createSqsClient, IcalJobRepository, jobTiming, jobTimingSettings, serviceEnvironment, sqsEndpointFrom } from '@taskoverflow/shared'
import { prettyFactory } from 'pino-pretty'
import { checkQueueAnswers, useSdkCredentials } from './lib/aws-credentials.js'
import { buildContainers, containersUpToDate } from './local/build.js'
import type { EmbeddedPostgres } from './local/embedded-postgres.js'
import { portError } from './local/ports.js'
import { startLocalDatabase } from './local/local-database.js'
import { startEmbeddedSqs } from './local/embedded-sqs.js'
import { createJobQueues, createPlaygroundQueues } from './local/queues.js'
import { requeueUnfinishedJobs } from './local/requeue.js'
import { startService, type ServiceProcess } from './local/services.js'
import { waitForHealthy } from './lib/http.js'
import { DEFAULT_DATA_DIR, EARLIER_DEFAULT_DATA_DIR, readLocalSettings } from './local/local-settings.js'
import { POSTGRES_MAJOR_VERSION } from '../stacks/postgres-version.js'
import { settingsOrExit } from './lib/settings.js'

const config = settingsOrExit(() => readLocalSettings(process.env))
const timing = jobTiming({
  delaySeconds: config.WORKER_DELAY_SECONDS,
  maxReceives: config.JOB_MAX_RECEIVES,
  visibilityTimeoutSeconds: config.SQS_VISIBILITY_TIMEOUT_SECONDS,
  deadlineSeconds: config.JOB_DEADLINE_SECONDS,
})
/** The API listens on this machine only: npm start is for the person at it. */
const API_HOST = '127.0.0.1'

const cleanups: Array<() => Promise<void>> = []
/** Closed after everything else, so nothing that writes to it is still running. */
let database: EmbeddedPostgres | undefined
const services: ServiceProcess[] = []
let stopping: Promise<never> | undefined
let stoppingSince = 0
let saidStillStopping = false

/**
 * Stops the services, then closes the stand-ins, the embedded database last, then exits. Once
 * only: a terminal's Ctrl-C reaches this process more than once (from the terminal, and again from
 * npm forwarding it), and exiting on the second would leave the database unclosed, to be recovered
 * at the next start. Ctrl-C is passed on as SIGINT, so the worker stops at once instead of
 * finishing its long poll.
 */
function stopAll(exitCode: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<never> {
  if (stopping) {
    // Copies of the same Ctrl-C arrive within moments; a person's second press gets an answer.
    if (!saidStillStopping && Date.now() - stoppingSince >= 1_000) {
      saidStillStopping = true
      console.log('Still stopping: the services, then the database, so that nothing is lost.')
    }
    return stopping
  }
  stoppingSince = Date.now()
  stopping = (async () => {
    console.log('\nStopping...')
    await Promise.all(services.map((service) => service.stop(signal, 45_000)))
    for (const cleanup of [...cleanups.reverse(), async () => database?.close()]) await cleanup().catch((err: unknown) => console.error(String(err)))
    console.log('Stopped.')
    process.exit(exitCode)
  })()
  return stopping
}

process.on('SIGINT', () => void stopAll(0, 'SIGINT'))
process.on('SIGTERM', () => void stopAll(0, 'SIGTERM'))

function printer(name: string) {
  const pretty = prettyFactory({ colorize: process.stdout.isTTY, ignore: 'pid,hostname,service,req,res,responseTime', translateTime: 'HH:MM:ss.l', singleLine: true })
  const label = `${name.padEnd(6)}|`
  return (line: string) => {
    let text = line
    if (line.startsWith('{')) {
      try {
        text = pretty(line).trimEnd()
      } catch {
        // not pino JSON after all: print as is
      }
    }
    console.log(`${label} ${text}`)
  }
}

/** The embedded PostgreSQL, unless DATABASE_URL names a server. */
async function startDatabase(): Promise<string> {
  if (config.DATABASE_URL) return config.DATABASE_URL
  database = await startLocalDatabase({
    dataDir: config.DATA_DIR,
    port: config.POSTGRES_PORT,
    earlierDefault: config.DATA_DIR === DEFAULT_DATA_DIR ? EARLIER_DEFAULT_DATA_DIR : undefined,
    log: (line) => console.log(line),
  })
  console.log(`PostgreSQL ${POSTGRES_MAJOR_VERSION} (embedded) on ${database.url}, data in ${config.DATA_DIR}`)
  return database.url
}

/** The SQS emulator and its queues, unless ICAL_QUEUE_URL names a real queue. */
async function startQueues(): Promise<{ queueUrl: string; deadLetterQueueUrl?: string; sqsEndpoint?: string }> {
  if (config.ICAL_QUEUE_URL) {
    return { queueUrl: config.ICAL_QUEUE_URL, deadLetterQueueUrl: config.ICAL_DEAD_LETTER_QUEUE_URL }
  }
  const emulator = await startEmbeddedSqs({ port: config.SQS_PORT, enforceRules: config.SQS_EMULATOR_RULES === 'enforce' })
  cleanups.push(emulator.close)
  const [{ queueUrl, deadLetterUrl }] = await Promise.all([createJobQueues(emulator.sqs, timing), createPlaygroundQueues(emulator.sqs)])
  console.log(`SQS (fauxqs emulator) on ${emulator.endpoint}: queues ical, ical-dlq, csse6400_prac, csse6400_prac.fifo`)
  return { queueUrl, deadLetterQueueUrl: deadLetterUrl, sqsEndpoint: emulator.endpoint }
}

/** The compiled services, compiled again only when a source is newer than the last build. */
async function build(): Promise<void> {
  if (containersUpToDate()) return
  console.log('Compiling the containers (tsc -b containers)...')
  await buildContainers()
}

/** The API's port free, so a taken one is said in one line before anything starts, as SQS_PORT's is. */
async function checkPortFree(port: number, host: string): Promise<void> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, resolve)
  }).catch((err: unknown) => {
    throw portError(err, port, 'PORT')
  })
  await new Promise((resolve) => server.close(resolve))
}

async function main(): Promise<void> {
  await checkPortFree(config.PORT, API_HOST)
  // Before anything starts: without credentials each service would fail on its first request.
  if (config.ICAL_QUEUE_URL) {
    await useSdkCredentials()
    const sqs = createSqsClient({ region: config.AWS_REGION, endpoint: sqsEndpointFrom(config), maxAttempts: 1 })
    await checkQueueAnswers(sqs, config.ICAL_QUEUE_URL).finally(() => sqs.destroy())
  }
  // Independent of one another: the compiler runs in a process of its own beside the two stand-ins.
  // All three end before a failure is told, so stopping closes whichever of them started.
  const [databaseUrl, { queueUrl, deadLetterQueueUrl, sqsEndpoint }] = await allOrFirstFailure([startDatabase(), startQueues(), build()] as const)

  // npm start owns the job timing: the emulator's queue was made for it, and both services get it.
  const shared = {
    ...{ DATABASE_URL: databaseUrl, ICAL_QUEUE_URL: queueUrl, AWS_REGION: config.AWS_REGION, LOG_LEVEL: config.LOG_LEVEL, ...jobTimingSettings(timing) },
    ...{ SQS_ENDPOINT: sqsEndpoint ?? config.SQS_ENDPOINT, AWS_ENDPOINT_URL_SQS: config.AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL: config.AWS_ENDPOINT_URL },
  }
  const env = {
    api: serviceEnvironment('api', { ...shared, ICAL_DEAD_LETTER_QUEUE_URL: deadLetterQueueUrl, PORT: config.PORT, HOST: API_HOST }),
    worker: serviceEnvironment('worker', shared),
  }
  for (const name of ['api', 'worker'] as const) {
    const service = startService(name, { env: env[name], onLine: printer(name) })
    services.push(service)
    void service.exited.then((code) => {
      if (stopping) return
      // A service exits 0 only when stopped by a signal: Ctrl-C reaches the whole process group,
      // and the service may have finished before this process handled its own copy.
      if (code === 0) return void stopAll(0, 'SIGINT')
      console.error(`${name} exited unexpectedly (${code}); stopping everything.`)
      void stopAll(1)
    })
  }
  const base = `http://localhost:${config.PORT}`
  await waitForHealthy(`${base}/api/v1/health`, 60_000, services[0])
  if (sqsEndpoint) await requeue(databaseUrl, queueUrl, sqsEndpoint)
  printWelcome(base, sqsEndpoint)
}

/** Every value, once all have settled; or the first failure, once all have settled. */
async function allOrFirstFailure<T extends readonly unknown[]>(started: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(started)
  const failed = settled.find((result) => result.status === 'rejected')
  if (failed) throw failed.reason
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> }
}

/** The emulator forgets its messages when stopped; jobs that were waiting are queued again. */
async function requeue(databaseUrl: string, queueUrl: string, endpoint: string): Promise<void> {
  const logger = createLogger('start', 'warn')
  const pool = createPool({ url: databaseUrl, poolSize: 1 }, logger)
  const sqs = createSqsClient({ region: 'us-east-1', endpoint })
  try {
    await requeueUnfinishedJobs({ jobs: new IcalJobRepository(pool), sqs, queueUrl, log: (line) => console.log(line) })
  } catch (err) {
    // The system runs without it: the reconciler sends what was never sent and fails what is overdue.
    console.warn(`Could not queue again the jobs left unfinished by the last run (${err instanceof Error ? err.message : String(err)}); the reconciler handles them.`)
  } finally {
    sqs.destroy()
    await pool.end()
  }
}

function printWelcome(base: string, sqsEndpoint: string | undefined): void {
  const api = `${base}/api/v1`
  console.log(`
TaskOverflow is running: ${base}  (web page at /, API at /api/v1)

Try the calendar export:
  curl ${api}/health
  curl -X POST ${api}/todos -H 'Content-Type: application/json' \\
       -d '{"title":"Project Proposal","description":"CSSE6400 Project Proposal Due","deadline_at":"2023-04-03T14:00:00"}'
  curl -X POST ${api}/todos/ical
  curl ${api}/todos/ical/TASK_ID/status
  curl ${api}/todos/ical/TASK_ID/result
${
  sqsEndpoint
    ? `
Queue playground against the emulator:
  npm run queue -- --name csse6400_prac --client-name "Client 1" --endpoint ${sqsEndpoint}
  npm run queue -- --name csse6400_prac --client-name "Client 2" --receive --endpoint ${sqsEndpoint}
`
    : ''
}
Stop with Ctrl-C.`)
}

main().catch(async (err: unknown) => {
  // Ctrl-C while starting: the services it stopped are no failure to start.
  if (stopping) return
  console.error(`Could not start: ${err instanceof Error ? err.message : String(err)}`)
  await stopAll(1)
})
