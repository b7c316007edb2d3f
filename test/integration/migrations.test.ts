import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createPool, migrate } from '@taskoverflow/shared'
import { startTestDatabase, type TestDatabase } from '../support/database.js'
import { testLogger } from '../support/system.js'

let database: TestDatabase

beforeAll(async () => {
  database = await startTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

describe('database migrations', () => {
  it('create the schema on a fresh database, then find nothing to do', async () => {
    const pool = createPool({ url: database.url }, testLogger)
    try {
      expect(await migrate(pool, testLogger)).toEqual([1, 2])
      expect(await migrate(pool, testLogger)).toEqual([])
      const { rows } = await pool.query("SELECT to_regclass('todos') AS todos, to_regclass('ical_jobs') AS jobs")
      expect(rows[0]).toEqual({ todos: 'todos', jobs: 'ical_jobs' })
    } finally {
      await pool.end()
    }
  })

  it('are safe when several processes start at once', async () => {
    const pools = Array.from({ length: 4 }, () => createPool({ url: database.url, poolSize: 2 }, testLogger))
    try {
      const results = await Promise.all(pools.map((pool) => migrate(pool, testLogger)))
      expect(results.flat()).toEqual([])
      const { rows } = await pools[0]!.query('SELECT count(*)::int AS n FROM schema_migrations')
      expect(rows[0].n).toBe(2)
    } finally {
      await Promise.all(pools.map((pool) => pool.end()))
    }
  })

  it('refuse a job with a calendar but not SUCCESS, so a result can never stray', async () => {
    const pool = createPool({ url: database.url }, testLogger)
    try {
      await expect(
        pool.query("INSERT INTO ical_jobs (id, status, calendar) VALUES ('7f1f2e1c-3b4a-4c5d-8e9f-0a1b2c3d4e5f', 'STARTED', 'x')"),
      ).rejects.toThrow(/check constraint/)
    } finally {
      await pool.end()
    }
  })
})
