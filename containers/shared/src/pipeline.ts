import type { Queryable } from './db.js'
import type { JobStatus, JobTimeline } from './ical-jobs.js'
import { parseTimeline, TIMELINE_OF_J, type TimelineJson } from './job-timeline.js'

/** What one worker has done since it started, as it last published it. */
export interface WorkerCounters {
  readonly worker: string
  readonly startedAt: Date
  /** ReceiveMessage calls that returned, with messages or without. */
  readonly receives: number
  /** Of those, the ones that returned nothing: what an idle worker pays for. */
  readonly emptyReceives: number
  readonly emptyReceivesLastMinute: number
  readonly messagesReceived: number
  /** Messages finished with and deleted: succeeded, or already finished by an earlier delivery. */
  readonly handled: number
  /** Messages given back to the queue to be tried again. */
  readonly retries: number
}

export interface PublishedWorker extends WorkerCounters {
  readonly seenAt: Date
}

/** The pipeline as the database sees it: each job's timeline, and every worker's counters. */
export class PipelineRepository {
  constructor(private readonly db: Queryable) {}

  /** The newest jobs, newest first, with their timelines, in one query. */
  async recent(limit: number): Promise<JobTimeline[]> {
    const { rows } = await this.db.query<{ id: string; status: JobStatus; timeline: TimelineJson[] }>(
      `SELECT j.id, j.status, ${TIMELINE_OF_J} AS timeline FROM ical_jobs j ORDER BY j.created_at DESC, j.id LIMIT $1`,
      [limit],
    )
    return rows.map((row) => ({ ...row, timeline: parseTimeline(row.timeline) }))
  }

  async publishWorker(counters: WorkerCounters): Promise<void> {
    await this.db.query(
      `INSERT INTO worker_stats (worker, started_at, receives, empty_receives, empty_receives_last_minute, messages_received, handled, retries)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (worker) DO UPDATE SET seen_at = now(), started_at = $2, receives = $3, empty_receives = $4,
         empty_receives_last_minute = $5, messages_received = $6, handled = $7, retries = $8`,
      [counters.worker, counters.startedAt, counters.receives, counters.emptyReceives, counters.emptyReceivesLastMinute, counters.messagesReceived, counters.handled, counters.retries],
    )
  }

  /** The workers that published within `seconds`, oldest first. */
  async workers(seconds: number): Promise<PublishedWorker[]> {
    const { rows } = await this.db.query<Record<string, string | Date>>(
      `SELECT * FROM worker_stats WHERE seen_at > now() - make_interval(secs => $1) ORDER BY started_at, worker`,
      [seconds],
    )
    return rows.map((row) => ({
      worker: String(row.worker),
      startedAt: row.started_at as Date,
      seenAt: row.seen_at as Date,
      receives: Number(row.receives),
      emptyReceives: Number(row.empty_receives),
      emptyReceivesLastMinute: Number(row.empty_receives_last_minute),
      messagesReceived: Number(row.messages_received),
      handled: Number(row.handled),
      retries: Number(row.retries),
    }))
  }

  /** A worker that stopped, and any not heard from for `staleSeconds` (killed ones). */
  async removeWorkers(worker: string, staleSeconds: number): Promise<void> {
    await this.db.query('DELETE FROM worker_stats WHERE worker = $1 OR seen_at < now() - make_interval(secs => $2)', [worker, staleSeconds])
  }
}
