import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { createLogger, type Queryable } from '@taskoverflow/shared'
import { createJobConsumer } from '../../containers/worker/src/consumer.js'
import { DatabaseGate } from '../../containers/worker/src/database-gate.js'
import { WorkerStats } from '../../containers/worker/src/stats.js'
import { startTestQueues, type TestQueues } from '../support/queue.js'

let queues: TestQueues
beforeAll(async () => {
  queues = await startTestQueues()
})
afterAll(async () => {
  await queues.close()
})

describe('a worker stopped with Ctrl-C while it waits on an empty queue', () => {
  it('cancels its long poll without reporting a queue error', async () => {
    const logger = createLogger('test', 'silent')
    const errors = jest.spyOn(logger, 'error')
    // The database is never asked: no job arrives, and the gate is open.
    const unused: Queryable = { query: () => Promise.reject(new Error('the database is not used here')) }
    const gate = new DatabaseGate(unused, logger)
    // The gate is asked just before each ReceiveMessage goes out.
    const polling = new Promise<void>((resolve) => {
      const waitUntilUp = gate.waitUntilUp.bind(gate)
      gate.waitUntilUp = () => waitUntilUp().finally(resolve)
    })
    const consumer = createJobConsumer({
      sqs: queues.sqs,
      queueUrl: queues.queueUrl,
      handleJobs: async () => new Map(),
      gate,
      logger,
      waitTimeSeconds: 20,
      visibilityTimeoutSeconds: 30,
      retryBaseSeconds: 0,
      drainSeconds: 30,
      concurrency: 1,
      stats: new WorkerStats('worker-1'),
    })
    consumer.start()
    await polling
    // The request on its way, far within its 20 s wait.
    await new Promise((resolve) => setTimeout(resolve, 500))
    await consumer.stop({ interactive: true })
    // The cancelled request still reaches the consumer as an error; only the stop caused it.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(errors.mock.calls.map(([fields, message]) => `${String(message)} ${JSON.stringify(fields)}`)).toEqual([])
  })
})
