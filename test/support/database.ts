import { randomBytes } from 'node:crypto'
import pg from 'pg'

export interface TestDatabase {
  /** Connection string of a fresh, empty database of this test's own. */
  readonly url: string
  close(): Promise<void>
}

/**
 * A fresh database per test file, on the server TEST_DATABASE_URL names (a role there that may
 * CREATE DATABASE): the embedded PostgreSQL that Jest's global set-up starts for the integration
 * and e2e projects (postgres-global-setup.mjs), or a server of your own.
 */
export async function startTestDatabase(env: NodeJS.ProcessEnv = process.env): Promise<TestDatabase> {
  const serverUrl = env.TEST_DATABASE_URL
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set: run the tests through Jest (npm run test:integration), whose global set-up starts a PostgreSQL server, or set it to a server of your own')
  const name = `taskoverflow_test_${randomBytes(6).toString('hex')}`
  await asAdmin(serverUrl, `CREATE DATABASE ${name}`)
  return {
    url: onDatabase(serverUrl, name),
    close: () => asAdmin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  }
}

/** The same server and login as `serverUrl`, on the database `name`. */
export function onDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

async function asAdmin(serverUrl: string, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  try {
    await admin.query(sql)
  } finally {
    await admin.end()
  }
}
