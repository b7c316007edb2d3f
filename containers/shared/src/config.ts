import { z } from 'zod'
import type { DatabaseConfig } from './db.js'
import { jobDeadlineSeconds, visibilityTimeoutSeconds } from './job-timing.js'
import { passwordSourceFrom } from './password.js'
import { AWS_REGION, isHttpUrl, WHOLE_NUMBER } from './setting-formats.js'
import type { ReconcilerSettings } from './reconciler.js'

/**
 * Environment parsing shared by every service. Each service describes its variables with
 * the field builders below, and `parseEnv` turns the first bad value into one error that
 * names every wrong variable and what it expected. Nothing else in a service reads
 * `process.env`.
 */

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

type Env = Record<string, string | undefined>

/** A rule over several variables at once, given those that are set: the problem, or undefined. */
export type EnvCheck = (present: Readonly<Record<string, unknown>>) => string | undefined

/**
 * Empty strings count as unset, so `FOO= npm start` behaves like leaving FOO out. `checks` run
 * whether or not each variable is valid alone, so one message names every problem.
 */
export function parseEnv<Shape extends z.ZodRawShape>(shape: Shape, env: Env, checks: readonly EnvCheck[] = []): z.infer<z.ZodObject<Shape>> {
  const present = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''))
  const result = z.object(shape).safeParse(present)
  const problems = (result.success ? [] : result.error.issues).map((issue) => {
    const name = issue.path.join('.')
    const raw = present[name]
    const shown = raw === undefined ? '' : `, got ${JSON.stringify(redact(name, raw))}`
    return `${name}: ${issue.message}${shown}`
  })
  for (const check of checks) {
    const problem = check(present)
    if (problem) problems.push(problem)
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems)
  return result.data
}

/** Connection strings and secrets are never echoed back in full. */
function redact(name: string, value: string): string {
  if (/PASSWORD|SECRET|TOKEN/i.test(name)) return '***'
  try {
    const url = new URL(value)
    if (url.password) url.password = '***'
    return url.toString()
  } catch {
    return value
  }
}

function described(expected: string) {
  return { error: (issue: { input?: unknown }) => (issue.input === undefined ? `is required (${expected})` : `expected ${expected}`) }
}

export const field = {
  postgresUrl() {
    const expected = 'a postgres:// or postgresql:// connection string'
    return z.string(described(expected)).refine((v) => /^postgres(ql)?:\/\/./.test(v) && URL.canParse(v), `expected ${expected}`)
  },
  httpUrl(what = 'an http:// or https:// URL') {
    return z.string(described(what)).refine(isHttpUrl, `expected ${what}`)
  },
  integer(min: number, max: number) {
    const expected = `a whole number from ${min} to ${max}`
    return z
      .string(described(expected))
      .regex(WHOLE_NUMBER, `expected ${expected}`)
      .transform(Number)
      .refine((n) => n >= min && n <= max, `expected ${expected}`)
  },
  port() {
    return field.integer(1, 65535)
  },
  awsRegion() {
    const expected = 'an AWS region such as us-east-1'
    return z.string(described(expected)).regex(AWS_REGION, `expected ${expected}`)
  },
  boolean() {
    const expected = 'true or false'
    return z.enum(['true', 'false'], described(expected)).transform((v) => v === 'true')
  },
  logLevel() {
    return z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], described('one of fatal, error, warn, info, debug, trace, silent'))
  },
  text() {
    return z.string(described('a non-empty string'))
  },
}

/** The variables every service that talks to the database and the job queue reads. */
export const serviceEnv = {
  DATABASE_URL: field.postgresUrl(),
  /** The password, kept out of the URL; or read from a file, or from Secrets Manager (read again after a rotation). */
  DATABASE_PASSWORD: field.text().optional(),
  DATABASE_PASSWORD_FILE: field.text().optional(),
  DATABASE_PASSWORD_SECRET_ARN: z.string().regex(/^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:.+$/, 'expected the ARN of a Secrets Manager secret').optional(),
  DATABASE_POOL_SIZE: field.integer(1, 200).default(10),
  ICAL_QUEUE_URL: field.httpUrl('the URL of the ical SQS queue'),
  AWS_REGION: field.awsRegion().default('us-east-1'),
  SQS_ENDPOINT: field.httpUrl('the http:// URL of an SQS emulator').optional(),
  /** The AWS SDKs' standard endpoint variables (LocalStack, the AWS CLI), after SQS_ENDPOINT. */
  AWS_ENDPOINT_URL_SQS: field.httpUrl('the URL of an SQS endpoint').optional(),
  AWS_ENDPOINT_URL: field.httpUrl('the URL of an AWS endpoint').optional(),
  LOG_LEVEL: field.logLevel().default('info'),
}

