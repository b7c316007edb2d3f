import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from '@jest/globals'
import type pg from 'pg'
import { createPool } from '@taskoverflow/shared'
import { migrate, MIGRATIONS } from '../../containers/shared/src/migrations.js'
import { startTestDatabase } from '../support/database.js'
import { describeSchema } from '../support/schema.js'
import { testLogger } from '../support/system.js'

/**
 * Migration 4's SQL as it shipped at 785a6ec, byte for byte (`git show
 * 785a6ec:containers/shared/src/migrations.ts`): events keyed by id alone, an index on
 * (job_id, at), a foreign key to the job. d44605e and 930f267 then edited it in place.
 */
const MIGRATION_4_AT_785A6EC = `
      CREATE TABLE ical_job_events (
        id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        job_id  uuid        NOT NULL REFERENCES ical_jobs (id) ON DELETE CASCADE,
        step    text        NOT NULL CHECK (step IN ('accepted', 'sent', 'received', 'started', 'retrying', 'finished', 'failed')),
        at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        worker  text,
        attempt integer,
        detail  text
      );
      CREATE INDEX ical_job_events_job_idx ON ical_job_events (job_id, at);
      -- What the job rows already tell of the jobs from before.
      INSERT INTO ical_job_events (job_id, step, at)
        SELECT id, 'accepted', created_at FROM ical_jobs
        UNION ALL SELECT id, 'sent', sent_at FROM ical_jobs WHERE sent_at IS NOT NULL
        UNION ALL SELECT id, 'started', started_at FROM ical_jobs WHERE started_at IS NOT NULL
        UNION ALL SELECT id, CASE status WHEN 'SUCCESS' THEN 'finished' ELSE 'failed' END, finished_at FROM ical_jobs WHERE finished_at IS NOT NULL;

      CREATE TABLE worker_stats (
        worker                     text        PRIMARY KEY,
        started_at                 timestamptz NOT NULL,
        seen_at                    timestamptz NOT NULL DEFAULT now(),
        receives                   bigint      NOT NULL,
        empty_receives             bigint      NOT NULL,
        empty_receives_last_minute integer     NOT NULL,
        messages_received          bigint      NOT NULL,
        handled                    bigint      NOT NULL,
        retries                    bigint      NOT NULL
      );
    `

/** The same at d44605e: today's key, and still the foreign key that 930f267 dropped. */
const MIGRATION_4_AT_D44605E = `
      -- Keyed by job first: a timeline is read, and deleted with its job, by job_id alone.
      CREATE TABLE ical_job_events (
        job_id  uuid        NOT NULL REFERENCES ical_jobs (id) ON DELETE CASCADE,
        id      bigint      GENERATED ALWAYS AS IDENTITY,
        step    text        NOT NULL CHECK (step IN ('accepted', 'sent', 'received', 'started', 'retrying', 'finished', 'failed')),
        at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        worker  text,
        attempt integer,
        detail  text,
        PRIMARY KEY (job_id, id)
      );
      -- What the job rows already tell of the jobs from before.
      INSERT INTO ical_job_events (job_id, step, at)
        SELECT id, 'accepted', created_at FROM ical_jobs
        UNION ALL SELECT id, 'sent', sent_at FROM ical_jobs WHERE sent_at IS NOT NULL
        UNION ALL SELECT id, 'started', started_at FROM ical_jobs WHERE started_at IS NOT NULL
        UNION ALL SELECT id, CASE status WHEN 'SUCCESS' THEN 'finished' ELSE 'failed' END, finished_at FROM ical_jobs WHERE finished_at IS NOT NULL;

      CREATE TABLE worker_stats (
        worker                     text        PRIMARY KEY,
        started_at                 timestamptz NOT NULL,
        seen_at                    timestamptz NOT NULL DEFAULT now(),
        receives                   bigint      NOT NULL,
        empty_receives             bigint      NOT NULL,
        empty_receives_last_minute integer     NOT NULL,
        messages_received          bigint      NOT NULL,
        handled                    bigint      NOT NULL,
        retries                    bigint      NOT NULL
      );
    `

