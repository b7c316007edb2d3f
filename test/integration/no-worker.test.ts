/**
 * The workers may scale to none (TASKOVERFLOW_WORKER_MIN_TASKS=0), so the promise that every
 * accepted job ends within the deadline cannot rest on a worker's reconciler: the API runs it too.
 * No worker is started in this file.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { queueDepth } from '../support/queue.js'
import { httpCall } from '../../scripts/lib/http.js'
import { eventually } from '../support/eventually.js'
import { startTestSystem, type TestSystem } from '../support/system.js'

const DEADLINE = 6
let system: TestSystem

beforeAll(async () => {
  system = await startTestSystem({}, { reconciler: { intervalSeconds: 1, unsentAfterSeconds: 1, deadlineSeconds: DEADLINE, retentionDays: 7, progressWindowSeconds: 60, messageRetentionSeconds: 345_600 } })
})
afterAll(async () => {
  await system?.close()
})

const status = async (id: string) => (await httpCall('GET', `${system.apiUrl}/todos/ical/${id}/status`)).json as { task_status: string; error?: string; timeline: Array<{ step: string; detail?: string }> }

describe('with no worker running at all', () => {
  it("the API's reconciler sends a job the API recorded but never sent, then fails it at the deadline", async () => {
    // As an API task leaves a job when it dies between recording it and sending it.
    const lost = randomUUID()
    await system.pool.query('INSERT INTO ical_jobs (id) VALUES ($1)', [lost])

    await eventually('the lost job to be sent', async () => (await status(lost)).timeline.some((event) => event.step === 'sent'), 20_000, 100)
    expect((await status(lost)).timeline.find((event) => event.step === 'sent')?.detail).toBe('sent again by the reconciler')
    expect(await queueDepth(system.queues.sqs, system.queues.queueUrl)).toBe(1)

    const ended = await eventually('the job to end', async () => {
      const state = await status(lost)
      return state.task_status === 'PENDING' || state.task_status === 'STARTED' ? undefined : state
    }, 30_000, 100)
    expect(ended).toMatchObject({ task_status: 'FAILURE', error: `no worker took it within ${DEADLINE} s of its acceptance, and none is taking jobs` })
    // Within the deadline and a pass or two: bounds wide enough for a loaded machine.
    const { rows } = await system.pool.query<{ in_time: boolean }>('SELECT finished_at - created_at <= make_interval(secs => $2) AS in_time FROM ical_jobs WHERE id = $1', [lost, DEADLINE + 10])
    expect(rows).toEqual([{ in_time: true }])
  })

  it('an export accepted with 202 ends FAILURE within the deadline, which the status endpoint shows', async () => {
    const { status: code, json } = await httpCall('POST', `${system.apiUrl}/todos/ical`)
    expect(code).toBe(202)
    const ended = await eventually('the export to end', async () => {
      const state = await status(json.task_id)
      return state.task_status === 'PENDING' ? undefined : state
    }, 30_000, 100)
    expect(ended).toMatchObject({ task_status: 'FAILURE', error: expect.stringContaining(`no worker took it within ${DEADLINE} s`) })
  })
})
