import { z } from 'zod'
import { ConfigError, field, parseEnv, type EnvCheck } from './env.js'
import { jobTiming, LONG_POLL_SECONDS, type JobTiming } from './job-timing.js'
import { nearestSetting, SETTINGS_PAGE } from './setting-formats.js'

/**
 * The services' one input surface: every environment variable the API and the worker read,
 * declared once with who reads it, its format and default, and what it is for. The services
 * parse their environment with it (readServiceEnv), and everything that starts them writes it
 * with it (serviceEnvironment): the stacks' task definitions, npm start, the tests' cluster, and
 * the check of compose.yaml. Adding a variable is one entry here. It imports only zod and
 * modules that import nothing but zod and one another, so the CommonJS stacks load it too
 * (tsconfig.json lists them in ts-node's moduleTypes).
 */

export type ServiceName = 'api' | 'worker'

/**
 * CALENDAR_STORAGE_MB for a database of `gigabytes`: 40 % of it, which leaves the rest to the
 * todos (10,000 at most), the jobs and their timelines, indexes, rows deleted but not yet
 * vacuumed, and the write-ahead log.
 */
export const calendarStorageMb = (gigabytes: number) => Math.floor(gigabytes * 1024 * 0.4)
const BOTH = ['api', 'worker'] as const

function declare<const Readers extends readonly ServiceName[], Schema extends z.ZodType>(readers: Readers, schema: Schema, about: string) {
  return { readers, schema, about }
}

export const SERVICE_ENV = {
  // The database
  DATABASE_URL: declare(BOTH, field.postgresUrl(), 'The `postgres://` connection string, without the password.'),
  DATABASE_PASSWORD: declare(BOTH, field.text().optional(), 'The password, kept apart from the URL.'),
  DATABASE_PASSWORD_FILE: declare(BOTH, field.text().optional(), 'A file holding the password (Docker and Kubernetes secrets), read for each new connection and again after the server refuses it.'),
  DATABASE_PASSWORD_SECRET_ARN: declare(
    BOTH,
    z.string().regex(/^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:.+$/, 'expected the ARN of a Secrets Manager secret').optional(),
    'A Secrets Manager secret holding the password (JSON with `password`, as RDS keeps it), read the same way: how the deployed tasks get it, so a rotation needs no restart. At most one of the three ways.',
  ),
  DATABASE_POOL_SIZE: declare(BOTH, field.integer(1, 200).default(10), 'Connections each process opens at most.'),

  // The job queue
  ICAL_QUEUE_URL: declare(BOTH, field.httpUrl('the URL of the ical SQS queue'), 'The job queue.'),
  ICAL_DEAD_LETTER_QUEUE_URL: declare(['api'], field.httpUrl("the URL of the job queue's dead-letter queue").optional(), 'Its dead-letter queue, whose count `GET /pipeline` shows (`dead_letter` is `null` without it); `npm start`, compose and the stacks set it.'),
  AWS_REGION: declare(BOTH, field.awsRegion().default('us-east-1'), "The queue's region."),
  SQS_ENDPOINT: declare(BOTH, field.httpUrl('the http:// URL of an SQS emulator').optional(), 'An SQS emulator instead of SQS (no credentials needed then); else the SDKs\' own `AWS_ENDPOINT_URL_SQS` or `AWS_ENDPOINT_URL`, as LocalStack and the AWS CLI use them, which the queue CLI reads too.'),
  AWS_ENDPOINT_URL_SQS: declare(BOTH, field.httpUrl('the URL of an SQS endpoint').optional(), "The AWS SDKs' own endpoint variable for SQS, after `SQS_ENDPOINT`."),
  AWS_ENDPOINT_URL: declare(BOTH, field.httpUrl('the URL of an AWS endpoint').optional(), "The AWS SDKs' own endpoint variable for every AWS service, last."),

  // Job timing: whoever starts the services computes it once (job-timing.ts) and gives it to both.
  WORKER_DELAY_SECONDS: declare(BOTH, field.integer(0, 3_600).default(0), "The worker's artificial delay per batch of jobs received together (up to 10), while they show `STARTED`; the API reads it for the deadline's default, as the worker does."),
  SQS_VISIBILITY_TIMEOUT_SECONDS: declare(BOTH, field.integer(3, 43_200).optional(), 'How long a received job stays hidden from other workers; renewed while it runs. Default: 60, or 2 × delay + 30 when longer, the rule the stacks size the queue by.'),
  JOB_MAX_RECEIVES: declare(BOTH, field.integer(1, 1_000).optional(), "The receives a job gets before SQS moves it to the dead-letter queue (the queue's `maxReceiveCount`): the worker's last attempt, and the deadline's count. Default: 5. Whoever starts the services gives the queue and both of them the same."),
  JOB_DEADLINE_SECONDS: declare(BOTH, field.integer(10, 604_800).optional(), 'How long after its first try an unfinished job is `FAILURE`; one no worker has tried waits while the workers take jobs, and fails this long after its acceptance only when none is taking jobs. Default: 900, or (JOB_MAX_RECEIVES + 1) × (visibility timeout + delay) when longer. Give both services the same.'),
  RECONCILE_INTERVAL_SECONDS: declare(BOTH, field.integer(1, 3_600).default(15), 'How often the reconciler runs, in the API and in each worker.'),
  JOB_UNSENT_AFTER_SECONDS: declare(BOTH, field.integer(1, 3_600).default(30), 'A job recorded but never sent this long is sent again.'),
  JOB_RETENTION_DAYS: declare(BOTH, field.integer(1, 3_650).default(7), 'Finished jobs and their calendars are deleted this many days after they finished.'),

  // The API
  PORT: declare(['api'], field.port().default(6400), 'The port the API listens on.'),
  HOST: declare(['api'], field.text().default('0.0.0.0'), 'The address it listens on; `npm start` sets 127.0.0.1, so the local system is not reachable from other machines.'),
  TRUST_PROXY: declare(['api'], field.boolean().default(false), "Trust exactly one proxy hop (the load balancer) for the client's address and protocol; `task_url` always takes the `Host` header, never `X-Forwarded-Host`."),
  EXPORTS_PER_MINUTE: declare(['api'], field.integer(0, 1_000_000).default(60), 'Calendar exports a minute from one client (by address), then 429 with `Retry-After`; counted in PostgreSQL, so it is the limit for the whole deployment however many API tasks serve it; 0 is no limit.'),
  TODO_WRITES_PER_MINUTE: declare(['api'], field.integer(0, 1_000_000).default(600), 'Todos created, changed or deleted a minute by one client, limited as exports are; 0 is no limit.'),

  // The worker
  SQS_WAIT_TIME_SECONDS: declare(['worker'], field.integer(0, 20).default(LONG_POLL_SECONDS), 'Long-poll wait per receive (20 is the most, and the cheapest when idle).'),
  RETRY_BASE_SECONDS: declare(['worker'], field.integer(0, 900).default(5), 'First retry delay after a failed attempt, doubling each time, up to 15 minutes.'),
  WORKER_CONCURRENCY: declare(['worker'], field.integer(1, 64).default(1), 'Receive loops per process, each handling batches of up to 10 jobs.'),
  CALENDAR_STORAGE_MB: declare(
    ['worker'],
    field.integer(1, 1_048_576).default(calendarStorageMb(20)),
    "The most every stored calendar's text may take together (the stacks give 40 % of the database's storage); to make room for a new one, the calendars used longest ago are deleted with the finished jobs that held them, whose status then answers 404. A calendar larger than all of it fails its jobs, saying so.",
  ),

  LOG_LEVEL: declare(BOTH, field.logLevel().default('info'), 'The pino level: fatal, error, warn, info, debug, trace or silent; logs are one JSON line per event.'),
}

