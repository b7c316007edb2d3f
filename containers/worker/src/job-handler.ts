import type { CalendarResult, CalendarTodo, IcalJobRepository, Logger, TodoRepository } from '@taskoverflow/shared'

export interface Job {
  readonly jobId: string
  /** 1 on first delivery; SQS counts receives, so redeliveries raise it. */
  readonly attempt: number
}

export type JobOutcome = 'succeeded' | 'already-finished'

export interface JobHandlerDeps {
  readonly jobs: IcalJobRepository
  readonly todos: Pick<TodoRepository, 'listForCalendar'>
  readonly buildCalendar: (todos: readonly CalendarTodo[]) => CalendarResult
  readonly logger: Logger
  /** Attempts after which a failing job is recorded as FAILURE. */
  readonly maxAttempts: number
  /** @default 0 */
  readonly delayMs?: number
}

/**
 * Runs one calendar export. Idempotent, because SQS delivers at least once: a job that is
 * already finished is acknowledged without work, and the final UPDATE only lands on an
 * unfinished job, so a duplicate delivery never writes a second result or changes the status.
 * A failure is thrown for the queue to retry; on the last attempt it is recorded first.
 */
export function createJobHandler(deps: JobHandlerDeps): (job: Job) => Promise<JobOutcome> {
  return async function handleJob({ jobId, attempt }) {
    const log = deps.logger.child({ jobId, attempt })
    if (!(await deps.jobs.start(jobId))) {
      log.info('job already finished or unknown; acknowledging')
      return 'already-finished'
    }
    try {
      if (deps.delayMs) await new Promise((resolve) => setTimeout(resolve, deps.delayMs))
      const result = deps.buildCalendar(await deps.todos.listForCalendar())
      await deps.jobs.succeed(jobId, result)
      log.info({ events: result.eventCount, skipped: result.skippedCount }, 'calendar built')
      return 'succeeded'
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      if (attempt >= deps.maxAttempts) {
        log.error({ err: message }, 'job failed for the last time')
        await deps.jobs.fail(jobId, message).catch((failErr: unknown) => {
          log.error({ err: (failErr as Error).message }, 'could not record the failure')
        })
      } else {
        log.warn({ err: message }, 'job attempt failed; it will be retried')
      }
      throw err
    }
  }
}
