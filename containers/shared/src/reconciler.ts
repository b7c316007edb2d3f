import type { SQSClient } from '@aws-sdk/client-sqs'
import type { Database } from './db.js'
import { IcalJobRepository } from './ical-jobs.js'
import { JobUpkeep } from './job-upkeep.js'
import { JobDispatcher } from './job-dispatch.js'
import type { Logger } from './logger.js'

/** What the API and the worker read from their settings (config.ts) and must agree on. */
export interface ReconcilerSettings {
  /** How often it runs. */
  readonly intervalSeconds: number
  /** How long after acceptance a job counts as never sent (the API sends within a second). */
  readonly unsentAfterSeconds: number
  /** Every job is SUCCESS or FAILURE this long after its first try, or its acceptance when no worker takes jobs (failOverdue). */
  readonly deadlineSeconds: number
  /** A worker that started a job this recently is making progress through the jobs. */
  readonly progressWindowSeconds: number
  /** How long the queue keeps a message. */
  readonly messageRetentionSeconds: number
  /** Finished jobs and their calendars are deleted this long after they finished. */
  readonly retentionDays: number
}

export interface ReconcilerOptions extends ReconcilerSettings {
  readonly upkeep: Pick<JobUpkeep, 'claimUnsent' | 'failOverdue' | 'deleteFinished'>
  /** Sends the jobs never sent, and gives back those SQS refuses. */
  readonly dispatcher: Pick<JobDispatcher, 'dispatch'>
  readonly logger: Logger
}

export interface Reconciler {
  /** One pass: send what was never sent, fail what is overdue, delete what is past retention. */
  runOnce(): Promise<{ resent: number; failed: number; deleted: number }>
  /** A pass every interval, the next one scheduled when the last has ended, so they never overlap. */
  start(): void
  /** No pass after this; the one running ends at its next step or retention batch, and this waits for it. */
  stop(): Promise<void>
}

/**
 * The reconciler as the API and the worker both run it: each pass's sends go out together and
 * are recorded as sent again, so the timeline says who sent them.
 */
export function serviceReconciler(deps: { db: Database; sqs: SQSClient; queueUrl: string; logger: Logger; settings: ReconcilerSettings }): Reconciler {
  const dispatcher = new JobDispatcher(deps.sqs, deps.queueUrl, new IcalJobRepository(deps.db), { sentBy: 'sent again by the reconciler', whenRefused: 'unsend', logger: deps.logger })
  return createReconciler({ ...deps.settings, upkeep: new JobUpkeep(deps.db), dispatcher, logger: deps.logger })
}

/**
 * What closes every way a job could stay unfinished. A job the API recorded but never sent (it
 * died in between) is sent again; a job still unfinished at the deadline (its worker died on the
 * last attempt, the database was down then, its message reached the dead-letter queue) is
 * FAILURE with a message the status endpoint shows; finished jobs go, with their calendars,
 * after the retention period, so the table does not grow without bound. Each step is a
 * conditional UPDATE, so any number of processes can run it and no job is handled twice: every
 * API task runs it as well as every worker, so it runs even with no worker at all.
 */
export function createReconciler(options: ReconcilerOptions): Reconciler {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> = Promise.resolve()
  let stopping = false
  const stopped = () => stopping

  async function runOnce() {
    const { sent } = await options.dispatcher.dispatch(await options.upkeep.claimUnsent(options.unsentAfterSeconds))
    const failed = stopping ? [] : await options.upkeep.failOverdue(options)
    const deleted = stopping ? 0 : await options.upkeep.deleteFinished(options.retentionDays, { stopped })
    const outcome = { resent: sent.length, failed: failed.length, deleted }
    if (outcome.resent > 0 || failed.length > 0) options.logger.warn({ ...outcome, failedIds: failed.slice(0, 10) }, 'reconciled unfinished jobs')
    else if (deleted > 0) options.logger.info({ deleted }, 'deleted jobs past their retention, and the calendars only they held')
    return outcome
  }

  const schedule = () => {
    if (stopping) return
    timer = setTimeout(() => {
      running = runOnce()
        .catch((err: unknown) => options.logger.warn({ err: (err as Error).message }, 'reconciliation failed; trying again next time'))
        .finally(schedule)
    }, options.intervalSeconds * 1_000)
    timer.unref()
  }
  return {
    runOnce,
    start: schedule,
    async stop() {
      stopping = true
      clearTimeout(timer)
      await running
    },
  }
}
