import type { SQSClient } from '@aws-sdk/client-sqs'
import { createLogger, JobDispatcher, type IcalJobRepository } from '@taskoverflow/shared'

/** Sent together, so the queue makes ten SendMessageBatch requests of them at a time. */
const AT_ONCE = 100

export interface RequeueOptions {
  readonly jobs: IcalJobRepository
  readonly sqs: SQSClient
  readonly queueUrl: string
  /** Where to say what happened. */
  readonly log: (line: string) => void
}

/**
 * The emulator forgets its messages when it stops, so `npm start` sends again the jobs the last
 * run left unfinished: a hundred at a time, however many there are. A send SQS refuses does not
 * stop the start: the job is marked unsent again (JobDispatcher) and left to the reconciler, which
 * sends it on its next pass (or, for a job already started, fails it at its deadline).
 */
export async function requeueUnfinishedJobs(options: RequeueOptions): Promise<{ sent: number; notSent: number }> {
  const { jobs } = options
  const ids = await jobs.unfinished()
  const dispatcher = new JobDispatcher(options.sqs, options.queueUrl, jobs, { sentBy: 'sent again by npm start', whenRefused: 'unsend', logger: createLogger('start', 'silent') })
  const notSent: string[] = []
  let reason: unknown
  for (let start = 0; start < ids.length; start += AT_ONCE) {
    const dispatched = await dispatcher.dispatch(ids.slice(start, start + AT_ONCE))
    notSent.push(...dispatched.refused)
    reason ??= dispatched.reason
  }
  const sent = ids.length - notSent.length
  if (sent > 0) options.log(`Queued again ${sent} export job(s) left unfinished by the last run.`)
  if (notSent.length > 0) {
    const why = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)
    options.log(`Could not queue again ${notSent.length} of ${ids.length} export job(s) left unfinished by the last run (${why}); they are left to the reconciler.`)
  }
  return { sent, notSent: notSent.length }
}