/**
 * How each service names itself in its AWS requests (the SDKs' userAgentAppId, which goes in the
 * user agent): CloudTrail's userAgent then tells the API's calls from the worker's, even where
 * both run as one role (LabRole), and the tests attribute each call they see to its service.
 */
export const AWS_APP_ID = { api: 'taskoverflow-api', worker: 'taskoverflow-worker' } as const

/** At most one of the ways serviceEnv takes the database password. */
export const onePasswordSource: EnvCheck = (present) => {
  const given = (['DATABASE_PASSWORD', 'DATABASE_PASSWORD_FILE', 'DATABASE_PASSWORD_SECRET_ARN'] as const).filter((name) => present[name] !== undefined)
  return given.length > 1 ? `${given.join(' and ')}: give the password one way only` : undefined
}

/** The database settings of serviceEnv, as the pool takes them: at most one way to give the password; `appId` as AWS_APP_ID. */
export function databaseFromEnv(e: {
  DATABASE_URL: string
  DATABASE_PASSWORD?: string
  DATABASE_PASSWORD_FILE?: string
  DATABASE_PASSWORD_SECRET_ARN?: string
  DATABASE_POOL_SIZE: number
  AWS_REGION: string
}, appId?: string): DatabaseConfig {
  const conflict = onePasswordSource(e)
  if (conflict) throw new ConfigError([conflict])
  const password = passwordSourceFrom({ password: e.DATABASE_PASSWORD, passwordFile: e.DATABASE_PASSWORD_FILE, passwordSecretArn: e.DATABASE_PASSWORD_SECRET_ARN, region: e.AWS_REGION, appId })
  return { url: e.DATABASE_URL, password, poolSize: e.DATABASE_POOL_SIZE }
}

/**
 * The SQS endpoint the settings name: SQS_ENDPOINT, else the SDKs' standard AWS_ENDPOINT_URL_SQS
 * or AWS_ENDPOINT_URL. It is given to the client as its endpoint, so every request goes there,
 * not to the host inside a queue URL the emulator returned.
 */
export function sqsEndpointFrom(e: { SQS_ENDPOINT?: string; AWS_ENDPOINT_URL_SQS?: string; AWS_ENDPOINT_URL?: string }): string | undefined {
  return e.SQS_ENDPOINT ?? e.AWS_ENDPOINT_URL_SQS ?? e.AWS_ENDPOINT_URL
}

/**
 * The job timing both services read. The API runs the reconciler too, so it reads the worker's
 * delay and visibility timeout as well: given the same settings (as npm start, compose and the
 * stacks give them), both derive the same deadline and neither fails a job the other still runs.
 */
export const jobTimingEnv = {
  WORKER_DELAY_SECONDS: field.integer(0, 3_600).default(0),
  SQS_VISIBILITY_TIMEOUT_SECONDS: field.integer(3, 43_200).optional(),
  RECONCILE_INTERVAL_SECONDS: field.integer(1, 3_600).default(15),
  JOB_UNSENT_AFTER_SECONDS: field.integer(1, 3_600).default(30),
  JOB_DEADLINE_SECONDS: field.integer(10, 604_800).optional(),
  JOB_RETENTION_DAYS: field.integer(1, 3_650).default(7),
}

export interface JobTiming {
  /** The worker's artificial delay per batch of jobs received together. */
  readonly delaySeconds: number
  /** How long a received job stays hidden from other workers. */
  readonly visibilityTimeoutSeconds: number
  readonly reconciler: ReconcilerSettings
}

/**
 * The settings of jobTimingEnv, with the defaults the stacks size the queue and deadline by
 * (job-timing.ts); the deadline counts `attempts`, the job queue's own maxReceiveCount when the
 * service has read it.
 */
export function jobTimingFrom(e: {
  WORKER_DELAY_SECONDS: number
  SQS_VISIBILITY_TIMEOUT_SECONDS?: number
  RECONCILE_INTERVAL_SECONDS: number
  JOB_UNSENT_AFTER_SECONDS: number
  JOB_DEADLINE_SECONDS?: number
  JOB_RETENTION_DAYS: number
}, attempts?: number): JobTiming {
  const visibility = e.SQS_VISIBILITY_TIMEOUT_SECONDS ?? visibilityTimeoutSeconds(e.WORKER_DELAY_SECONDS)
  return {
    delaySeconds: e.WORKER_DELAY_SECONDS,
    visibilityTimeoutSeconds: visibility,
    reconciler: {
      intervalSeconds: e.RECONCILE_INTERVAL_SECONDS,
      unsentAfterSeconds: e.JOB_UNSENT_AFTER_SECONDS,
      deadlineSeconds: e.JOB_DEADLINE_SECONDS ?? jobDeadlineSeconds({ visibilityTimeoutSeconds: visibility, delaySeconds: e.WORKER_DELAY_SECONDS, attempts }),
      retentionDays: e.JOB_RETENTION_DAYS,
    },
  }
}
