import { createHash } from 'node:crypto'
import { CALENDAR_LOCK, makeRoom, sweepUnheldCalendars, type Evicted } from './calendar-storage.js'
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

/** When an unfinished job can no longer be expected to finish (failOverdue). */
export interface OverdueRules {
  readonly deadlineSeconds: number
  /** A worker that started a job this recently is making progress. */
  readonly progressWindowSeconds: number
  /** How long the queue keeps a message. */
  readonly messageRetentionSeconds: number
}

/** The states from which a worker may still (re)start a job; a finished job is never touched again. */
const UNFINISHED = "status IN ('PENDING', 'STARTED')"

/** Any constant but the other advisory locks'; the same in every process. */
const RETENTION_LOCK = 6400_0002

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

  /**
   * Fails every unfinished job that can no longer be expected to finish; returns their ids. A job
   * a worker has tried gets `deadlineSeconds` from its first try, time for every attempt. A job
   * no worker has tried yet waits while the workers make progress (one started a job within
   * `progressWindowSeconds`), however long the backlog before it: it fails only when none is
   * taking jobs at all (no worker, a stuck queue) and its deadline has passed since acceptance,
   * or once its message is older than the queue keeps messages, when it can never be taken.
   */
  async failOverdue(rules: OverdueRules): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `WITH progress AS (
         SELECT EXISTS (SELECT 1 FROM ical_jobs WHERE started_at > now() - make_interval(secs => $2)) AS making
       ), failed AS (
         UPDATE ical_jobs SET status = 'FAILURE', finished_at = now(), error = CASE
             WHEN first_started_at IS NOT NULL THEN $4
             WHEN created_at < now() - make_interval(secs => $3) THEN $6
             ELSE $5 END
         WHERE ${UNFINISHED} AND CASE
             WHEN first_started_at IS NOT NULL THEN first_started_at < now() - make_interval(secs => $1)
             ELSE created_at < now() - make_interval(secs => $3)
               OR (created_at < now() - make_interval(secs => $1) AND NOT (SELECT making FROM progress)) END
         RETURNING id, attempts, error
       ), events AS (
         INSERT INTO ical_job_events (job_id, step, attempt, detail) SELECT id, 'failed', attempts, error FROM failed
       )
       SELECT id FROM failed`,
      [
        rules.deadlineSeconds,
        rules.progressWindowSeconds,
        rules.messageRetentionSeconds,
        `not finished within ${rules.deadlineSeconds} s of its first attempt: every attempt failed or was lost`,
        `no worker took it within ${rules.deadlineSeconds} s of its acceptance, and none is taking jobs`,
        `no worker took it before the queue dropped its message, ${rules.messageRetentionSeconds} s after it was sent`,
      ],
    )
    return rows.map((row) => row.id)
  }

  /**
   * Deletes finished jobs, their timelines and the calendars no other job has, finished more than
   * `days` ago; returns how many jobs went. In batches of `batchSize`, oldest first (an index on
   * finished_at finds them), at most `maxBatches` a call: each statement stays short however large
   * the backlog (a stopped Lab, a lowered JOB_RETENTION_DAYS), and what one pass leaves, the next
   * takes. Only the calendars of the jobs that went are looked at, and none when none went.
   * `stopped` is asked before each batch, so a stopping process waits for one batch at most.
   */
  async deleteFinished(days: number, { batchSize = 250, maxBatches = 80, stopped = (): boolean => false }: { batchSize?: number; maxBatches?: number; stopped?: () => boolean } = {}): Promise<number> {
    let deleted = 0
    for (let batch = 0; batch < maxBatches && !stopped(); batch++) {
      const went = await inTransaction(this.db, async (tx) => {
        // One process's batch at a time: two at once would each keep a calendar that the other's
        // jobs still seemed to need, and nothing would delete it later. Each statement after the
        // lock sees every batch committed before it. A process that finds another at it leaves
        // retention to that one this time, rather than hold a connection waiting.
        const { rows: lock } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [RETENTION_LOCK])
        if (!lock[0]!.locked) return undefined
        // No store may give a job one of the calendars this batch deletes, meanwhile.
        await tx.query('SELECT pg_advisory_xact_lock($1)', [CALENDAR_LOCK])
        const { rows } = await tx.query<{ deleted: number; digests: Buffer[] | null }>(
          `WITH jobs AS (
             DELETE FROM ical_jobs WHERE id IN (
               SELECT id FROM ical_jobs WHERE status IN ('SUCCESS', 'FAILURE') AND finished_at < now() - make_interval(days => $1)
               ORDER BY finished_at LIMIT $2
             ) RETURNING id, calendar_digest
           ), timelines AS (
             DELETE FROM ical_job_events WHERE job_id IN (SELECT id FROM jobs)
           )
           SELECT count(*)::integer AS deleted, array_agg(DISTINCT calendar_digest) FILTER (WHERE calendar_digest IS NOT NULL) AS digests FROM jobs`,
          [days, batchSize],
        )
        const { deleted: count, digests } = rows[0]!
        if (digests) {
          await tx.query('DELETE FROM calendars c WHERE c.digest = ANY($1::bytea[]) AND NOT EXISTS (SELECT 1 FROM ical_jobs j WHERE j.calendar_digest = c.digest)', [digests])
        }
        return count
      })
      if (went === undefined) break
      deleted += went
      if (went < batchSize) break
    }
    return deleted
  }

  /** Calendars no job holds (left by earlier versions), under the lock stores take, a batch at a time. */
  async sweepUnheldCalendars(): Promise<number> {
    return inTransaction(this.db, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [CALENDAR_LOCK])
      return sweepUnheldCalendars(tx)
    })
  }

  /** Jobs still waiting for a worker, oldest first. */
  async unfinished(): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(`SELECT id FROM ical_jobs WHERE ${UNFINISHED} ORDER BY created_at`)
    return rows.map((row) => row.id)
  }
}
