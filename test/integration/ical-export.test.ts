import { SendMessageCommand } from '@aws-sdk/client-sqs'
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { encodeJobMessage } from '@taskoverflow/shared'
import { parseCalendar } from '../../scripts/lib/ical.js'
import { queueDepth } from '../support/queue.js'
import { httpCall } from '../../scripts/lib/http.js'
import { eventually } from '../support/eventually.js'
import { startTestSystem, type TestSystem } from '../support/system.js'

let system: TestSystem

beforeAll(async () => {
  system = await startTestSystem()
})
afterAll(async () => {
  await system?.close()
})
afterEach(() => {
  jest.useRealTimers()
})

const awkward = [
  { title: 'Project Proposal', description: 'CSSE6400 Project Proposal Due', deadline_at: '2023-04-03T14:00:00' },
  { title: 'Commas, semicolons; and a backslash \\', description: 'line one\nline two; still, two', deadline_at: '2023-04-10T09:30:00' },
  { title: 'Ünïcødé: 日本語のタスク 📅', description: 'Ça marche — naïve café', deadline_at: '2024-02-29T23:59:59' },
  { title: 'No deadline, so not on the calendar', description: null, deadline_at: null },
  { title: 'An instant, written in UTC', description: null, deadline_at: '2023-05-01T10:00:00+10:00' },
]

async function jobStatus(taskId: string): Promise<string> {
  const { json } = await httpCall('GET', `${system.apiUrl}/todos/ical/${taskId}/status`)
  return json.task_status
}

