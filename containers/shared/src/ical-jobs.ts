import { createHash } from 'node:crypto'
import { CALENDAR_LOCK, makeRoom, type Evicted } from './calendar-storage.js'
import { inTransaction, type Database } from './db.js'
import { parseTimeline, TIMELINE_OF_J, type JobEvent, type TimelineJson } from './job-timeline.js'

/** The state names Celery uses, which the practical's clients expect. */
export type JobStatus = 'PENDING' | 'STARTED' | 'SUCCESS' | 'FAILURE'

/** A job and each step it went through so far, in order: what the pipeline view lists. */
export interface JobTimeline {
  readonly id: string
  readonly status: JobStatus
  readonly timeline: JobEvent[]
}

/** A job as its status endpoint gives it: its timeline, and how it went. */
export interface JobState extends JobTimeline {
  readonly error: string | null
  readonly attempts: number
}

/**
 * A job as a worker received it from the queue: `attempt` is SQS's receive count (1 on the first
 * delivery, higher on each redelivery); `receivedAt` when the worker got it.
 */
export interface ReceivedJob {
  readonly jobId: string
  readonly attempt: number
  /** @default the database's clock, when the job is started */
  readonly receivedAt?: Date
}

export interface CalendarResult {
  calendar: string
  eventCount: number
  skippedCount: number
}

/** The states from which a worker may still (re)start a job; a finished job is never touched again. */
export const UNFINISHED = "status IN ('PENDING', 'STARTED')"

/**
 * All SQL about calendar export jobs. Every transition is one conditional UPDATE, so a
 * redelivered or concurrent message can never move a finished job back or give it a
 * second result. Each also adds its step to the job's timeline (job-timeline.ts) in the same
 * statement, so the timeline costs no extra round trip.
 */
export class IcalJobRepository {
  constructor(private readonly db: Database) {}

  async create(id: string): Promise<void> {
    await this.db.query(
      `WITH job AS (INSERT INTO ical_jobs (id) VALUES ($1) RETURNING id, created_at)
       INSERT INTO ical_job_events (job_id, step, at) SELECT id, 'accepted', created_at FROM job`,
      [id],
    )
  }

  /** Used when the job could not be queued, so no PENDING job is left that will never run. */
  async remove(id: string): Promise<void> {
    await this.db.query(
      `WITH removed AS (DELETE FROM ical_jobs WHERE id = $1 AND status = 'PENDING' RETURNING id)
       DELETE FROM ical_job_events WHERE job_id IN (SELECT id FROM removed)`,
      [id],
    )
  }

