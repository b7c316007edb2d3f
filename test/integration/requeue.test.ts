import { randomUUID } from 'node:crypto'
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createPool, IcalJobRepository, JobUpkeep } from '@taskoverflow/shared'
import { migrate } from '../../containers/shared/src/migrations.js'
import type pg from 'pg'
import { requeueUnfinishedJobs } from '../../scripts/local/requeue.js'
import { startTestDatabase, type TestDatabase } from '../support/database.js'
import { startTestQueues, type TestQueues } from '../support/queue.js'
import { testLogger } from '../support/system.js'

let database: TestDatabase
let queues: TestQueues
let pool: pg.Pool

beforeAll(async () => {
  database = await startTestDatabase()
  queues = await startTestQueues()
  pool = createPool({ url: database.url, poolSize: 4 }, testLogger)
  await migrate(pool, testLogger)
})
afterAll(async () => {
  await pool?.end()
  await queues?.close()
  await database?.close()
})

describe('npm start queuing again the jobs the last run left unfinished', () => {
  it('sends them in bounded batches, and leaves those SQS refused to the reconciler instead of failing the start', async () => {
    const jobs = new IcalJobRepository(pool)
    const ids = Array.from({ length: 250 }, () => randomUUID())
    for (const id of ids) await jobs.create(id)
    await jobs.markSent(ids, new Date(), 'sent by the last run')

    // Counts the SendMessageBatch requests in flight at once, and refuses the third.
    let inFlight = 0
    let mostInFlight = 0
    let batches = 0
    queues.sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'SendMessageBatchCommand') return next(args)
        if (++batches === 3) throw Object.assign(new Error('the queue is away'), { name: 'ServiceUnavailable' })
        mostInFlight = Math.max(mostInFlight, ++inFlight)
        try {
          return await next(args)
        } finally {
          inFlight--
        }
      },
      { step: 'initialize', name: 'watchBatches' },
    )
    const lines: string[] = []
    try {
      const outcome = await requeueUnfinishedJobs({ jobs, sqs: queues.sqs, queueUrl: queues.queueUrl, log: (line) => lines.push(line) })
      expect(outcome).toEqual({ sent: 240, notSent: 10 })
    } finally {
      queues.sqs.middlewareStack.remove('watchBatches')
    }
    expect(mostInFlight).toBeGreaterThan(0)
    expect(mostInFlight).toBeLessThanOrEqual(10)
    expect(lines.join('\n')).toContain('Could not queue again 10 of 250')
    expect(lines.join('\n')).toContain('the queue is away')

    const { Attributes } = await queues.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queues.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))
    expect(Number(Attributes?.ApproximateNumberOfMessages)).toBe(240)
    // The ten refused are unsent again, so the reconciler's next pass claims and sends them.
    const claimed = await new JobUpkeep(pool).claimUnsent(0, 1_000)
    expect(claimed).toHaveLength(10)
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM ical_job_events WHERE step = 'sent' AND detail = 'sent again by npm start'")
    expect(rows[0]!.n).toBe(240)
  })
})
