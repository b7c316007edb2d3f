import { CALENDAR_LOCK } from './calendar-storage.js'
import { inTransaction, type Database } from './db.js'
import { UNFINISHED } from './ical-jobs.js'

/** When an unfinished job can no longer be expected to finish (failOverdue). */
export interface OverdueRules {
  readonly deadlineSeconds: number
  /** A worker that started a job this recently is making progress. */
  readonly progressWindowSeconds: number
  /** How long the queue keeps a message. */
  readonly messageRetentionSeconds: number
}

/** Any constant but the other advisory locks'; the same in every process. */
const RETENTION_LOCK = 6400_0002

/**
 * The reconciler's SQL (reconciler.ts): what keeps every job ending and the tables from growing.
 * Each step is a conditional statement, so any number of processes run it and none acts twice on
 * a job.
 */
export class JobUpkeep {
  constructor(private readonly db: Database) {}

  /**
   * Claims the PENDING jobs accepted more than `graceSeconds` ago whose message was never sent
   * (the API died between recording a job and sending it): each is claimed by one caller only.
   * A claim (sent_at set) becomes a send once recorded (the timeline's `sent` step); one still
   * unrecorded `graceSeconds` later was cut short (its claimer died, or could not give it back)
   * and is claimed again: at worst the job is sent twice, which is harmless.
   */
  async claimUnsent(graceSeconds: number, limit = 100): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `UPDATE ical_jobs SET sent_at = now()
       WHERE id IN (SELECT j.id FROM ical_jobs j
                    WHERE j.status = 'PENDING' AND j.created_at < now() - make_interval(secs => $1)
                      AND (j.sent_at IS NULL OR (j.sent_at < now() - make_interval(secs => $1)
                           AND NOT EXISTS (SELECT 1 FROM ical_job_events e WHERE e.job_id = j.id AND e.step = 'sent')))
                    ORDER BY j.created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [graceSeconds, limit],
    )
    return rows.map((row) => row.id)
  }

  /**
   * Fails every unfinished job that can no longer be expected to finish; returns their ids. A job
   * a worker has tried gets `deadlineSeconds` from its first try, time for every attempt. A job
   * no worker has tried yet waits while the workers make progress (one started a job within
   * `progressWindowSeconds`), however long the backlog before it: it fails only when none is
   * taking jobs at all (no worker, a stuck queue) and its deadline has passed since acceptance,
   * or once its message was sent longer ago than the queue keeps messages, when it can never be
   * taken.
   */
  async failOverdue(rules: OverdueRules): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `WITH progress AS (
         SELECT EXISTS (SELECT 1 FROM ical_jobs WHERE started_at > now() - make_interval(secs => $2)) AS making
       ), failed AS (
         UPDATE ical_jobs SET status = 'FAILURE', finished_at = now(), error = CASE
             WHEN first_started_at IS NOT NULL THEN $4
             WHEN coalesce(sent_at, created_at) < now() - make_interval(secs => $3) THEN $6
             ELSE $5 END
         WHERE ${UNFINISHED} AND CASE
             WHEN first_started_at IS NOT NULL THEN first_started_at < now() - make_interval(secs => $1)
             ELSE coalesce(sent_at, created_at) < now() - make_interval(secs => $3)
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
}
