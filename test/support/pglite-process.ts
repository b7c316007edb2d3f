/**
 * The embedded PostgreSQL (PGlite, in memory) as a process of its own, which a cluster stops and
 * starts like the real server. Run as a program (`node --import tsx test/support/pglite-process.ts`)
 * it serves on PGLITE_PORT and prints its connection string once ready; SIGTERM or Ctrl-C stops it.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { field, parseEnv } from '@taskoverflow/shared'
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres.js'
import { ROOT } from '../../scripts/lib/paths.js'
import { killWithParent } from '../../scripts/lib/services.js'
import { freePort } from './free-port.js'

const THIS_FILE = fileURLToPath(import.meta.url)

/** Starts this file as a process, and resolves once its server answers a query. */
export async function startPgliteProcess(): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', THIS_FILE], { cwd: ROOT, env: { ...process.env, PGLITE_PORT: String(port) }, stdio: 'ignore' })
  killWithParent(child)
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`
  const deadline = Date.now() + 30_000
  for (;;) {
    const client = new pg.Client({ connectionString: url })
    try {
      await client.connect()
      await client.query('SELECT 1')
      break
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`PGlite did not start: ${(err as Error).message}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    } finally {
      await client.end().catch(() => undefined)
    }
  }
  return {
    url,
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}

if (process.argv[1] === THIS_FILE) {
  const config = parseEnv({ PGLITE_PORT: field.port() }, process.env)
  const postgres = await startEmbeddedPostgres({ port: config.PGLITE_PORT })
  console.log(postgres.url)
  const stop = () => void postgres.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
