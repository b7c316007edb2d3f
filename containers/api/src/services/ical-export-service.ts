import { randomUUID } from 'node:crypto'
import type { IcalJobRepository, JobDispatcher, JobState, Logger } from '@taskoverflow/shared'
import { AppError } from '../errors.js'

/**
 * Calendar exports run on the worker. A job is recorded before its message is sent, so the
 * worker always finds it; if the queue refuses the message the record is removed again (by the
 * dispatcher) and the client gets 503. If this process dies in between, the job stays unsent, and
 * the reconciler, which every API task and worker runs, sends it (containers/shared/src/reconciler.ts).
 * So does it when the record could not be removed either (the database failing as well as the
 * queue): that job runs though its client was told 503, unread, and retention deletes it.
 */
export class IcalExportService {
  constructor(
    private readonly jobs: IcalJobRepository,
    /** Removes a job whose message SQS refused: the client is told 503, so it is not to run. */
    private readonly dispatcher: Pick<JobDispatcher, 'dispatch'>,
    private readonly logger: Logger,
  ) {}

  async request(): Promise<string> {
    const id = randomUUID()
    await this.jobs.create(id)
    const { refused, reason } = await this.dispatcher.dispatch([id]).catch((err: unknown) => ({ refused: [id], reason: err as Error }))
    if (refused.length > 0) {
      this.logger.error({ err: reason?.message, jobId: id }, 'could not queue the calendar job')
      throw new AppError(503, 'The job queue is unavailable, so the export was not started; try again shortly', undefined, { 'Retry-After': '5' })
    }
    return id
  }

  async status(id: string): Promise<JobState> {
    const state = await this.jobs.state(id)
    if (!state) throw new AppError(404, 'Task not found')
    return state
  }

  async calendar(id: string): Promise<string> {
    const job = await this.jobs.calendar(id)
    if (!job) throw new AppError(404, 'Task not found')
    if (job.status === 'FAILURE') throw new AppError(404, `Task failed: ${job.error ?? 'unknown error'}`)
    if (job.calendar === null) throw new AppError(404, 'Task not finished')
    return job.calendar
  }
}
