/**
 * What the database keeps of calendars (containers/shared/src/calendar-storage.ts and the store in
 * ical-jobs.ts): within CALENDAR_STORAGE_MB whatever is exported, only with a job that takes it,
 * and never deleted under a job that is being given it.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import type pg from 'pg'
import { CalendarTooLargeError, createPool, IcalJobRepository, JobUpkeep } from '@taskoverflow/shared'
import { migrate } from '../../containers/shared/src/migrations.js'
import { startTestDatabase, type TestDatabase } from '../support/database.js'
import { testLogger } from '../support/system.js'

let database: TestDatabase
let pool: pg.Pool
let jobs: IcalJobRepository

beforeAll(async () => {
  database = await startTestDatabase()
  pool = createPool({ url: database.url, poolSize: 6 }, testLogger)
  await migrate(pool, testLogger)
  jobs = new IcalJobRepository(pool)
})
afterAll(async () => {
  await pool?.end()
  await database?.close()
})
beforeEach(async () => {
  await pool.query('TRUNCATE ical_jobs, ical_job_events, calendars')
})

/** A calendar of exactly `bytes` bytes of text, different for every `n`. */
const calendarOf = (n: number, bytes: number) => ({ calendar: `${n}:`.padEnd(bytes, 'x'), eventCount: 0, skippedCount: 0 })

/** A new job, started by a worker, as the store finds it. */
async function startedJob(): Promise<string> {
  const id = randomUUID()
  await jobs.create(id)
  await jobs.start([{ jobId: id, attempt: 1 }], 'worker-1')
  return id
}

const stored = async () => {
  const { rows } = await pool.query<{ kept: string; counted: string; calendars: number }>(
    'SELECT (SELECT coalesce(sum(octet_length(body)), 0) FROM calendars) AS kept, (SELECT bytes FROM calendar_storage) AS counted, (SELECT count(*)::int FROM calendars) AS calendars',
  )
  return { kept: Number(rows[0]!.kept), counted: Number(rows[0]!.counted), calendars: rows[0]!.calendars }
}
const statusOf = async (id: string) => (await jobs.state(id))?.status

describe('the calendars kept', () => {
  it('stay within the bound however many are exported: the ones used longest ago go, with their finished jobs', async () => {
    const limit = 10_000
    const ids: string[] = []
    for (let n = 0; n < 8; n++) {
      const id = await startedJob()
      ids.push(id)
      const { finished } = await jobs.succeed([id], calendarOf(n, 3_000), 'worker-1', limit)
      expect(finished).toBe(1)
      const { kept, counted } = await stored()
      expect([n, kept <= limit, counted]).toEqual([n, true, kept])
    }
    // The newest three fit (9,000 bytes); the five before them went, and so did their jobs.
    expect(await Promise.all(ids.map(statusOf))).toEqual([undefined, undefined, undefined, undefined, undefined, 'SUCCESS', 'SUCCESS', 'SUCCESS'])
    expect((await pool.query('SELECT count(*)::int AS n FROM ical_job_events WHERE job_id = ANY($1::uuid[])', [ids.slice(0, 5)])).rows[0].n).toBe(0)
  })

  it('keeps a calendar used again, as the newest', async () => {
    const first = await startedJob()
    await jobs.succeed([first], calendarOf(0, 4_000), 'worker-1', 10_000)
    await jobs.succeed([await startedJob()], calendarOf(1, 4_000), 'worker-1', 10_000)
    // Calendar 0 again: now used after calendar 1, so 1 goes when 2 needs room.
    await jobs.succeed([await startedJob()], calendarOf(0, 4_000), 'worker-1', 10_000)
    await jobs.succeed([await startedJob()], calendarOf(2, 4_000), 'worker-1', 10_000)
    expect(await statusOf(first)).toBe('SUCCESS')
    expect((await stored()).calendars).toBe(2)
  })

  it('refuses a calendar larger than the whole bound, taking nothing of what is kept', async () => {
    const kept = await startedJob()
    await jobs.succeed([kept], calendarOf(0, 1_000), 'worker-1', 10_000)
    const id = await startedJob()
    await expect(jobs.succeed([id], calendarOf(1, 20_000), 'worker-1', 10_000)).rejects.toThrow(CalendarTooLargeError)
    expect(await statusOf(kept)).toBe('SUCCESS')
    expect(await stored()).toMatchObject({ calendars: 1 })
  })

  it('takes room only for a job that will have the calendar: a duplicate of a finished job evicts nothing and stores nothing', async () => {
    const kept = await startedJob()
    await jobs.succeed([kept], calendarOf(0, 6_000), 'worker-1', 10_000)
    const done = await startedJob()
    await jobs.fail(done, 'failed by the deadline while its calendar was being built')
    expect(await jobs.succeed([done], calendarOf(1, 6_000), 'worker-1', 10_000)).toEqual({ finished: 0, evicted: { calendars: 0, jobs: 0, bytes: 0 } })
    expect(await statusOf(kept)).toBe('SUCCESS')
    expect(await stored()).toMatchObject({ calendars: 1, kept: 6_000 })
  })
})