describe('calendar export through the queue', () => {
  it('goes PENDING then SUCCESS, and the calendar has one event per dated todo', async () => {
    const created = []
    for (const todo of awkward) {
      const { status, json } = await httpCall('POST', `${system.apiUrl}/todos`, todo)
      expect(status).toBe(201)
      created.push(json)
    }

    const posted = await httpCall('POST', `${system.apiUrl}/todos/ical`)
    expect(posted.status).toBe(202)
    expect(posted.json.task_id).toMatch(/^[0-9a-f-]{36}$/)
    expect(posted.json.task_url).toBe(`${system.apiUrl}/todos/ical/${posted.json.task_id}/status`)
    const taskId: string = posted.json.task_id

    // No worker yet: the job waits in the queue.
    const pending = await httpCall('GET', posted.json.task_url)
    expect(pending.json).toMatchObject({ task_id: taskId, task_status: 'PENDING', result_url: `${system.apiUrl}/todos/ical/${taskId}/result` })
    expect(pending.json.timeline.map((s: { step: string }) => s.step)).toEqual(['accepted', 'sent'])
    const early = await httpCall('GET', `${system.apiUrl}/todos/ical/${taskId}/result`)
    expect(early.status).toBe(404)
    expect(early.json).toEqual({ error: 'Task not finished' })

    system.startWorker()
    await eventually('the job to succeed', async () => ((await jobStatus(taskId)) === 'SUCCESS' ? true : undefined))

    const result = await httpCall('GET', `${system.apiUrl}/todos/ical/${taskId}/result`)
    expect(result.status).toBe(200)
    expect(result.headers.get('content-type')).toBe('text/calendar; charset=utf-8')
    const calendar = parseCalendar(result.text)
    expect(calendar.productId).toBe('-//Taskoverflow Calendar//mxm.dk//')
    expect(calendar.version).toBe('2.0')

    const dated = created.filter((todo) => todo.deadline_at !== null)
    expect(calendar.events).toHaveLength(dated.length)
    for (const todo of dated) {
      const event = calendar.events.find((e) => e.uid === String(todo.id))
      expect({ todo: todo.id, found: event !== undefined }).toEqual({ todo: todo.id, found: true })
      expect(event!.summary).toBe(todo.title)
      expect(event!.description).toBe(todo.description)
      expect(event!.start).toBe(todo.deadline_at)
      expect(event!.floating).toBe(!todo.deadline_at.endsWith('Z'))
    }
    expect(created.find((t) => t.title.startsWith('An instant'))!.deadline_at).toBe('2023-05-01T00:00:00Z')
    expect(result.text).toContain('DTSTART:20230403T140000')
  })

  it('when the same job message is delivered twice, there is one result and the status stays SUCCESS', async () => {
    const { json } = await httpCall('POST', `${system.apiUrl}/todos/ical`)
    const taskId: string = json.task_id
    await eventually('the first delivery to succeed', async () => ((await jobStatus(taskId)) === 'SUCCESS' ? true : undefined))
    const first = await system.pool.query('SELECT calendar_digest AS calendar, attempts, finished_at FROM ical_jobs WHERE id = $1', [taskId])

    // At-least-once delivery: the same message again, as SQS may do.
    await system.queues.sqs.send(new SendMessageCommand({ QueueUrl: system.queues.queueUrl, MessageBody: encodeJobMessage(taskId) }))
    await eventually('the duplicate to be consumed', async () => {
      return (await queueDepth(system.queues.sqs, system.queues.queueUrl)) === 0 ? true : undefined
    })

    const after = await system.pool.query('SELECT status, calendar_digest AS calendar, attempts, finished_at FROM ical_jobs WHERE id = $1', [taskId])
    expect(after.rows).toHaveLength(1)
    expect(after.rows[0].status).toBe('SUCCESS')
    expect(after.rows[0].calendar).toEqual(first.rows[0].calendar)
    expect(after.rows[0].attempts).toBe(first.rows[0].attempts)
    expect(after.rows[0].finished_at).toEqual(first.rows[0].finished_at)
    expect(await jobStatus(taskId)).toBe('SUCCESS')
    // The timeline shows the duplicate arrive, and nothing started again.
    const { timeline } = (await httpCall('GET', `${system.apiUrl}/todos/ical/${taskId}/status`)).json
    expect(timeline.map((s: { step: string }) => s.step)).toEqual(['accepted', 'sent', 'received', 'started', 'finished', 'received'])
  })

  it('exports of unchanged todos seconds apart store one calendar, the same byte for byte', async () => {
    // Only Date is faked, and it runs on from where it is set: the queue and the worker keep
    // their real timers, and the clock every part of this process reads jumps between exports.
    const everythingButDate = ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] as const
    jest.useFakeTimers({ doNotFake: [...everythingButDate], advanceTimers: true, now: new Date('2026-11-22T00:54:57.100Z') })
    const exportOnce = async () => {
      const { json } = await httpCall('POST', `${system.apiUrl}/todos/ical`)
      await eventually('the export to succeed', async () => ((await jobStatus(json.task_id)) === 'SUCCESS' ? true : undefined))
      return { id: json.task_id as string, body: (await httpCall('GET', `${system.apiUrl}/todos/ical/${json.task_id}/result`)).text }
    }
    const calendars = async () => (await system.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM calendars')).rows[0]!.n

    const first = await exportOnce()
    const stored = await calendars()
    jest.setSystemTime(new Date('2026-11-22T00:55:02.700Z'))
    const second = await exportOnce()
    jest.setSystemTime(new Date('2027-06-01T12:00:00Z'))
    const third = await exportOnce()

    expect(second.body).toBe(first.body)
    expect(third.body).toBe(first.body)
    expect(await calendars()).toBe(stored)
    const { rows } = await system.pool.query('SELECT count(DISTINCT calendar_digest)::int AS n FROM ical_jobs WHERE id = ANY($1::uuid[])', [[first.id, second.id, third.id]])
    expect(rows[0].n).toBe(1)
  })

  it.each(['status', 'result'])('%s: an unknown task is 404 Task not found, and a malformed task id is 400', async (what) => {
    const unknown = await httpCall('GET', `${system.apiUrl}/todos/ical/00000000-0000-4000-8000-000000000000/${what}`)
    expect({ status: unknown.status, json: unknown.json }).toEqual({ status: 404, json: { error: 'Task not found' } })
    const malformed = await httpCall('GET', `${system.apiUrl}/todos/ical/not-a-uuid/${what}`)
    expect({ status: malformed.status, json: malformed.json }).toEqual({ status: 400, json: { error: 'Task id must be a UUID, not "not-a-uuid"' } })
  })
})
