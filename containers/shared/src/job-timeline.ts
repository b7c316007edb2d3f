/**
 * A job's timeline: each step it went through, recorded by the system itself as it happens, in
 * the same statement that changes the job (ical_job_events; ical-jobs.ts writes it). Read beside
 * the job for its status (ical-jobs.ts) and for the newest jobs of the pipeline view (pipeline.ts).
 */

/** The steps of an export job, in the order they usually happen; `retrying` sends it back to `received`. */
export type JobStep = 'accepted' | 'sent' | 'received' | 'started' | 'retrying' | 'finished' | 'failed'

export interface JobEvent {
  readonly step: JobStep
  readonly at: Date
  /** The worker that received, started, finished or failed the job. */
  readonly worker: string | null
  /** SQS's receive count when a worker had the job. */
  readonly attempt: number | null
  /** Why it failed or is retried, who sent it again, how many events the calendar has. */
  readonly detail: string | null
}

/**
 * SQL for the timeline of the job `j`, as one JSON array in the order things happened (at the
 * same instant, as PGlite's millisecond clock often has it, in the order they were recorded): a
 * subquery to select beside the job's own columns.
 */
export const TIMELINE_OF_J = `(
  SELECT coalesce(json_agg(json_build_object('step', e.step, 'at', e.at, 'worker', e.worker, 'attempt', e.attempt, 'detail', e.detail) ORDER BY e.at, e.id), '[]')
  FROM ical_job_events e WHERE e.job_id = j.id)`

/** One event of TIMELINE_OF_J's JSON, as pg returns it: its date still text. */
export type TimelineJson = Omit<JobEvent, 'at'> & { at: string }

/** The JSON of TIMELINE_OF_J, with its dates as dates. */
export const parseTimeline = (events: readonly TimelineJson[]): JobEvent[] => events.map((event) => ({ ...event, at: new Date(event.at) }))
