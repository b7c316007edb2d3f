import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs'
import { createSqsClient } from '@taskoverflow/shared'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCluster, type Cluster } from '../support/cluster.js'
import { refuseResultOf } from '../support/faults.js'
import { httpCall } from '../../scripts/lib/http.js'
import { postExports } from '../support/exports.js'
import { seedTodos } from '../support/seed.js'
import { countByStatus, expectAllSucceeded } from './helpers.js'
import { eventually } from '../support/eventually.js'

const MAX_RECEIVE_COUNT = 5
let cluster: Cluster

beforeAll(async () => {
  cluster = await startCluster({ jobTiming: { maxReceives: MAX_RECEIVE_COUNT } })
  await seedTodos(cluster.pool, 3)
})
afterAll(async () => {
  await cluster?.close()
})

describe('a job whose processing always fails', () => {
  it(`ends FAILURE with its error after ${MAX_RECEIVE_COUNT} attempts, its message in the dead-letter queue, and the jobs around it succeed`, async () => {
    const before = await postExports(cluster.apiUrl, 10)
    const [doomed] = await postExports(cluster.apiUrl, 1)
    const after = await postExports(cluster.apiUrl, 10)
    await refuseResultOf(cluster.pool, doomed!, 'the calendar store refused this result')

    await cluster.startWorker({ RETRY_BASE_SECONDS: '0' })
    const failed = await eventually('the doomed job to fail', async () => {
      const { json } = await httpCall('GET', `${cluster.apiUrl}/todos/ical/${doomed}/status`)
      return json.task_status === 'FAILURE' ? json : undefined
    }, 60_000, 100)
    expect(failed.error).toBe('the calendar store refused this result')
    await eventually('its neighbours to succeed', async () => (await countByStatus(cluster.pool)).SUCCESS === 20, 60_000, 100)
    await expectAllSucceeded(cluster.pool, [...before, ...after], 3)
    const { rows } = await cluster.pool.query('SELECT attempts FROM ical_jobs WHERE id = $1', [doomed])
    expect(rows[0].attempts).toBe(MAX_RECEIVE_COUNT)

    const sqs = createSqsClient({ region: 'us-east-1', endpoint: cluster.sqs.endpoint })
    try {
      const dead = await eventually('the message in the dead-letter queue', async () => {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: cluster.sqs.deadLetterUrl, WaitTimeSeconds: 1 }))
        return Messages?.[0]
      }, 60_000, 100)
      expect(JSON.parse(dead.Body!)).toEqual({ type: 'ical.export', jobId: doomed })
      await sqs.send(new DeleteMessageCommand({ QueueUrl: cluster.sqs.deadLetterUrl, ReceiptHandle: dead.ReceiptHandle }))
    } finally {
      sqs.destroy()
    }
  })
})
