import pg from 'pg'
import type { Logger } from './logger.js'

export interface DatabaseConfig {
  /** postgres:// connection string; its password may be left out and given in `password`. */
  readonly url: string
  /** Kept apart from the URL so deployments can inject it from a secret store. */
  readonly password?: string
  /** @default 10 */
  readonly poolSize?: number
  /** How long to wait for a connection before answering "unavailable". @default 2000 */
  readonly connectTimeoutMs?: number
  /** Upper bound on any one statement, enforced by both client and server. @default 10000 */
  readonly statementTimeoutMs?: number
}

const TIMESTAMP_WITHOUT_TIME_ZONE = 1114

/**
 * Wall-clock timestamps (deadlines, and created/updated stamps kept in UTC) come back as
 * `YYYY-MM-DDTHH:MM:SS`, never as a JS Date that the process time zone would shift.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMP_WITHOUT_TIME_ZONE) return (value: string) => value.replace(' ', 'T').slice(0, 19)
    return pg.types.getTypeParser(oid, format)
  },
} as pg.CustomTypesConfig

/**
 * The URL with the password put in. pg lets a connection string override a separate
 * `password` option (even with an empty one), so the password has to travel inside it,
 * percent-encoded: RDS-generated passwords contain characters such as %, # and @.
 */
export function connectionString(config: Pick<DatabaseConfig, 'url' | 'password'>): string {
  if (config.password === undefined) return config.url
  const url = new URL(config.url)
  url.password = encodeURIComponent(config.password)
  return url.toString()
}

export function createPool(config: DatabaseConfig, logger: Logger): pg.Pool {
  const statementTimeout = config.statementTimeoutMs ?? 10_000
  const pool = new pg.Pool({
    connectionString: connectionString(config),
    max: config.poolSize ?? 10,
    connectionTimeoutMillis: config.connectTimeoutMs ?? 2_000,
    statement_timeout: statementTimeout,
    query_timeout: statementTimeout + 1_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    types,
  })
  // An idle client whose server went away emits here; without a listener the process would crash.
  pool.on('error', (err) => logger.warn({ err: err.message }, 'idle database connection closed'))
  return pool
}

/** The subset of pg that repositories need, so a pool or a client inside a transaction both fit. */
export type Queryable = Pick<pg.Pool, 'query'>

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'])
// SQLSTATE class 08 (connection exception), shutdowns, "cannot connect now", too many connections.
const UNAVAILABLE_SQLSTATES = /^(08|57P0[123]|53300)/

/** True when an error means "the database cannot be reached right now", as opposed to a bad query. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_SQLSTATES.test(code))) return true
  return /timeout exceeded when trying to connect|Connection terminated|connection timeout|Query read timeout|Client has encountered a connection error|terminating connection/i.test(
    err.message,
  )
}
