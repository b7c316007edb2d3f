import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCluster, type Cluster } from '../support/cluster.js'
import { httpCall } from '../../scripts/lib/http.js'
import { countByStatus } from './helpers.js'
import { eventually } from '../support/eventually.js'

let cluster: Cluster

beforeAll(async () => {
  cluster = await startCluster()
})
afterAll(async () => {
  await cluster?.close()
})

describe('when the SQS endpoint is unreachable', () => {
  it('POST /todos/ical answers 503 JSON at once and leaves no job that will never run; the API carries on', async () => {
    await cluster.sqs.stop()
    for (let i = 0; i < 10; i++) {
      const started = Date.now()
      const { status, json, headers } = await httpCall('POST', `${cluster.apiUrl}/todos/ical`)
      expect(status).toBe(503)
      expect(json.error).toMatch(/queue is unavailable/)
      expect(headers.get('retry-after')).toBe('5')
      // The API's SQS client: 2 attempts of at most 1 s to connect and 3 s to answer, so no hang.
      expect(Date.now() - started).toBeLessThan(2 * (1_000 + 3_000) + 2_000)
    }
    expect(await countByStatus(cluster.pool)).toEqual({}) // no job recorded
    expect((await cluster.pool.query('SELECT count(*)::int AS n FROM ical_job_events')).rows[0].n).toBe(0) // nor a stray timeline
    expect((await httpCall('GET', `${cluster.apiUrl}/todos`)).status).toBe(200)

    await cluster.sqs.start()
    const accepted = await eventually('the API to queue jobs again', async () => {
      const response = await httpCall('POST', `${cluster.apiUrl}/todos/ical`)
      return response.status === 202 ? response.json : undefined
    }, 15_000, 200)
    expect(await countByStatus(cluster.pool)).toEqual({ PENDING: 1 })
    expect(accepted.task_id).toBeDefined()
  })
})