  /** The job and its timeline, in one round trip (clients poll this). */
  async state(id: string): Promise<JobState | undefined> {
    const { rows } = await this.db.query<Omit<JobState, 'timeline'> & { timeline: TimelineJson[] }>(
      `SELECT j.id, j.status, j.error, j.attempts, ${TIMELINE_OF_J} AS timeline FROM ical_jobs j WHERE j.id = $1`,
      [id],
    )
    return rows[0] && { ...rows[0], timeline: parseTimeline(rows[0].timeline) }
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
   * start, leaving out those unknown or already finished. Every known job's timeline gets the
   * delivery (a duplicate of a finished job too: SQS delivers at least once), and those started
   * a start.
   */
  async start(jobs: readonly ReceivedJob[], worker: string): Promise<Set<string>> {
    const { rows } = await this.db.query<{ id: string }>(
      `WITH delivered AS (
         SELECT * FROM unnest($1::uuid[], $2::integer[], $3::timestamptz[]) AS d (id, attempt, received_at)
       ), started AS (
         UPDATE ical_jobs SET status = 'STARTED', attempts = attempts + 1, started_at = now(), first_started_at = coalesce(first_started_at, now())
         WHERE id = ANY($1::uuid[]) AND ${UNFINISHED} RETURNING id
       ), events AS (
         -- One INSERT, in this order, so a receipt's id comes before its start's: at the same
         -- instant (a clock may not tell them apart) the timeline goes by id. A start is
         -- never stamped before its receipt, though that is the worker's clock and this the database's.
         INSERT INTO ical_job_events (job_id, step, at, worker, attempt)
         SELECT id, step, at, $4, attempt FROM (
           SELECT d.id, 'received' AS step, coalesce(d.received_at, statement_timestamp()) AS at, d.attempt, 1 AS n
           FROM delivered d JOIN ical_jobs j ON j.id = d.id
           UNION ALL
           SELECT d.id, 'started', greatest(clock_timestamp(), d.received_at, statement_timestamp()), d.attempt, 2
           FROM delivered d JOIN started s ON s.id = d.id
         ) AS steps ORDER BY n
       )
       SELECT id FROM started`,
      [jobs.map((job) => job.jobId), jobs.map((job) => job.attempt), jobs.map((job) => job.receivedAt ?? null), worker],
    )
    return new Set(rows.map((row) => row.id))
  }

  /**
   * Stores one calendar as the result of every job given that is still unfinished; returns how
   * many it finished and what it evicted to stay within `limitBytes` (calendar-storage.ts). A
   * calendar is kept once, by its SHA-256 (exporting unchanged todos again adds a job row, not a
   * second copy), and only with a job that takes it. A store and a retention batch never
   * interleave: both hold CALENDAR_LOCK, so the calendar a job is given is never deleted under it.
   */
  async succeed(ids: readonly string[], result: CalendarResult, worker: string, limitBytes = Number.POSITIVE_INFINITY): Promise<{ finished: number; evicted: Evicted }> {
    const digest = createHash('sha256').update(result.calendar, 'utf8').digest()
    return inTransaction(this.db, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [CALENDAR_LOCK])
      const evicted = await makeRoom(tx, { digest, bytes: Buffer.byteLength(result.calendar, 'utf8'), jobIds: ids }, limitBytes)
      const { rows } = await tx.query<{ finished: number }>(
        `WITH finished AS (
           UPDATE ical_jobs SET status = 'SUCCESS', calendar_digest = $7, error = NULL, finished_at = now()
           WHERE id = ANY($1::uuid[]) AND ${UNFINISHED} RETURNING id, attempts
         ), stored AS (
           -- Kept only with a job that takes it; one kept already is marked used again, which
           -- also locks it for this transaction.
           INSERT INTO calendars (digest, body, event_count, skipped_count) SELECT $7, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM finished)
           ON CONFLICT (digest) DO UPDATE SET used_at = now()
         ), events AS (
           INSERT INTO ical_job_events (job_id, step, worker, attempt, detail)
           SELECT id, 'finished', $5, attempts, $6 FROM finished
         )
         SELECT count(*)::integer AS finished FROM finished`,
        [ids, result.calendar, result.eventCount, result.skippedCount, worker, `${result.eventCount} event${result.eventCount === 1 ? '' : 's'}`, digest],
      )
      return { finished: rows[0]?.finished ?? 0, evicted }
    })
  }

  /** Records the job's last failure; `worker` is absent when no worker had it (the reconciler). */
  async fail(id: string, error: string, worker?: string): Promise<boolean> {
    const { rows } = await this.db.query(
      `WITH failed AS (
         UPDATE ical_jobs SET status = 'FAILURE', error = $2, finished_at = now() WHERE id = $1 AND ${UNFINISHED} RETURNING id, attempts
       )
       INSERT INTO ical_job_events (job_id, step, worker, attempt, detail) SELECT id, 'failed', $3, attempts, $2 FROM failed RETURNING job_id`,
      [id, error, worker ?? null],
    )
    return rows.length === 1
  }

  /** An attempt failed and the queue will deliver the job again: only its timeline changes. */
  async retrying(id: string, attempt: number, error: string, worker: string): Promise<void> {
    await this.db.query(
      `INSERT INTO ical_job_events (job_id, step, worker, attempt, detail)
       SELECT id, 'retrying', $4, $2, $3 FROM ical_jobs WHERE id = $1 AND ${UNFINISHED}`,
      [id, attempt, error, worker],
    )
  }

  /**
   * These jobs' messages are in the queue, sent at `sentAt` (by the sender's clock); `detail`
   * says who sent them, when not the API.
   */
  async markSent(ids: readonly string[], sentAt: Date, detail?: string): Promise<void> {
    await this.db.query(
      `WITH sent AS (UPDATE ical_jobs SET sent_at = now() WHERE id = ANY($1::uuid[]) RETURNING id, created_at)
       INSERT INTO ical_job_events (job_id, step, at, detail) SELECT id, 'sent', greatest($2, created_at), $3 FROM sent`,
      [ids, sentAt, detail ?? null],
    )
  }

  /** Gives claimed jobs back, when their messages could not be sent after all. */
  async unclaim(ids: readonly string[]): Promise<void> {
    await this.db.query("UPDATE ical_jobs SET sent_at = NULL WHERE id = ANY($1::uuid[]) AND status = 'PENDING'", [ids])
  }

  /** Jobs still waiting for a worker, oldest first. */
  async unfinished(): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(`SELECT id FROM ical_jobs WHERE ${UNFINISHED} ORDER BY created_at`)
    return rows.map((row) => row.id)
  }
}