type Declared = typeof SERVICE_ENV
type NameOf<S extends ServiceName> = { [K in keyof Declared]: S extends Declared[K]['readers'][number] ? K : never }[keyof Declared]
type ShapeOf<S extends ServiceName> = { [K in NameOf<S>]: Declared[K]['schema'] }

/** A service's settings as it reads them. */
export type ServiceEnv<S extends ServiceName> = z.output<z.ZodObject<ShapeOf<S>>>
/** Either service's settings: what both read is there. */
export type AnyServiceEnv = ServiceEnv<'api'> | ServiceEnv<'worker'>
/** What a starter writes for a service: each value as the service reads it (a number, a boolean, text), required where it has no default. */
export type ServiceEnvValues<S extends ServiceName> = { [K in keyof z.input<z.ZodObject<ShapeOf<S>>>]: Exclude<ServiceEnv<S>[K & keyof ServiceEnv<S>], undefined> }

export const serviceVariables = (service: ServiceName): string[] => Object.entries(SERVICE_ENV).filter(([, v]) => (v.readers as readonly ServiceName[]).includes(service)).map(([name]) => name)

/** At most one of the ways to give the database password. */
const onePasswordSource: EnvCheck = (present) => {
  const given = (['DATABASE_PASSWORD', 'DATABASE_PASSWORD_FILE', 'DATABASE_PASSWORD_SECRET_ARN'] as const).filter((name) => present[name] !== undefined)
  return given.length > 1 ? `${given.join(' and ')}: give the password one way only` : undefined
}

/** The first word of a variable's name: DATABASE of DATABASE_URL, PORT of PORT. */
const firstWord = (name: string) => name.split('_')[0]!

/**
 * Whether a name is likely meant for one of `settings`: its first word is, or is one edit from,
 * one of theirs (EXPORT_PER_MINUTE). AWS_ is left out: the SDKs read many variables of their own
 * (AWS_PROFILE, AWS_ENDPOINT_URL_S3), which are no slips.
 */
