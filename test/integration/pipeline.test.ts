import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { IcalJobRepository } from '@taskoverflow/shared'
import { QUEUE_COUNTS_UNAVAILABLE } from '../../containers/api/src/services/queue-gauge.js'
import { httpCall } from '../../scripts/lib/http.js'
import { eventually } from '../support/eventually.js'
import { startTestSystem, type TestSystem } from '../support/system.js'

let system: TestSystem
/** GetQueueAttributes requests the API made, by queue URL. */
const countRequests: string[] = []

beforeAll(async () => {
  system = await startTestSystem()
  // The API and this test share one SQSClient; only the API asks for these attributes.
  system.queues.sqs.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { QueueUrl?: string; AttributeNames?: string[] }
      if (args.request && input.AttributeNames?.includes('ApproximateNumberOfMessages')) countRequests.push(input.QueueUrl!)
      return next(args)
    },
    { step: 'build', name: 'countQueueCounts' },
  )
})
afterAll(async () => {
  await system?.close()
})

type Step = { step: string; at: string; ms_since_previous: number | null; worker?: string; attempt?: number; detail?: string }

const pipeline = async (query = '') => {
  const answer = await httpCall('GET', `${system.apiUrl}/pipeline${query}`)
  expect(answer.status).toBe(200)
  return answer.json
}