const JOB = '5a1e0b9c-3d2f-4e6a-8b7c-9d0e1f2a3b4c'
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
let fresh: Record<string, unknown[]>

async function withDatabase<T>(use: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const database = await startTestDatabase()
  const pool = createPool({ url: database.url }, testLogger)
  try {
    return await use(pool)
  } finally {
    await pool.end()
    await database.close()
  }
}

/** A database as one migrated when migration 4 read `sql`, with a job and its timeline in it. */
async function migratedWithMigration4(pool: pg.Pool, sql: string): Promise<void> {
  await migrate(pool, testLogger, 3)
  await pool.query("INSERT INTO ical_jobs (id, status, sent_at, started_at, attempts) VALUES ($1, 'STARTED', now(), now(), 1)", [JOB])
  await pool.query(sql)
  await pool.query('INSERT INTO schema_migrations (version, name) VALUES (4, $1)', [MIGRATIONS[3]!.name])
  await pool.query("INSERT INTO ical_job_events (job_id, step, worker, attempt) VALUES ($1, 'received', 'w', 1)", [JOB])
}

beforeAll(async () => {
  fresh = await withDatabase(async (pool) => {
    await migrate(pool, testLogger)
    return describeSchema(pool)
  })
})

describe('a database migrated before migration 4 was edited', () => {
  it('is built here from the SQL that shipped, not a guess at it', () => {
    // The SHA-256 of migration 4's text in `git show 785a6ec:...` and `git show d44605e:...`.
    expect(sha256(MIGRATION_4_AT_785A6EC)).toBe('fad78978680df8558cb80531f8f8065e55c8f503ba8ee8061386d11ba2a30ae6')
    expect(sha256(MIGRATION_4_AT_D44605E)).toBe('c7919af3e9a92ed7312a36b6cdd3d32cfecdfcc6c5321ce13d2a297fcffd535c')
  })

  it.each([
    ['785a6ec, as released', MIGRATION_4_AT_785A6EC],
    ['d44605e', MIGRATION_4_AT_D44605E],
  ])('migrated at %s ends with exactly the schema of a fresh one, its timelines kept', async (_, sql) => {
    await withDatabase(async (pool) => {
      await migratedWithMigration4(pool, sql)
      const before = await pool.query('SELECT id, job_id, step FROM ical_job_events ORDER BY id')
      expect(before.rows.map((row) => row.step)).toEqual(['accepted', 'sent', 'started', 'received'])

      expect(await migrate(pool, testLogger)).toEqual(MIGRATIONS.filter((m) => m.version > 4).map((m) => m.version))
      expect(await describeSchema(pool)).toEqual(fresh)
      expect((await pool.query('SELECT id, job_id, step FROM ical_job_events ORDER BY id')).rows).toEqual(before.rows)
      // The ids go on after those kept, and an event no longer needs its job (migration 4 today).
      const next = await pool.query("INSERT INTO ical_job_events (job_id, step) VALUES ('00000000-0000-4000-8000-000000000000', 'accepted') RETURNING id")
      expect(Number(next.rows[0].id)).toBeGreaterThan(Math.max(...before.rows.map((row) => Number(row.id))))
    })
  })
})

describe("a database migrated with today's migration 4", () => {
  it('is left as it is by the repair', async () => {
    await withDatabase(async (pool) => {
      await migrate(pool, testLogger, 4)
      await pool.query('INSERT INTO ical_jobs (id) VALUES ($1)', [JOB])
      await pool.query("INSERT INTO ical_job_events (job_id, step) VALUES ($1, 'accepted')", [JOB])
      await migrate(pool, testLogger)
      expect(await describeSchema(pool)).toEqual(fresh)
      expect((await pool.query('SELECT job_id, id, step FROM ical_job_events')).rows).toEqual([{ job_id: JOB, id: '1', step: 'accepted' }])
    })
  })
})
