import { ClusterNotFoundException, DescribeTasksCommand, paginateListTasks, ServiceNotActiveException, ServiceNotFoundException, UpdateServiceCommand, type DesiredStatus, type ECSClient } from '@aws-sdk/client-ecs'
import { PreflightError } from '../lib/errors.js'
import { waitUntil, type PollOptions } from './poll.js'

type Ecs = Pick<ECSClient, 'send'>

/**
 * A stopping worker may take its stop timeout (at most 120 s, config.ts) to finish the batch in
 * hand, and Fargate a minute more to deprovision the task: past this, something else is wrong.
 */
const NO_TASKS_TIMEOUT_MS = 5 * 60_000

export type TaskWaitOptions = PollOptions

/**
 * The tasks of the cluster that have not yet stopped: those ECS still wants running, and those it
 * wants stopped that are still draining (a worker finishing its batch) or being deprovisioned.
 * Both lists are needed: ECS lists a task by the status it is going to, not the one it is in.
 */
export async function unstoppedTasks(ecs: Ecs, cluster: string): Promise<Array<{ arn: string; group?: string; lastStatus?: string }>> {
  try {
    const arns: string[] = []
    for (const desiredStatus of ['RUNNING', 'STOPPED'] as DesiredStatus[]) {
      for await (const page of paginateListTasks({ client: ecs as ECSClient }, { cluster, desiredStatus })) arns.push(...(page.taskArns ?? []))
    }
    if (arns.length === 0) return []
    const tasks: Array<{ arn: string; group?: string; lastStatus?: string }> = []
    // DescribeTasks takes at most 100 tasks a call.
    for (let i = 0; i < arns.length; i += 100) {
      const { tasks: described = [] } = await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + 100) }))
      tasks.push(...described.map((task) => ({ arn: task.taskArn ?? '', group: task.group, lastStatus: task.lastStatus })))
    }
    return tasks.filter((task) => task.lastStatus !== 'STOPPED')
  } catch (err) {
    if (err instanceof ClusterNotFoundException) return []
    throw err
  }
}

/**
 * Waits, bounded, until no task of the cluster runs, saying what it waits for: the database
 * must not be snapshotted and deleted under a worker that is still storing its last batch.
 */
export async function waitForNoTasks(ecs: Ecs, cluster: string, options: TaskWaitOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? NO_TASKS_TIMEOUT_MS
  await waitUntil<void>(async (overdue) => {
    const running = await unstoppedTasks(ecs, cluster)
    if (running.length === 0) return { done: undefined }
    const what = [...new Set(running.map((task) => `${task.group?.replace(/^service:/, '') ?? 'task'} ${task.lastStatus?.toLowerCase() ?? ''}`.trim()))].sort().join(', ')
    if (overdue) {
      throw new PreflightError(
        `${running.length} task(s) of the cluster ${cluster} still run after ${Math.round(timeoutMs / 60_000)} minutes (${what}), so the database was left as it is. Look at the cluster in the ECS console, then run the same command again.`,
      )
    }
    return { waiting: `Waiting for ${running.length} task(s) to stop before the database goes (${what}); a worker finishes the batch in hand first.` }
  }, { pollMs: 5_000, timeoutMs }, options)
}

/** The service to 0 tasks at once, so the API accepts no new job; nothing to do if there is no such service. */
export async function stopService(ecs: Ecs, cluster: string, service: string): Promise<boolean> {
  try {
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }))
    return true
  } catch (err) {
    if (err instanceof ServiceNotFoundException || err instanceof ServiceNotActiveException || err instanceof ClusterNotFoundException) return false
    throw err
  }
}
