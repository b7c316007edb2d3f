import { z } from 'zod'

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

/** Empty strings count as unset, so `FOO= npm start` behaves like leaving FOO out. */
export function parseEnv<Shape extends z.ZodRawShape>(shape: Shape, env: Env): z.infer<z.ZodObject<Shape>> {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''))
  const result = z.object(shape).safeParse(present)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.')
    const raw = present[name]
    const shown = raw === undefined ? '' : `, got ${JSON.stringify(redact(name, raw))}`
    return `${name}: ${issue.message}${shown}`
  })
  throw new ConfigError(problems)
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
    return z.string(described(what)).refine((v) => /^https?:\/\/./.test(v) && URL.canParse(v), `expected ${what}`)
  },
  integer(min: number, max: number) {
    const expected = `a whole number from ${min} to ${max}`
    return z
      .string(described(expected))
      .regex(/^\d+$/, `expected ${expected}`)
      .transform(Number)
      .refine((n) => n >= min && n <= max, `expected ${expected}`)
  },
  port() {
    return field.integer(1, 65535)
  },
  awsRegion() {
    const expected = 'an AWS region such as us-east-1'
    return z.string(described(expected)).regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, `expected ${expected}`)
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
  /** Deployments inject it from Secrets Manager instead of writing it into the URL. */
  DATABASE_PASSWORD: field.text().optional(),
  DATABASE_POOL_SIZE: field.integer(1, 200).default(10),
  ICAL_QUEUE_URL: field.httpUrl('the URL of the ical SQS queue'),
  AWS_REGION: field.awsRegion().default('us-east-1'),
  SQS_ENDPOINT: field.httpUrl('the http:// URL of an SQS emulator').optional(),
  LOG_LEVEL: field.logLevel().default('info'),
}
