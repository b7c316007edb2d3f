import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCluster, type Cluster } from '../support/cluster.js'
import { seedTodos } from '../support/seed.js'
import { countByStatus, expectAllSucceeded } from './helpers.js'
import { eventually } from '../support/eventually.js'

let cluster: Cluster

beforeAll(async () => {
  cluster = await startCluster({ env: { RETRY_BASE_SECONDS: '1' } })
  await seedTodos(cluster.pool, 10)
})
afterAll(async () => {
  await cluster?.close()
})

interface Outcome {
  at: number
  method: string
  status: number
  ms: number
  json: boolean
  taskId?: string
}

/** Requests at a steady pace until `stop`, recording every answer and how long it took. */
async function load(apiUrl: string, stop: () => boolean): Promise<Outcome[]> {
  const outcomes: Outcome[] = []
  const one = async (method: 'GET' | 'POST', path: string) => {
    const started = Date.now()
    const response = await fetch(`${apiUrl}${path}`, { method, signal: AbortSignal.timeout(30_000) })
    const body = await response.text()
    let parsed: { task_id?: string } | undefined
    try {
      parsed = JSON.parse(body)
    } catch {
      parsed = undefined
    }
    outcomes.push({ at: started, method, status: response.status, ms: Date.now() - started, json: parsed !== undefined, taskId: response.status === 202 ? parsed?.task_id : undefined })
  }
  const inFlight: Array<Promise<void>> = []
  while (!stop()) {
    inFlight.push(one('POST', '/todos/ical'), one('GET', '/todos'))
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  await Promise.all(inFlight)
  return outcomes
}

describe('when PostgreSQL stops for a few seconds under load', () => {
  it('the API answers 503 quickly meanwhile, both services recover by themselves, and every accepted job completes', async () => {
    const worker = await cluster.startWorker()
    const pids = { api: cluster.api().child.pid, worker: worker.child.pid }
    let done = false
    const running = load(cluster.apiUrl, () => done)

    await new Promise((resolve) => setTimeout(resolve, 3_000))
    const down = Date.now()
    await cluster.postgres.stop('fast')
    await new Promise((resolve) => setTimeout(resolve, 4_000))
    await cluster.postgres.start()
    const up = Date.now()
    await new Promise((resolve) => setTimeout(resolve, 4_000))
    done = true
    const outcomes = await running

    const during = outcomes.filter((o) => o.at > down + 500 && o.at < up - 500)
    const unavailable = during.filter((o) => o.status === 503)
    expect(unavailable.length).toBeGreaterThan(50) // requests during the outage were answered 503
    expect(outcomes.filter((o) => ![200, 202, 503].includes(o.status))).toEqual([]) // nothing but 200, 202 and 503
    expect(outcomes.filter((o) => !o.json)).toEqual([]) // every answer is JSON
    const slowest = Math.max(...during.map((o) => o.ms))
    // No request hangs while the database is down: the pool gives up connecting after 2 s and a
    // query after 11 s (statement timeout + 1 s), so every answer comes within their sum.
    expect(slowest).toBeLessThan(2_000 + 11_000)
    const last = outcomes.filter((o) => o.at > up + 2_000)
    expect(last.length).toBeGreaterThan(20)
    expect(last.filter((o) => o.status >= 300)).toEqual([]) // the API recovered without a restart
    // A service that exited says why in its own output.
    expect({ api: cluster.api().child.exitCode, worker: worker.child.exitCode, logs: worker.child.exitCode === null ? '' : cluster.logs('worker') }).toEqual({ api: null, worker: null, logs: '' })
    expect({ api: cluster.api().child.pid, worker: worker.child.pid }).toEqual(pids)

    const accepted = outcomes.flatMap((o) => (o.taskId ? [o.taskId] : []))
    await eventually('every accepted job to complete', async () => {
      const counts = await countByStatus(cluster.pool)
      return (counts.SUCCESS ?? 0) === accepted.length ? counts : undefined
    }, 90_000, 250)
    await expectAllSucceeded(cluster.pool, accepted, 10)
    console.info(`outage: ${unavailable.length} requests answered 503 (slowest ${slowest} ms); ${accepted.length} accepted jobs all succeeded`)
  })
})
