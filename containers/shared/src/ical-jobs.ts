import type { Queryable } from './db.js'

/** The state names Celery uses, which the practical's clients expect. */
export const JOB_STATUSES = ['PENDING', 'STARTED', 'SUCCESS', 'FAILURE'] as const
export type JobStatus = (typeof JOB_STATUSES)[number]

export interface JobState {
  id: string
  status: JobStatus
  error: string | null
  attempts: number
}

export interface CalendarResult {
  calendar: string
  eventCount: number
  skippedCount: number
}

/** The states from which a worker may still (re)start a job; a finished job is never touched again. */
const UNFINISHED = "status IN ('PENDING', 'STARTED')"

/**
 * All SQL about calendar export jobs. Every transition is one conditional UPDATE, so a
 * redelivered or concurrent message can never move a finished job back or give it a
 * second result.
 */
export class IcalJobRepository {
  constructor(private readonly db: Queryable) {}

  async create(id: string): Promise<void> {
    await this.db.query('INSERT INTO ical_jobs (id) VALUES ($1)', [id])
  }

  /** Used when the job could not be queued, so no PENDING job is left that will never run. */
  async remove(id: string): Promise<void> {
    await this.db.query("DELETE FROM ical_jobs WHERE id = $1 AND status = 'PENDING'", [id])
  }

  async state(id: string): Promise<JobState | undefined> {
    const { rows } = await this.db.query<JobState>('SELECT id, status, error, attempts FROM ical_jobs WHERE id = $1', [id])
    return rows[0]
  }

  async calendar(id: string): Promise<{ status: JobStatus; error: string | null; calendar: string | null } | undefined> {
    const { rows } = await this.db.query<{ status: JobStatus; error: string | null; calendar: string | null }>(
      'SELECT j.status, j.error, c.body AS calendar FROM ical_jobs j LEFT JOIN calendars c ON c.digest = j.calendar_digest WHERE j.id = $1',
      [id],
    )
    return rows[0]
  }

  /**
   * Marks the jobs STARTED and counts the attempt, in one statement; returns the ids it could
   * start, leaving out those unknown or already finished.
   */
  async start(ids: readonly string[]): Promise<Set<string>> {
    const { rows } = await this.db.query<{ id: string }>(
      `UPDATE ical_jobs SET status = 'STARTED', attempts = attempts + 1, started_at = now()
       WHERE id = ANY($1::uuid[]) AND ${UNFINISHED} RETURNING id`,
      [ids],
    )
    return new Set(rows.map((row) => row.id))
  }

  /**
   * Stores one calendar as the result of every job given, in one statement; returns how many it
   * finished. A calendar is kept once, by its SHA-256: exporting unchanged todos again adds a job
   * row, not a second copy of the calendar.
   */
  async succeed(ids: readonly string[], result: CalendarResult): Promise<number> {
    const { rowCount } = await this.db.query(
      `WITH stored AS (
         INSERT INTO calendars (digest, body, event_count, skipped_count) VALUES (sha256(convert_to($2, 'UTF8')), $2, $3, $4)
         ON CONFLICT (digest) DO NOTHING
       )
       UPDATE ical_jobs
       SET status = 'SUCCESS', calendar_digest = sha256(convert_to($2, 'UTF8')), error = NULL, finished_at = now()
       WHERE id = ANY($1::uuid[]) AND ${UNFINISHED}`,
      [ids, result.calendar, result.eventCount, result.skippedCount],
    )
    return rowCount ?? 0
  }

  async fail(id: string, error: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE ical_jobs SET status = 'FAILURE', error = $2, finished_at = now() WHERE id = $1 AND ${UNFINISHED}`,
      [id, error],
    )
    return rowCount === 1
  }

  /** These jobs' messages are in the queue. */
  async markSent(ids: readonly string[]): Promise<void> {
    await this.db.query('UPDATE ical_jobs SET sent_at = now() WHERE id = ANY($1::uuid[])', [ids])
  }

  /**
   * Claims the PENDING jobs accepted more than `graceSeconds` ago whose message was never sent
   * (the API died between recording a job and sending it): each is claimed by one caller only.
   */
  async claimUnsent(graceSeconds: number, limit = 100): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `UPDATE ical_jobs SET sent_at = now()
       WHERE id IN (SELECT id FROM ical_jobs WHERE status = 'PENDING' AND sent_at IS NULL AND created_at < now() - make_interval(secs => $1)
                    ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [graceSeconds, limit],
    )
    return rows.map((row) => row.id)
  }

  /** Gives claimed jobs back, when their messages could not be sent after all. */
  async unclaim(ids: readonly string[]): Promise<void> {
    await this.db.query("UPDATE ical_jobs SET sent_at = NULL WHERE id = ANY($1::uuid[]) AND status = 'PENDING'", [ids])
  }

  /** Fails every job still unfinished `deadlineSeconds` after it was accepted; returns their ids. */
  async failOverdue(deadlineSeconds: number, error: string): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `UPDATE ical_jobs SET status = 'FAILURE', error = $2, finished_at = now()
       WHERE ${UNFINISHED} AND created_at < now() - make_interval(secs => $1)
       RETURNING id`,
      [deadlineSeconds, error],
    )
    return rows.map((row) => row.id)
  }

  /** Deletes finished jobs, and their calendars, finished more than `days` ago; returns how many. */
  async deleteFinished(days: number): Promise<number> {
    const { rowCount } = await this.db.query(
      "DELETE FROM ical_jobs WHERE status IN ('SUCCESS', 'FAILURE') AND finished_at < now() - make_interval(days => $1)",
      [days],
    )
    // Calendars no job refers to any more. Should a job take one at this very moment, the
    // foreign key fails this statement, the reconciler logs it, and a later pass tidies up.
    await this.db.query('DELETE FROM calendars c WHERE NOT EXISTS (SELECT 1 FROM ical_jobs j WHERE j.calendar_digest = c.digest)')
    return rowCount ?? 0
  }

  /** Jobs still waiting for a worker, oldest first. */
  async unfinished(): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(`SELECT id FROM ical_jobs WHERE ${UNFINISHED} ORDER BY created_at`)
    return rows.map((row) => row.id)
  }
}
