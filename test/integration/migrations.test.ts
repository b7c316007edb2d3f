import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createPool } from '@taskoverflow/shared'
import { migrate, MIGRATIONS } from '../../containers/shared/src/migrations.js'
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
      expect(await migrate(pool, testLogger)).toEqual(MIGRATIONS.map((m) => m.version))
      expect(await migrate(pool, testLogger)).toEqual([])
      const { rows } = await pool.query("SELECT to_regclass('todos') AS todos, to_regclass('ical_jobs') AS jobs")
      expect(rows[0]).toEqual({ todos: 'todos', jobs: 'ical_jobs' })
    } finally {
      await pool.end()
    }
  })

  it('run without the statement timeout, however long a migration or the wait for another process takes', async () => {
    const slow = [...MIGRATIONS, { version: 1_000, name: 'slower than the statement timeout', sql: 'SELECT pg_sleep(0.6)' }]
    const pools = [0, 1].map(() => createPool({ url: database.url, statementTimeoutMs: 200 }, testLogger))
    try {
      // The second waits for the first's lock, itself longer than the timeout, then finds nothing left to do.
      const [first, second] = await Promise.all(pools.map((pool) => migrate(pool, testLogger, Number.POSITIVE_INFINITY, slow)))
      expect([first, second].flat()).toEqual([1_000])
      // The services' own statements keep their timeout.
      await expect(pools[0]!.query('SELECT pg_sleep(0.6)')).rejects.toMatchObject({ code: '57014' })
    } finally {
      await Promise.all(pools.map((pool) => pool.end()))
      const admin = createPool({ url: database.url }, testLogger)
      await admin.query('DELETE FROM schema_migrations WHERE version = 1000')
      await admin.end()
    }
  })

  it('are safe when several processes start at once', async () => {
    const pools = Array.from({ length: 4 }, () => createPool({ url: database.url, poolSize: 2 }, testLogger))
    try {
      const results = await Promise.all(pools.map((pool) => migrate(pool, testLogger)))
      expect(results.flat()).toEqual([])
      const { rows } = await pools[0]!.query('SELECT count(*)::int AS n FROM schema_migrations')
      expect(rows[0].n).toBe(MIGRATIONS.length)
    } finally {
      await Promise.all(pools.map((pool) => pool.end()))
    }
  })

  it('move the calendars of a deployed database into one row per distinct calendar', async () => {
    const older = await startTestDatabase()
    const pool = createPool({ url: older.url }, testLogger)
    try {
      expect(await migrate(pool, testLogger, 2)).toEqual([1, 2])
      const jobs = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333']
      await pool.query(
        `INSERT INTO ical_jobs (id, status, calendar, event_count, skipped_count, finished_at) VALUES
           ($1, 'SUCCESS', 'BEGIN:VCALENDAR A', 2, 1, now()), ($2, 'SUCCESS', 'BEGIN:VCALENDAR A', 2, 1, now()), ($3, 'SUCCESS', 'BEGIN:VCALENDAR B', 5, 0, now())`,
        jobs,
      )
      expect(await migrate(pool, testLogger)).toEqual(MIGRATIONS.slice(2).map((m) => m.version))
      const { rows } = await pool.query('SELECT j.id, c.body, c.event_count, c.skipped_count FROM ical_jobs j JOIN calendars c ON c.digest = j.calendar_digest ORDER BY j.id')
      expect(rows).toEqual([
        { id: jobs[0], body: 'BEGIN:VCALENDAR A', event_count: 2, skipped_count: 1 },
        { id: jobs[1], body: 'BEGIN:VCALENDAR A', event_count: 2, skipped_count: 1 },
        { id: jobs[2], body: 'BEGIN:VCALENDAR B', event_count: 5, skipped_count: 0 },
      ])
      expect((await pool.query('SELECT count(*)::int AS n FROM calendars')).rows[0].n).toBe(2)
      // Their timelines, from what the job rows knew: accepted, and finished.
      const events = await pool.query("SELECT job_id, string_agg(step, ' ' ORDER BY at, step = 'finished') AS steps FROM ical_job_events GROUP BY job_id ORDER BY job_id")
      expect(events.rows).toEqual(jobs.map((id) => ({ job_id: id, steps: 'accepted finished' })))
    } finally {
      await pool.end()
      await older.close()
    }
  })

  it('refuse a job with a calendar but not SUCCESS, so a result can never stray', async () => {
    const pool = createPool({ url: database.url }, testLogger)
    try {
      await expect(
        pool.query(
          "WITH c AS (INSERT INTO calendars VALUES ('\\x01', 'x', 0, 0) RETURNING digest) INSERT INTO ical_jobs (id, status, calendar_digest) SELECT '7f1f2e1c-3b4a-4c5d-8e9f-0a1b2c3d4e5f', 'STARTED', digest FROM c",
        ),
      ).rejects.toThrow(/check constraint/)
    } finally {
      await pool.end()
    }
  })
})
