import { ReceiveMessageCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { refuseResultOf } from '../support/faults.js'
import { httpCall } from '../../scripts/lib/http.js'
import { eventually } from '../support/eventually.js'
import { startTestSystem, type TestSystem } from '../support/system.js'

let system: TestSystem

beforeAll(async () => {
  system = await startTestSystem({ maxReceiveCount: 3 })
})
afterAll(async () => {
  await system?.close()
})

describe('a job that always fails', () => {
  it('ends FAILURE with its error after maxReceiveCount attempts, its message in the dead-letter queue; the jobs around it succeed', async () => {
    await httpCall('POST', `${system.apiUrl}/todos`, { title: 'dated', deadline_at: '2030-01-01T09:00:00' })
    const before = (await httpCall('POST', `${system.apiUrl}/todos/ical`)).json.task_id as string
    const doomed = (await httpCall('POST', `${system.apiUrl}/todos/ical`)).json.task_id as string
    const after = (await httpCall('POST', `${system.apiUrl}/todos/ical`)).json.task_id as string
    await refuseResultOf(system.pool, doomed, 'the calendar store is full')

    system.startWorker({ retryBaseSeconds: 0 })

    const status = async (id: string) => (await httpCall('GET', `${system.apiUrl}/todos/ical/${id}/status`)).json
    const failed = await eventually('the doomed job to fail', async () => {
      const s = await status(doomed)
      return s.task_status === 'FAILURE' ? s : undefined
    })
    expect(failed.error).toBe('the calendar store is full')
    expect((await status(before)).task_status).toBe('SUCCESS')
    expect((await status(after)).task_status).toBe('SUCCESS')

    const result = await httpCall('GET', `${system.apiUrl}/todos/ical/${doomed}/result`)
    expect(result.status).toBe(404)
    expect(result.json.error).toBe('Task failed: the calendar store is full')

    // The timeline tells the same story: each attempt received and retried, the last one failed.
    const steps = (failed.timeline as Array<{ step: string; attempt?: number }>).map((s) => `${s.step}${s.attempt ? ` ${s.attempt}` : ''}`)
    expect(steps).toEqual(['accepted', 'sent', 'received 1', 'started 1', 'retrying 1', 'received 2', 'started 2', 'retrying 2', 'received 3', 'started 3', 'failed 3'])
    const { workers, queues } = await eventually('the dead-letter count and the retries to show', async () => {
      const view = (await httpCall('GET', `${system.apiUrl}/pipeline`)).json
      return view.queues.dead_letter?.available === 1 && view.workers[0]?.retries === 3 ? view : undefined
    })
    expect(queues.jobs).toMatchObject({ available: 0, in_flight: 0 })
    // Three jobs, the doomed one received three times; every failed attempt is given back,
    // the last one too, for SQS to move to the dead-letter queue.
    expect(workers[0]).toMatchObject({ messages_received: 2 + 3, handled: 2, retries: 3 })

    const dead = await eventually('the message to reach the dead-letter queue', async () => {
      const { Messages } = await system.queues.sqs.send(new ReceiveMessageCommand({ QueueUrl: system.queues.deadLetterUrl, WaitTimeSeconds: 1 }))
      return Messages?.length ? Messages : undefined
    })
    expect(JSON.parse(dead[0]!.Body!)).toEqual({ type: 'ical.export', jobId: doomed })
    const { rows } = await system.pool.query('SELECT attempts, calendar_digest AS calendar FROM ical_jobs WHERE id = $1', [doomed])
    expect(rows[0]).toEqual({ attempts: system.queues.maxReceiveCount, calendar: null })
  })
})