function looksLikeOurs(name: string, settings: readonly string[]): boolean {
  const words = [...new Set(settings.map(firstWord))].filter((word) => word !== 'AWS')
  return words.length > 0 && nearestSetting(firstWord(name), words).edits <= 1
}

/** Names of earlier versions, and what they are now. */
const RENAMED: Record<string, string> = { MAX_ATTEMPTS: 'JOB_MAX_RECEIVES' }

/**
 * Variables that look like a service's setting but are none: a typing slip (`WORKER_DELAY` for
 * WORKER_DELAY_SECONDS) that would otherwise be ignored without a word. `known` adds the names
 * of whoever passes its own environment on (npm start's). Near means a few edits away (one for
 * every four letters, at least two), or a setting's name cut short or run on.
 */
export function unknownSettings(env: Readonly<Record<string, string | undefined>>, known: readonly string[] = []): string[] {
  const settings = [...Object.keys(SERVICE_ENV), ...known]
  return Object.keys(env).flatMap((name) => {
    if (RENAMED[name]) return [`${name} is now ${RENAMED[name]}`]
    if (settings.includes(name) || !looksLikeOurs(name, settings)) return []
    // A setting's name cut short (or run on) is near whatever the edits say: WORKER_DELAY is
    // eight edits from WORKER_DELAY_SECONDS, and seven from LOG_LEVEL.
    const runOn = settings.filter((setting) => setting.startsWith(name) || name.startsWith(setting))
    const { setting, edits } = nearestSetting(name, runOn.length > 0 ? runOn : settings)
    return runOn.length > 0 || edits <= Math.max(2, Math.floor(name.length / 4)) ? [`${name} is not a setting; did you mean ${setting}? (the settings are in ${SETTINGS_PAGE})`] : []
  })
}

/** A service's settings from its environment; one ConfigError names every problem, slips included. */
export function readServiceEnv<S extends ServiceName>(service: S, env: Readonly<Record<string, string | undefined>>): ServiceEnv<S> {
  const names = serviceVariables(service)
  const shape = Object.fromEntries(names.map((name) => [name, SERVICE_ENV[name as keyof Declared].schema])) as ShapeOf<S>
  return parseEnv(shape, env, [onePasswordSource, () => unknownSettings(env)]) as ServiceEnv<S>
}

/**
 * The problems of the services' settings a starter passes on from its own environment as they are
 * (npm start passes its whole environment on): each by its format, the password given one way,
 * and slips. Those it writes itself (`writes`) are its own to check; `known` are its own names.
 */
export function passedOnProblems(env: Readonly<Record<string, string | undefined>>, options: { writes: readonly string[]; known: readonly string[] }): string[] {
  const passed = Object.keys(SERVICE_ENV).filter((name) => !options.writes.includes(name))
  const shape = Object.fromEntries(passed.map((name) => [name, SERVICE_ENV[name as keyof Declared].schema.optional()]))
  try {
    parseEnv(shape, env, [onePasswordSource, () => unknownSettings(env, options.known)])
    return []
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems]
    throw err
  }
}

/** What job timing a service reads, with the defaults the one computation gives (job-timing.ts). */
export function jobTimingOf(e: AnyServiceEnv) {
  return jobTiming({ delaySeconds: e.WORKER_DELAY_SECONDS, maxReceives: e.JOB_MAX_RECEIVES, visibilityTimeoutSeconds: e.SQS_VISIBILITY_TIMEOUT_SECONDS, deadlineSeconds: e.JOB_DEADLINE_SECONDS })
}

/** The job timing as the services read it: what their starter gives both. */
export function jobTimingSettings(timing: JobTiming) {
  return {
    WORKER_DELAY_SECONDS: timing.delaySeconds,
    SQS_VISIBILITY_TIMEOUT_SECONDS: timing.visibilityTimeoutSeconds,
    JOB_MAX_RECEIVES: timing.maxReceives,
    JOB_DEADLINE_SECONDS: timing.deadlineSeconds,
  }
}

/** A Terraform reference, resolved only at apply: written as it is, checked there. */
const UNRESOLVED = /\$\{/

/**
 * The environment a service is started with, from its settings as it reads them. A value its
 * reader would refuse, or a variable it does not read, is a mistake of the writer's: an error.
 */
export function serviceEnvironment<S extends ServiceName>(service: S, values: ServiceEnvValues<S>): Record<string, string> {
  const names = serviceVariables(service)
  const written: Record<string, string> = {}
  for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
    if (value === undefined) continue
    if (!names.includes(name)) throw new Error(`${name} is not a setting of the ${service}`)
    const text = String(value)
    const checked = UNRESOLVED.test(text) ? undefined : SERVICE_ENV[name as keyof Declared].schema.safeParse(text)
    if (checked && !checked.success) throw new ConfigError([`${name} for the ${service}: ${checked.error.issues[0]?.message}, got ${JSON.stringify(text)}`])
    written[name] = text
  }
  return written
}
