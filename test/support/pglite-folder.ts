import { PGlite } from '@electric-sql/pglite'
import { MIGRATIONS } from '../../containers/shared/src/migrations.js'

/** What an earlier version's database held, as the tests of carrying it over check it. */
export const EARLIER = {
  todos: [
    { id: 1, title: 'Project Proposal', description: 'CSSE6400 Project Proposal Due', deadline_at: '2023-04-03T14:00:00' },
    { id: 7, title: 'Kept across versions', description: null, deadline_at: null },
  ],
  job: '00000000-0000-4000-8000-000000000001',
  calendar: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Taskoverflow Calendar//mxm.dk//\r\nEND:VCALENDAR\r\n',
}

/**
 * A data folder as an earlier version's `npm start` left it: PGlite's (PostgreSQL 18's format),
 * migrated by that version's migrations up to `version` and holding EARLIER's rows.
 */
export async function makePgliteFolder(dir: string, version: number): Promise<void> {
  const db = await PGlite.create(dir)
  try {
    await db.exec('CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())')
    for (const migration of MIGRATIONS.filter((m) => m.version <= version)) {
      await db.exec(migration.sql)
      await db.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name])
    }
    for (const todo of EARLIER.todos) {
      await db.query('INSERT INTO todos (id, title, description, deadline_at) VALUES ($1, $2, $3, $4)', [todo.id, todo.title, todo.description, todo.deadline_at])
    }
    await db.query(
      `WITH calendar AS (INSERT INTO calendars (digest, body, event_count, skipped_count) VALUES (sha256(convert_to($2, 'UTF8')), $2, 0, 0) RETURNING digest)
       INSERT INTO ical_jobs (id, status, attempts, created_at, sent_at, started_at, finished_at, calendar_digest)
       SELECT $1, 'SUCCESS', 1, now(), now(), now(), now(), digest FROM calendar`,
      [EARLIER.job, EARLIER.calendar],
    )
    await db.query("INSERT INTO ical_job_events (job_id, step, worker, attempt) VALUES ($1, 'accepted', NULL, NULL), ($1, 'finished', 'worker-1', 1)", [EARLIER.job])
  } finally {
    await db.close()
  }
}
