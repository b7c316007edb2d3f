import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres.js'

export interface TestDatabase {
  /** Connection string of a fresh, empty database of this test's own. */
  readonly url: string
  close(): Promise<void>
}

/**
 * A fresh database per test file. With TEST_DATABASE_URL set (a server and a role that may
 * CREATE DATABASE) each test gets its own database there; otherwise an embedded PGlite served
 * over the PostgreSQL wire protocol, exactly what `npm start` uses.
 */
export async function startTestDatabase(env: NodeJS.ProcessEnv = process.env): Promise<TestDatabase> {
  const serverUrl = env.TEST_DATABASE_URL
  return serverUrl ? createServerDatabase(serverUrl) : startEmbeddedDatabase()
}

async function startEmbeddedDatabase(): Promise<TestDatabase> {
  const embedded = await startEmbeddedPostgres()
  return { url: embedded.url, close: embedded.close }
}

async function createServerDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `taskoverflow_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async close() {
      const client = new pg.Client({ connectionString: serverUrl })
      await client.connect()
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await client.end()
      }
    },
  }
}
