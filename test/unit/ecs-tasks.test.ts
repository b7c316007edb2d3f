/**
 * The pause's wait for the last tasks, against a local stand-in for the ECS endpoint: ECS lists a
 * task by the status it is going to, so a worker still finishing its batch is among the tasks
 * wanted STOPPED, and only DescribeTasks says it has not stopped yet.
 */
import { ECSClient } from '@aws-sdk/client-ecs'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { PreflightError } from '../../scripts/lib/errors.js'
import { stopService, waitForNoTasks } from '../../scripts/aws/ecs-tasks.js'
import { newWorld, startAwsStandIn, type AwsStandIn, type FakeTask } from '../support/aws-stand-in.js'

let standIn: AwsStandIn
let ecs: ECSClient

beforeAll(async () => {
  standIn = await startAwsStandIn(newWorld())
  ecs = new ECSClient({ region: 'us-east-1', endpoint: standIn.endpoint, credentials: { accessKeyId: 'ASIATEST', secretAccessKey: 'test' }, maxAttempts: 1 })
})
afterAll(() => {
  ecs?.destroy()
  standIn?.close()
})

const worker = (task: Partial<FakeTask>): FakeTask => ({ arn: 'arn:aws:ecs:us-east-1:123456789012:task/taskoverflow/1', group: 'service:taskoverflow-worker', lastStatus: 'RUNNING', desiredStatus: 'RUNNING', looksToStop: 0, ...task })

/** A clock that moves only when the wait sleeps, and what the wait said. */
function virtual() {
  let now = 0
  const said: string[] = []
  return { said, options: { pollMs: 5_000, sleep: async (ms: number) => void (now += ms), now: () => now, log: (line: string) => void said.push(line) } }
}

describe('waiting for the cluster to have no task', () => {
  it('waits for a worker that is draining its batch, saying so once, until ECS has stopped it', async () => {
    Object.assign(standIn.world, { cluster: true, tasks: [worker({ desiredStatus: 'STOPPED', lastStatus: 'DEACTIVATING', looksToStop: 3 })] })
    const { said, options } = virtual()
    await waitForNoTasks(ecs, 'taskoverflow', options)
    expect(said).toEqual(['Waiting for 1 task(s) to stop before the database goes (taskoverflow-worker deactivating); a worker finishes the batch in hand first.'])
    expect(standIn.world.tasks[0]!.lastStatus).toBe('STOPPED')
  })

  it('gives up after five minutes with what still runs, leaving the database alone', async () => {
    Object.assign(standIn.world, { cluster: true, tasks: [worker({ desiredStatus: 'STOPPED', lastStatus: 'STOPPING', looksToStop: 1_000 })] })
    const { options } = virtual()
    const waiting = waitForNoTasks(ecs, 'taskoverflow', options)
    await expect(waiting).rejects.toThrow(PreflightError)
    await expect(waitForNoTasks(ecs, 'taskoverflow', virtual().options)).rejects.toThrow(
      '1 task(s) of the cluster taskoverflow still run after 5 minutes (taskoverflow-worker stopping), so the database was left as it is. Look at the cluster in the ECS console, then run the same command again.',
    )
  })

  it('counts a task ECS still wants running, and none at all in a cluster that is gone', async () => {
    Object.assign(standIn.world, { cluster: true, tasks: [worker({})] })
    await expect(waitForNoTasks(ecs, 'taskoverflow', virtual().options)).rejects.toThrow('(taskoverflow-worker running)')
    Object.assign(standIn.world, { cluster: false, tasks: [] })
    await expect(waitForNoTasks(ecs, 'taskoverflow', virtual().options)).resolves.toBeUndefined()
  })

  it('stops the API at once, and takes a service that is not there as already stopped', async () => {
    Object.assign(standIn.world, { cluster: true, services: { 'taskoverflow-api': 1 }, tasks: [] })
    expect(await stopService(ecs, 'taskoverflow', 'taskoverflow-api')).toBe(true)
    expect(standIn.world.services['taskoverflow-api']).toBe(0)
    expect(await stopService(ecs, 'taskoverflow', 'taskoverflow-gone')).toBe(false)
  })
})
