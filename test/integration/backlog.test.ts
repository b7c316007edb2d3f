/**
 * A backlog longer than the deadline: while a worker is taking jobs, none fails before a worker
 * has tried it, however long it waits its turn; once none is taking jobs, every waiting job still
 * ends at its deadline.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { httpCall } from '../../scripts/lib/http.js'
import { eventually } from '../support/eventually.js'
import { postExports } from '../support/exports.js'
import { startTestSystem, type TestSystem } from '../support/system.js'

// One worker takes 10 jobs a second (a 1 s delay per batch): 80 jobs take 8 s, twice the deadline.
const DEADLINE = 4
let system: TestSystem

beforeAll(async () => {
  system = await startTestSystem({}, { reconciler: { intervalSeconds: 1, unsentAfterSeconds: 30, deadlineSeconds: DEADLINE, progressWindowSeconds: 3, messageRetentionSeconds: 345_600, retentionDays: 7 } })
  await system.pool.query("INSERT INTO todos (title, deadline_at) VALUES ('due', '2031-01-01T09:00:00')")
})
afterAll(async () => {
  await system?.close()
})

const statuses = async (ids: readonly string[]) => {
  const { rows } = await system.pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM ical_jobs WHERE id = ANY($1::uuid[]) GROUP BY status', [ids])
  return Object.fromEntries(rows.map((row) => [row.status, row.n]))
}

describe('a backlog longer than the deadline', () => {
  it('ends with every job done while a worker is taking them, none failed untried', async () => {
    system.startWorker({ delayMs: 1_000 })
    const ids = await postExports(system.apiUrl, 80, 16)
    await eventually('every job to end', async () => ((await statuses(ids)).PENDING ?? 0) + ((await statuses(ids)).STARTED ?? 0) === 0, 40_000, 200)
    expect(await statuses(ids)).toEqual({ SUCCESS: 80 })
    await system.stopWorker('worker-1')
  }, 60_000)

  it('when the worker stops midway, fails those no worker took once none is taking jobs, each with the reason', async () => {
    system.startWorker({ delayMs: 1_000 })
    const ids = await postExports(system.apiUrl, 60, 16)
    await eventually('a first batch done', async () => ((await statuses(ids)).SUCCESS ?? 0) >= 10, 20_000, 100)
    await system.stopWorker('worker-2')
    await eventually('every job to end', async () => ((await statuses(ids)).PENDING ?? 0) + ((await statuses(ids)).STARTED ?? 0) === 0, 40_000, 200)
    const ended = await statuses(ids)
    expect(ended.SUCCESS! + ended.FAILURE!).toBe(60)
    const { rows } = await system.pool.query<{ error: string; tried: boolean }>("SELECT DISTINCT error, first_started_at IS NOT NULL AS tried FROM ical_jobs WHERE id = ANY($1::uuid[]) AND status = 'FAILURE'", [ids])
    expect(rows).toEqual([{ error: `no worker took it within ${DEADLINE} s of its acceptance, and none is taking jobs`, tried: false }])
    const failed = (await system.pool.query<{ id: string }>("SELECT id FROM ical_jobs WHERE id = ANY($1::uuid[]) AND status = 'FAILURE' LIMIT 1", [ids])).rows[0]!.id
    expect((await httpCall('GET', `${system.apiUrl}/todos/ical/${failed}/status`)).json).toMatchObject({ task_status: 'FAILURE', error: expect.stringContaining('none is taking jobs') })
  }, 60_000)
})
