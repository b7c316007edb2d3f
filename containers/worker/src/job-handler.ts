import { CalendarTooLargeError, isDatabaseInaccessible, type CalendarResult, type CalendarTodo, type IcalJobRepository, type Logger, type ReceivedJob, type TodoRepository } from '@taskoverflow/shared'

/** `failed for good`: recorded as FAILURE with its reason, and its message deleted, as no attempt can succeed. */
export type JobOutcome = { ok: true; outcome: 'succeeded' | 'already-finished' | 'failed for good' } | { ok: false; error: Error }

export interface JobHandlerDeps {
  readonly jobs: Pick<IcalJobRepository, 'start' | 'succeed' | 'fail' | 'retrying'>
  readonly todos: Pick<TodoRepository, 'listForCalendar'>
  readonly buildCalendar: (todos: readonly CalendarTodo[]) => CalendarResult
  readonly logger: Logger
  /** This worker's name in the jobs' timelines. */
  readonly worker: string
  /** Attempts after which a failing job is recorded as FAILURE. */
  readonly maxReceives: number
  /** @default 0 */
  readonly delayMs?: number
  /** The most every stored calendar may take together. @default no bound */
  readonly calendarStorageBytes?: number
}

const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)))

/**
 * A failed attempt: reported for the queue to retry, and recorded on the job's timeline as
 * retried or, on its last attempt, as FAILURE; neither when the database could not be used at
 * all, which is no fault of the job (the gate pauses the queue until it can be used again).
 */
async function recordFailure(deps: JobHandlerDeps, outcomes: Map<string, JobOutcome>, job: ReceivedJob, err: Error): Promise<void> {
  const log = deps.logger.child({ jobId: job.jobId, attempt: job.attempt })
  outcomes.set(job.jobId, { ok: false, error: err })
  if (isDatabaseInaccessible(err)) {
    log.warn({ err: err.message }, 'job attempt failed with the database down or refusing the password; it will be retried')
    return
  }
  if (job.attempt < deps.maxReceives) {
    log.warn({ err: err.message }, 'job attempt failed; it will be retried')
    await deps.jobs.retrying(job.jobId, job.attempt, err.message, deps.worker).catch((retryErr: unknown) => log.warn({ err: asError(retryErr).message }, 'could not record the retry'))
    return
  }
  log.error({ err: err.message }, 'job failed for the last time')
  await deps.jobs.fail(job.jobId, err.message, deps.worker).catch((failErr: unknown) => log.error({ err: asError(failErr).message }, 'could not record the failure'))
}

/**
 * Stores one calendar as every job's result, in one statement. If that fails for any reason but
 * the database's, each job is stored on its own, so one job that cannot succeed does not fail
 * the others. A calendar larger than the whole storage bound can never be stored: its jobs fail
 * at once, with the reason, rather than on each attempt.
 */
async function storeResult(deps: JobHandlerDeps, work: readonly ReceivedJob[], result: CalendarResult, outcomes: Map<string, JobOutcome>): Promise<void> {
  const store = async (jobs: readonly ReceivedJob[]) => {
    const { evicted } = await deps.jobs.succeed(jobs.map((job) => job.jobId), result, deps.worker, deps.calendarStorageBytes)
    if (evicted.calendars > 0) deps.logger.warn({ ...evicted }, 'removed the calendars used longest ago, and their finished jobs, to stay within CALENDAR_STORAGE_MB')
    for (const job of jobs) outcomes.set(job.jobId, { ok: true, outcome: 'succeeded' })
  }
  try {
    await store(work)
  } catch (err) {
    if (err instanceof CalendarTooLargeError) {
      for (const job of work) {
        outcomes.set(job.jobId, { ok: true, outcome: 'failed for good' })
        await deps.jobs.fail(job.jobId, err.message, deps.worker)
      }
      return
    }
    if (work.length === 1 || isDatabaseInaccessible(err)) throw err
    for (const job of work) {
      try {
        await store([job])
      } catch (jobErr) {
        await recordFailure(deps, outcomes, job, asError(jobErr))
      }
    }
  }
}

/**
 * Runs the calendar exports received together, as one piece of work: every job asks for the
 * calendar of all todos now, so one snapshot of the todos and one calendar serve them all, and
 * each step is one statement for the whole batch. Idempotent, because SQS delivers at least
 * once: a job already finished is acknowledged without work, and a result only lands on an
 * unfinished job, so a duplicate never writes a second result or changes the status.
 */
export function createJobHandler(deps: JobHandlerDeps): (jobs: readonly ReceivedJob[]) => Promise<Map<string, JobOutcome>> {
  return async function handleJobs(batch) {
    const outcomes = new Map<string, JobOutcome>()
    let started: Set<string>
    try {
      started = await deps.jobs.start(batch, deps.worker)
    } catch (err) {
      for (const job of batch) await recordFailure(deps, outcomes, job, asError(err))
      return outcomes
    }
    for (const job of batch) {
      if (!started.has(job.jobId)) {
        deps.logger.info({ jobId: job.jobId }, 'job already finished or unknown; acknowledging')
        outcomes.set(job.jobId, { ok: true, outcome: 'already-finished' })
      }
    }
    const work = batch.filter((job) => started.has(job.jobId))
    if (work.length === 0) return outcomes

    try {
      if (deps.delayMs) await new Promise((resolve) => setTimeout(resolve, deps.delayMs))
      const result = deps.buildCalendar(await deps.todos.listForCalendar())
      await storeResult(deps, work, result, outcomes)
      deps.logger.info({ jobs: work.length, events: result.eventCount, skipped: result.skippedCount }, 'calendars built')
    } catch (err) {
      for (const job of work) if (!outcomes.has(job.jobId)) await recordFailure(deps, outcomes, job, asError(err))
    }
    return outcomes
  }
}
