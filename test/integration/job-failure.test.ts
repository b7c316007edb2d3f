import { ReceiveMessageCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { refuseResultOf } from '../support/faults.js'
import { call, eventually, startTestSystem, type TestSystem } from '../support/system.js'

let system: TestSystem

beforeAll(async () => {
  system = await startTestSystem({ maxReceiveCount: 3 })
})
afterAll(async () => {
  await system?.close()
})

describe('a job that always fails', () => {
  it('ends FAILURE with its error after maxReceiveCount attempts, its message in the dead-letter queue; the jobs around it succeed', async () => {
    await call('POST', `${system.apiUrl}/todos`, { title: 'dated', deadline_at: '2030-01-01T09:00:00' })
    const before = (await call('POST', `${system.apiUrl}/todos/ical`)).json.task_id as string
    const doomed = (await call('POST', `${system.apiUrl}/todos/ical`)).json.task_id as string
    const after = (await call('POST', `${system.apiUrl}/todos/ical`)).json.task_id as string
    await refuseResultOf(system.pool, doomed, 'the calendar store is full')

    system.startWorker({ retryBaseSeconds: 0 })

    const status = async (id: string) => (await call('GET', `${system.apiUrl}/todos/ical/${id}/status`)).json
    const failed = await eventually('the doomed job to fail', async () => {
      const s = await status(doomed)
      return s.task_status === 'FAILURE' ? s : undefined
    })
    expect(failed.error).toBe('the calendar store is full')
    expect((await status(before)).task_status).toBe('SUCCESS')
    expect((await status(after)).task_status).toBe('SUCCESS')

    const result = await call('GET', `${system.apiUrl}/todos/ical/${doomed}/result`)
    expect(result.status).toBe(404)
    expect(result.json.error).toBe('Task failed: the calendar store is full')

    const dead = await eventually('the message to reach the dead-letter queue', async () => {
      const { Messages } = await system.queues.sqs.send(new ReceiveMessageCommand({ QueueUrl: system.queues.deadLetterUrl, WaitTimeSeconds: 1 }))
      return Messages?.length ? Messages : undefined
    })
    expect(JSON.parse(dead[0]!.Body!)).toEqual({ type: 'ical.export', jobId: doomed })
    const { rows } = await system.pool.query('SELECT attempts, calendar_digest AS calendar FROM ical_jobs WHERE id = $1', [doomed])
    expect(rows[0]).toEqual({ attempts: system.queues.maxReceiveCount, calendar: null })
  })
})
