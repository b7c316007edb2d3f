import pg from 'pg'
import { createLogger, createPool, jobTiming, jobTimingSettings, serviceEnvironment } from '@taskoverflow/shared'
import type { JobTimingOptions } from '../../containers/shared/src/job-timing.js'
import { startService, type ServiceName, type ServiceProcess } from '../../scripts/local/services.js'
import { waitForHealthy } from '../../scripts/lib/http.js'
import { freePort } from '../../scripts/local/ports.js'
import { onDatabase } from './database.js'
import { startPostgresServer, type PostgresServer } from './postgres-server.js'
import { startSqsProcess, type SqsProcess, type SqsProcessOptions } from './sqs-process.js'

export interface ClusterOptions extends Omit<SqsProcessOptions, 'jobTiming'> {
  /** What the cluster's job timing is made of; it owns it, and gives it to the queue and both services alike. @default the deployed one */
  readonly jobTiming?: JobTimingOptions
  /** Extra settings for every API and worker process. */
  readonly env?: Record<string, string>
  /**
   * Sets the server up before any service starts; the services then connect with `url` (and
   * `env`), the cluster's own pool with `adminUrl`. @default the server's own database, as postgres
   */
  readonly prepareDatabase?: (server: PostgresServer) => Promise<{ url: string; adminUrl: string; env?: Record<string, string> }>
  /** Keep this many lines of each service's output, for failure messages. @default 200 */
  readonly keepLines?: number
}

/**
 * The whole system as separate processes, as in production: PostgreSQL, the SQS emulator, the
 * API and the worker, each of which can be stopped, killed and started again.
 */
export interface Cluster {
  /** The cluster's own PostgreSQL server, which a test may stop, crash and start again. */
  readonly postgres: PostgresServer
  readonly databaseUrl: string
  readonly sqs: SqsProcess
  readonly apiUrl: string
  /** A pool of the caller's own, for assertions on the database. */
  readonly pool: pg.Pool
  readonly api: () => ServiceProcess
  /** The worker started last, if any. */
  readonly worker: () => ServiceProcess | undefined
  startWorker(env?: Record<string, string>, nodeArgs?: readonly string[]): Promise<ServiceProcess>
  startApi(): Promise<ServiceProcess>
  /** The recent output of a service, newest last. */
  logs(name: ServiceName): string
  close(): Promise<void>
}

/**
 * A `prepareDatabase` as RDS is set up: the services log in as `taskoverflow`, owner of the
 * database `todo`, with a password the server checks (scram-sha-256), which they must read from
 * wherever `env` says; the cluster's own pool logs in as the superuser.
 */
export function passwordDatabase(password: string, env: Record<string, string> = {}): NonNullable<ClusterOptions['prepareDatabase']> {
  return async (server) => {
    const admin = new pg.Client({ connectionString: server.url })
    await admin.connect()
    try {
      await admin.query(`CREATE ROLE taskoverflow LOGIN PASSWORD '${password}'`)
      await admin.query('CREATE DATABASE todo OWNER taskoverflow')
    } finally {
      await admin.end()
    }
    return { url: `postgres://taskoverflow@127.0.0.1:${server.port}/todo`, adminUrl: onDatabase(server.url, 'todo'), env }
  }
}

/** The cluster's PostgreSQL server, set up by `prepareDatabase`. */
async function startDatabase(options: ClusterOptions) {
  const postgres = await startPostgresServer()
  const prepared = options.prepareDatabase ? await options.prepareDatabase(postgres) : undefined
  return { postgres, url: prepared?.url ?? postgres.url, adminUrl: prepared?.adminUrl ?? postgres.url, env: prepared?.env ?? {}, close: () => postgres.close() }
}

/** Starts services as processes with the cluster's settings (each its own, then `extra`), keeping the last `keep` lines each wrote. */
function serviceRunner(clusterEnv: Record<ServiceName, Record<string, string>>, extra: Record<string, string>, keep: number) {
  const lines: Record<ServiceName, string[]> = { api: [], worker: [] }
  const services: ServiceProcess[] = []
  return {
    lines,
    start(name: ServiceName, env: Record<string, string> = {}, nodeArgs: readonly string[] = []): ServiceProcess {
      lines[name] = []
      const service = startService(name, {
        nodeArgs,
        env: { ...clusterEnv[name], ...extra, ...env },
        onLine: (line) => {
          lines[name].push(line)
          if (lines[name].length > keep) lines[name].shift()
        },
      })
      services.push(service)
      return service
    },
    killAll: () => Promise.all(services.map((service) => service.stop('SIGKILL'))),
  }
}

/** Waits for the `NAME: ready` line a service writes once started (runService), for up to a minute. */
async function untilReady(service: ServiceProcess, lines: () => readonly string[]): Promise<void> {
  const deadline = Date.now() + 60_000
  while (!lines().includes(`${service.name}: ready`)) {
    if (service.child.exitCode !== null || Date.now() > deadline) throw new Error(`the ${service.name} did not start:\n${lines().join('\n')}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const database = await startDatabase(options)
  const timing = jobTiming(options.jobTiming)
  const sqs = await startSqsProcess({ ...options, jobTiming: timing }).catch(async (err: unknown) => {
    await database.close()
    throw err
  })
  const port = await freePort()
  const shared = { DATABASE_URL: database.url, ICAL_QUEUE_URL: sqs.queueUrl, SQS_ENDPOINT: sqs.endpoint, LOG_LEVEL: 'warn', ...jobTimingSettings(timing) } as const
  const services = serviceRunner(
    {
      // Load and fault tests post thousands of exports and changes from one address.
      api: serviceEnvironment('api', { ...shared, ICAL_DEAD_LETTER_QUEUE_URL: sqs.deadLetterUrl, EXPORTS_PER_MINUTE: 0, TODO_WRITES_PER_MINUTE: 0, PORT: port, HOST: '127.0.0.1' }),
      worker: serviceEnvironment('worker', shared),
    },
    { ...database.env, ...options.env },
    options.keepLines ?? 200,
  )

  let api: ServiceProcess
  let worker: ServiceProcess | undefined
  const apiUrl = `http://127.0.0.1:${port}/api/v1`
  const startApi = async () => {
    api = services.start('api')
    await waitForHealthy(`${apiUrl}/health`, 60_000, api)
    return api
  }
  try {
    await startApi()
  } catch (err) {
    // Nothing is returned to close, so close what started.
    await services.killAll()
    await sqs.stop()
    await database.close()
    throw err
  }
  const pool = createPool({ url: database.adminUrl, poolSize: 4, connectTimeoutMs: 5_000 }, createLogger('cluster', 'silent'))

  return {
    postgres: database.postgres,
    databaseUrl: database.url,
    sqs,
    apiUrl,
    pool,
    api: () => api,
    worker: () => worker,
    startApi,
    async startWorker(env = {}, nodeArgs = []) {
      worker = services.start('worker', env, nodeArgs)
      await untilReady(worker, () => services.lines.worker)
      return worker
    },
    logs: (name) => services.lines[name].join('\n'),
    async close() {
      await services.killAll()
      await pool.end().catch(() => undefined)
      await sqs.stop()
      await database.close()
    },
  }
}
