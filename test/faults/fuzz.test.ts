import http from 'node:http'
import fc from 'fast-check'
import { acceptable, fuzzSeed, request, sender } from '../support/fuzz-requests.js'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCluster, type Cluster } from '../support/cluster.js'
import { seedTodos } from '../support/seed.js'
import { countByStatus } from './helpers.js'
import { eventually } from '../support/eventually.js'

const RUNS = 10_000
let cluster: Cluster
let base: URL
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 })

beforeAll(async () => {
  cluster = await startCluster({ env: { RETRY_BASE_SECONDS: '0' } })
  base = new URL(cluster.apiUrl)
  await seedTodos(cluster.pool, 20)
  await cluster.startWorker()
})
afterAll(async () => {
  agent.destroy()
  await cluster?.close()
})

describe('a fuzzer sending 10,000 random and malformed requests across every endpoint', () => {
  it('never gets a 5xx, the server stays up, and the database stays consistent', async () => {
    const apiPid = cluster.api().child.pid
    const send = sender(base, agent)
    const statuses = new Map<number, number>()
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const answer = await send(req)
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
        return acceptable(req, answer)
      }),
      { numRuns: RUNS, seed: fuzzSeed(Date.now() % 2 ** 31), endOnFailure: true },
    )
    console.info(`fuzz: ${RUNS} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`)

    expect(cluster.api().child.exitCode).toBeNull()
    expect(cluster.api().child.pid).toBe(apiPid)
    expect((await fetch(`${cluster.apiUrl}/health`)).status).toBe(200)

    const { rows } = await cluster.pool.query(`
      SELECT count(*)::int AS broken FROM todos
      WHERE btrim(title) = '' OR char_length(title) > 80 OR char_length(description) > 120 OR updated_at < created_at`)
    expect(rows[0].broken).toBe(0)
    // Every export the fuzzer managed to start finishes: none is stranded.
    await eventually('every export job to finish', async () => {
      const counts = await countByStatus(cluster.pool)
      return !counts.PENDING && !counts.STARTED ? counts : undefined
    }, 60_000, 250)
    const { rows: stray } = await cluster.pool.query("SELECT count(*)::int AS n FROM ical_jobs WHERE (status = 'SUCCESS') <> (calendar_digest IS NOT NULL) OR status = 'FAILURE'")
    expect(stray[0].n).toBe(0)
  })
})
