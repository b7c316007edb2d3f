import type { Queryable } from './db.js'

/**
 * The storage bound on calendars: the bytes of their text as stored, summed over every calendar
 * kept (calendar_storage, which triggers keep: migration 9), stays within CALENDAR_STORAGE_MB.
 * Whoever exports, and however large, an export still finishes: to make room, the calendars
 * used longest ago go first, with the finished jobs that held them, as retention would take them
 * days later. Every store, eviction and retention batch holds one lock, so none sees room another
 * is taking, and none deletes a calendar a store is about to use.
 */

/** Any constant but the other advisory locks'; the same in every process. */
export const CALENDAR_LOCK = 6400_0003

/** Calendars looked at per eviction statement, oldest first, so each statement stays short. */
const EVICTION_BATCH = 100

/** A calendar larger than the whole bound: it can never be stored, so no attempt will succeed. */
export class CalendarTooLargeError extends Error {
  constructor(bytes: number, limitBytes: number) {
    super(`the calendar is ${megabytes(bytes)} MB, more than the ${megabytes(limitBytes)} MB CALENDAR_STORAGE_MB lets all calendars take together`)
    this.name = 'CalendarTooLargeError'
  }
}

const megabytes = (bytes: number) => (bytes / 1_048_576).toFixed(1)

export interface Evicted {
  readonly calendars: number
  readonly jobs: number
  readonly bytes: number
}

/**
 * Makes room for a calendar of `bytes` (none when `digest` is stored already) within `limitBytes`,
 * on a connection in a transaction that holds CALENDAR_LOCK. Evicts only for jobs that will take
 * it (`jobIds` still unfinished): a duplicate delivery takes no one's calendar away.
 */
export async function makeRoom(tx: Queryable, calendar: { digest: Buffer; bytes: number; jobIds: readonly string[] }, limitBytes: number): Promise<Evicted> {
  let evicted = { calendars: 0, jobs: 0, bytes: 0 }
  if (!Number.isFinite(limitBytes)) return evicted
  if (calendar.bytes > limitBytes) throw new CalendarTooLargeError(calendar.bytes, limitBytes)
  for (;;) {
    const { rows } = await tx.query<{ needed: string; takers: boolean }>(
      `SELECT s.bytes + CASE WHEN EXISTS (SELECT 1 FROM calendars WHERE digest = $1) THEN 0 ELSE $2 END - $3 AS needed,
              EXISTS (SELECT 1 FROM ical_jobs WHERE id = ANY($4::uuid[]) AND status IN ('PENDING', 'STARTED')) AS takers
       FROM calendar_storage s`,
      [calendar.digest, calendar.bytes, limitBytes, calendar.jobIds],
    )
    const needed = Number(rows[0]!.needed)
    if (needed <= 0 || !rows[0]!.takers) return evicted
    const { rows: gone } = await tx.query<{ calendars: number; jobs: number; bytes: string }>(
      `WITH oldest AS (
         SELECT digest, bytes, sum(bytes) OVER (ORDER BY used_at, digest) - bytes AS before
         FROM (SELECT digest, bytes, used_at FROM calendars WHERE digest <> $1 ORDER BY used_at, digest LIMIT ${EVICTION_BATCH}) c
       ), doomed AS (
         SELECT digest FROM oldest WHERE before < $2
       ), gone_jobs AS (
         DELETE FROM ical_jobs WHERE calendar_digest IN (SELECT digest FROM doomed) RETURNING id
       ), gone_events AS (
         DELETE FROM ical_job_events WHERE job_id IN (SELECT id FROM gone_jobs)
       ), gone_calendars AS (
         DELETE FROM calendars WHERE digest IN (SELECT digest FROM doomed) RETURNING bytes
       )
       SELECT (SELECT count(*) FROM gone_calendars)::integer AS calendars, (SELECT count(*) FROM gone_jobs)::integer AS jobs,
              (SELECT coalesce(sum(bytes), 0) FROM gone_calendars) AS bytes`,
      [calendar.digest, needed],
    )
    const batch = gone[0]!
    // Nothing older left to take: only this calendar's own copy counts, and it fits (checked above).
    if (batch.calendars === 0) return evicted
    evicted = { calendars: evicted.calendars + batch.calendars, jobs: evicted.jobs + batch.jobs, bytes: evicted.bytes + Number(batch.bytes) }
  }
}