describe('a calendar no job holds', () => {
  it('is never stored by a delivery that finishes no job', async () => {
    const done = await startedJob()
    await jobs.succeed([done], calendarOf(0, 100), 'worker-1')
    // The same job delivered again, with a calendar built from todos that changed meanwhile.
    expect((await jobs.succeed([done], calendarOf(1, 100), 'worker-1')).finished).toBe(0)
    expect((await stored()).calendars).toBe(1)
  })

  it('that no job holds, as earlier versions left them, are deleted once, by migration 10', async () => {
    const earlier = await startTestDatabase()
    const old = createPool({ url: earlier.url, poolSize: 1 }, testLogger)
    try {
      await migrate(old, testLogger, 9)
      await old.query("INSERT INTO calendars (digest, body, event_count, skipped_count) VALUES (sha256('left'), 'left behind', 0, 0), (sha256('held'), 'held', 0, 0)")
      await old.query("INSERT INTO ical_jobs (id, status, attempts, finished_at, calendar_digest) VALUES ($1, 'SUCCESS', 1, now(), sha256('held'))", [randomUUID()])
      expect(await migrate(old, testLogger)).toEqual([10])
      const { rows } = await old.query<{ body: string; counted: string }>('SELECT body, (SELECT bytes FROM calendar_storage) AS counted FROM calendars')
      expect(rows).toEqual([{ body: 'held', counted: '4' }])
    } finally {
      await old.end()
      await earlier.close()
    }
  })
})

describe('retention beside a worker storing the same calendar', () => {
  it('never fails the job: the store and the retention batch take turns', async () => {
    // A job that finished long ago holds calendar 0; retention will delete it, and the calendar with it.
    const old = await startedJob()
    await jobs.succeed([old], calendarOf(0, 100), 'worker-1')
    await pool.query("UPDATE ical_jobs SET finished_at = now() - interval '8 days' WHERE id = $1", [old])
    // The worker's statement is held up at its end, as by a busy server, while retention runs: after
    // it has found the calendar kept already, before its foreign key is checked. (Triggers at the end
    // of a statement fire by name, and "A..." comes before PostgreSQL's own "RI_ConstraintTrigger...".)
    await pool.query(`CREATE FUNCTION slow_finish() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.5); RETURN NULL; END $$`)
    await pool.query(`CREATE TRIGGER "A_slow_finish" AFTER UPDATE ON ical_jobs FOR EACH ROW WHEN (NEW.status = 'SUCCESS') EXECUTE FUNCTION slow_finish()`)
    try {
      const id = await startedJob()
      const storing = jobs.succeed([id], calendarOf(0, 100), 'worker-1')
      await new Promise((resolve) => setTimeout(resolve, 100))
      const retention = new JobUpkeep(pool).deleteFinished(7)
      await expect(storing).resolves.toMatchObject({ finished: 1 })
      await retention
      expect(await statusOf(id)).toBe('SUCCESS')
      expect((await jobs.calendar(id))?.calendar).toBe(calendarOf(0, 100).calendar)
    } finally {
      await pool.query('DROP TRIGGER "A_slow_finish" ON ical_jobs; DROP FUNCTION slow_finish()')
    }
  })
})
