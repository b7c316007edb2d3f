/**
 * EXPORTS_PER_MINUTE and TODO_WRITES_PER_MINUTE are each one limit for the whole deployment, however many API tasks serve it: the
 * hits are counted in PostgreSQL, not in each process's memory. Two API processes here, as two
 * ECS tasks behind the load balancer, which names the client in X-Forwarded-For.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCluster, type Cluster } from '../support/cluster.js'
import { freePort } from '../../scripts/local/ports.js'
import { startService, type ServiceProcess } from '../../scripts/local/services.js'
import { waitForHealthy } from '../../scripts/lib/http.js'
import { httpCall } from '../../scripts/lib/http.js'

const LIMITED = { EXPORTS_PER_MINUTE: '3', TODO_WRITES_PER_MINUTE: '2', TRUST_PROXY: 'true' }
let cluster: Cluster
let second: ServiceProcess
let secondUrl: string

beforeAll(async () => {
  cluster = await startCluster({ env: LIMITED })
  const port = await freePort()
  second = startService('api', {
    env: { DATABASE_URL: cluster.databaseUrl, ICAL_QUEUE_URL: cluster.sqs.queueUrl, SQS_ENDPOINT: cluster.sqs.endpoint, LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1', ...LIMITED },
  })
  secondUrl = `http://127.0.0.1:${port}/api/v1`
  await waitForHealthy(`${secondUrl}/health`, 60_000, second)
})
afterAll(async () => {
  await second?.stop('SIGKILL')
  await cluster?.close()
})

describe('the export limit with two API processes on one database', () => {
  it('lets one client make 3 exports a minute in all, whichever process answers', async () => {
    const exportFrom = (apiUrl: string, client: string) => httpCall('POST', `${apiUrl}/todos/ical`, undefined, { 'x-forwarded-for': client })
    const statuses: number[] = []
    for (const apiUrl of [cluster.apiUrl, secondUrl, cluster.apiUrl, secondUrl, cluster.apiUrl, secondUrl]) {
      statuses.push((await exportFrom(apiUrl, '203.0.113.7')).status)
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429, 429])
    expect((await exportFrom(secondUrl, '198.51.100.9')).status).toBe(202)
    const { rows } = await cluster.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ical_jobs')
    expect(rows[0]!.n).toBe(4)
  })
})

describe('the limit on writing todos with two API processes on one database', () => {
  it('lets one client make 2 changes a minute in all, whichever process answers', async () => {
    const createFrom = (apiUrl: string, client: string) => httpCall('POST', `${apiUrl}/todos`, { title: 'limited' }, { 'x-forwarded-for': client })
    const statuses: number[] = []
    for (const apiUrl of [cluster.apiUrl, secondUrl, cluster.apiUrl, secondUrl]) statuses.push((await createFrom(apiUrl, '203.0.113.8')).status)
    expect(statuses).toEqual([201, 201, 429, 429])
    expect((await createFrom(secondUrl, '198.51.100.10')).status).toBe(201)
  })
})