describe('GET /api/v1/pipeline and the export timeline', () => {
  it('shows an export move from accepted to finished, with the worker, the attempt and the time between steps', async () => {
    system.startWorker()
    const { task_id: id } = (await httpCall('POST', `${system.apiUrl}/todos/ical`)).json
    const status = await eventually('the export to finish', async () => {
      const s = (await httpCall('GET', `${system.apiUrl}/todos/ical/${id}/status`)).json
      return s.task_status === 'SUCCESS' ? s : undefined
    })
    const timeline = status.timeline as Step[]
    expect(timeline.map((s) => s.step)).toEqual(['accepted', 'sent', 'received', 'started', 'finished'])
    expect(timeline.slice(2).map((s) => [s.worker, s.attempt])).toEqual([
      ['worker-1', 1],
      ['worker-1', 1],
      ['worker-1', 1],
    ])
    expect(timeline[0]!.ms_since_previous).toBeNull()
    for (const [i, step] of timeline.entries()) {
      if (i === 0) continue
      // Each gap is the difference of the two stamps; none is negative, as every stamp here is one machine's clock.
      expect(step.ms_since_previous).toBe(Date.parse(step.at) - Date.parse(timeline[i - 1]!.at))
      expect(step.ms_since_previous).toBeGreaterThanOrEqual(0)
    }
    expect(timeline.at(-1)!.detail).toBe('0 events')

    const view = await pipeline()
    expect(view.exports[0]).toEqual({ task_id: id, task_status: 'SUCCESS', timeline })
  })

  it("reports the queues' counts, the dead-letter queue's among them", async () => {
    await system.queues.sqs.send(new SendMessageCommand({ QueueUrl: system.queues.deadLetterUrl, MessageBody: 'a dead letter' }))
    await system.queues.sqs.send(new SendMessageCommand({ QueueUrl: system.queues.queueUrl, MessageBody: 'later', DelaySeconds: 60 }))
    const { queues } = await eventually('the counts to show the new messages', async () => {
      const view = await pipeline()
      return view.queues.dead_letter?.available === 1 && view.queues.jobs.delayed === 1 ? view : undefined
    })
    expect(queues.jobs).toEqual({ name: 'ical', available: 0, in_flight: 0, delayed: 1 })
    expect(queues.dead_letter).toEqual({ name: 'ical-dlq', available: 1, in_flight: 0, delayed: 0 })
    expect(queues.max_age_seconds).toBe(2)
    expect(Date.parse(queues.checked_at)).not.toBeNaN()
  })

  it('asks SQS once per queue however many pages ask at once', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_100))
    countRequests.length = 0
    const views = await Promise.all(Array.from({ length: 25 }, () => pipeline('?exports=0')))
    expect(countRequests.sort()).toEqual([system.queues.queueUrl, system.queues.deadLetterUrl].sort())
    expect(new Set(views.map((v) => v.queues.checked_at)).size).toBe(1)
  })

  it("publishes each worker's counters, empty receives included, and drops a worker once it stops", async () => {
    system.startWorker()
    const worker = await eventually('worker-2 to report an empty receive', async () => {
      const view = await pipeline('?exports=0')
      return view.workers.find((w: { name: string; empty_receives: number }) => w.name === 'worker-2' && w.empty_receives > 0)
    })
    expect(worker.empty_receives_last_minute).toBe(worker.empty_receives)
    expect(worker.receives).toBeGreaterThanOrEqual(worker.empty_receives)
    expect(worker).toMatchObject({ messages_received: 0, handled: 0, retries: 0 })
    const first = (await pipeline('?exports=0')).workers.find((w: { name: string }) => w.name === 'worker-1')
    expect(first).toMatchObject({ messages_received: 1, handled: 1, retries: 0 })

    await system.stopWorker('worker-2')
    expect((await pipeline('?exports=0')).workers.map((w: { name: string }) => w.name)).toEqual(['worker-1'])
  })

  it('records who sent a job again, and a failure with its reason, in the timeline', async () => {
    const jobs = new IcalJobRepository(system.pool)
    const id = '00000000-0000-4000-8000-000000000001'
    await jobs.create(id)
    await jobs.markSent([id], new Date(), 'sent again by the reconciler')
    await jobs.start([{ jobId: id, attempt: 1 }], 'worker-x')
    await jobs.retrying(id, 1, 'disk on fire', 'worker-x')
    await jobs.start([{ jobId: id, attempt: 2 }], 'worker-y')
    expect(await jobs.fail(id, 'disk still on fire', 'worker-y')).toBe(true)
    // A late duplicate of a finished job is received, and not started.
    await jobs.start([{ jobId: id, attempt: 3 }], 'worker-z')
    await jobs.retrying(id, 3, 'ignored: the job is finished', 'worker-z')

    const { task_status: status, timeline } = (await httpCall('GET', `${system.apiUrl}/todos/ical/${id}/status`)).json
    expect(status).toBe('FAILURE')
    expect((timeline as Step[]).map(({ step, worker, attempt, detail }) => [step, worker, attempt, detail])).toEqual([
      ['accepted', undefined, undefined, undefined],
      ['sent', undefined, undefined, 'sent again by the reconciler'],
      ['received', 'worker-x', 1, undefined],
      ['started', 'worker-x', 1, undefined],
      ['retrying', 'worker-x', 1, 'disk on fire'],
      ['received', 'worker-y', 2, undefined],
      ['started', 'worker-y', 2, undefined],
      ['failed', 'worker-y', 2, 'disk still on fire'],
      ['received', 'worker-z', 3, undefined],
    ])
  })

  it("keeps steps of the same instant in the order they were recorded (a clock may not tell them apart)", async () => {
    const jobs = new IcalJobRepository(system.pool)
    const id = '00000000-0000-4000-8000-000000000002'
    await jobs.create(id)
    const at = new Date('2030-01-01T00:00:00.000Z')
    // The steps of two deliveries, every one at the same instant, recorded in the order they happened.
    for (const [step, attempt] of [['received', 1], ['started', 1], ['retrying', 1], ['received', 2], ['started', 2], ['finished', 2]] as const) {
      await system.pool.query('INSERT INTO ical_job_events (job_id, step, at, attempt) VALUES ($1, $2, $3, $4)', [id, step, at, attempt])
    }
    const { timeline } = (await httpCall('GET', `${system.apiUrl}/todos/ical/${id}/status`)).json
    expect((timeline as Step[]).slice(1).map((s) => `${s.step} ${s.attempt}`)).toEqual(['received 1', 'started 1', 'retrying 1', 'received 2', 'started 2', 'finished 2'])
  })

  it('refuses a bad number of exports, and any method but GET', async () => {
    for (const query of ['?exports=abc', '?exports=51', '?exports=-1', '?exports=1.5', '?exports=1&exports=2']) {
      const answer = await httpCall('GET', `${system.apiUrl}/pipeline${query}`)
      expect([query, answer.status, answer.json.error]).toEqual([query, 400, 'exports must be a whole number from 0 to 50'])
    }
    expect((await pipeline('?exports=1')).exports).toHaveLength(1)
    expect((await httpCall('POST', `${system.apiUrl}/pipeline`)).status).toBe(405)
  })

  it('still answers, with the reason, when SQS cannot be asked', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_100))
    const failing = (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      if ((args as { input: { AttributeNames?: string[] } }).input.AttributeNames?.includes('ApproximateNumberOfMessages')) throw new Error('the queue is away')
      return next(args)
    }
    system.queues.sqs.middlewareStack.add(failing as never, { step: 'initialize', name: 'failCounts' })
    try {
      const view = await pipeline('?exports=1')
      expect(view.queues.error).toBe(QUEUE_COUNTS_UNAVAILABLE)
      expect(view.queues.jobs).toBeUndefined()
      expect(view.exports).toHaveLength(1)
    } finally {
      system.queues.sqs.middlewareStack.remove('failCounts')
    }
  })
})
