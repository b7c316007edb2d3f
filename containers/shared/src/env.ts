import { z } from 'zod'
import { AWS_REGION, isHttpUrl, WHOLE_NUMBER } from './setting-formats.js'

/**
 * Environment parsing for every entry point: variables are described with the field builders
 * below, and `parseEnv` turns the bad values into one error that names every wrong variable and
 * what it expected. It imports only zod and the setting formats, so the CommonJS stacks load it
 * too (tsconfig.json tells ts-node to load it as CommonJS).
 */

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

type Env = Record<string, string | undefined>

/** A rule over several variables at once, given those that are set: the problems, or none. */
export type EnvCheck = (present: Readonly<Record<string, unknown>>) => string | readonly string[] | undefined

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
  for (const check of checks) problems.push(...[check(present) ?? []].flat())
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

