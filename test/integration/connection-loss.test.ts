import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createPool } from '@taskoverflow/shared'
import { inTransaction } from '../../containers/shared/src/db.js'
import { migrate } from '../../containers/shared/src/migrations.js'
import { startTestDatabase, type TestDatabase } from '../support/database.js'
import { testLogger } from '../support/system.js'

let database: TestDatabase

beforeAll(async () => {
  database = await startTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

/**
 * The server ends a connection a service holds out of the pool (what a fast shutdown, a failover
 * or an administrator does): the process must see a rejected call, not an 'error' event nobody
 * listens to, which Node turns into a crash. The database-outage fault test met this once in six.
 */
describe('a connection the server ends while it is checked out of the pool', () => {
  it('fails the transaction on it, and the pool goes on with a new connection', async () => {
    const pool = createPool({ url: database.url }, testLogger)
    const admin = createPool({ url: database.url }, testLogger)
    try {
      const terminated = inTransaction(pool, async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid])
        // The server's goodbye and the socket's end arrive while nothing is asked of this connection.
        await new Promise((resolve) => setTimeout(resolve, 200))
        await tx.query('SELECT 1')
      })
      await expect(terminated).rejects.toThrow(/terminat|not queryable/i)
      const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one')
      expect(rows).toEqual([{ one: 1 }])
    } finally {
      await Promise.all([pool.end(), admin.end()])
    }
  })

  it('fails a migration on it without ending the process', async () => {
    const pool = createPool({ url: database.url }, testLogger)
    const admin = createPool({ url: database.url }, testLogger)
    try {
      const slow = [{ version: 1, name: 'ended by the server', sql: 'SELECT pg_sleep(5)' }]
      const migrating = migrate(pool, testLogger, Number.POSITIVE_INFINITY, slow)
      // Its own backend, found by what it runs.
      for (let tries = 0; ; tries++) {
        const { rowCount } = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(5)' AND pid <> pg_backend_pid()")
        if (rowCount) break
        if (tries > 100) throw new Error('the migration never ran its statement')
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      await expect(migrating).rejects.toThrow(/terminat/i)
      await new Promise((resolve) => setTimeout(resolve, 200))
    } finally {
      await Promise.all([pool.end(), admin.end()])
    }
  })
})
