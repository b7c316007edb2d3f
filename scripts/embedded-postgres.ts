/**
 * The embedded PostgreSQL (PGlite, in memory) alone, as a process of its own, for programs that
 * stop and start it like a server (scripts/lib/cluster.ts). Prints its connection string once
 * ready; SIGTERM or Ctrl-C stops it.
 */
import { field, parseEnv } from '@taskoverflow/shared'
import { startEmbeddedPostgres } from './lib/embedded-postgres.js'

const config = parseEnv({ PGLITE_PORT: field.integer(0, 65535).default(5433) }, process.env)

const postgres = await startEmbeddedPostgres({ port: config.PGLITE_PORT })
console.log(postgres.url)

const stop = () => void postgres.close().then(() => process.exit(0))
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
