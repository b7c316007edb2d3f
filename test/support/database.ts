import { randomBytes } from 'node:crypto'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import pg from 'pg'

export interface TestDatabase {
  /** Connection string of a fresh, empty database of this test's own. */
  readonly url: string
  /** Which PostgreSQL this is, for messages. */
  readonly kind: 'embedded PGlite' | 'PostgreSQL server'
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

export async function startEmbeddedDatabase(dataDir?: string): Promise<TestDatabase & { port: number }> {
  const db = await PGlite.create(dataDir)
  // PGlite is one session multiplexed over every connection; 100 covers several pools.
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 100 })
  await server.start()
  const port = (server as unknown as { port: number }).port
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    kind: 'embedded PGlite',
    port,
    async close() {
      await server.stop()
      await db.close()
    },
  }
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
    kind: 'PostgreSQL server',
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
