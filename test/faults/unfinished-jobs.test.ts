/**
 * Every job accepted with 202 reaches SUCCESS or FAILURE within the deadline, whatever dies:
 * the reconciler, which the API and every worker run, sends what the API recorded but never
 * sent, and fails what outlives JOB_DEADLINE_SECONDS (containers/shared/src/reconciler.ts).
 */
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startCluster, type Cluster } from '../support/cluster.js'
import { httpCall } from '../../scripts/lib/http.js'
import { eventually } from '../support/eventually.js'
import { seedTodos } from '../support/seed.js'
import { countByStatus } from './helpers.js'

let cluster: Cluster | undefined
afterEach(async () => {
  await cluster?.close()
  cluster = undefined
})

const FAST_RECONCILER = { RECONCILE_INTERVAL_SECONDS: '1', JOB_UNSENT_AFTER_SECONDS: '2' }

describe('when the API is killed with SIGKILL while clients POST exports at full speed', () => {
  it('every job that got a 202 ends SUCCESS exactly once, and no job stays PENDING', async () => {
    cluster = await startCluster({ env: FAST_RECONCILER })
    const running = cluster
    await seedTodos(running.pool, 5)
    await running.startWorker()
    const accepted: string[] = []
    let stop = false
    const clients = Array.from({ length: 20 }, async () => {
      while (!stop) {
        const answer = await fetch(`${running.apiUrl}/todos/ical`, { method: 'POST' }).catch(() => undefined)
        if (answer?.status === 202) accepted.push(((await answer.json()) as { task_id: string }).task_id)
        else await new Promise((resolve) => setTimeout(resolve, 20))
      }
    })
    await eventually('300 jobs accepted', async () => accepted.length >= 300, 60_000, 10)
    expect(await running.api().stop('SIGKILL')).toBe('SIGKILL')
    const atKill = accepted.length
    await running.startApi()
    await eventually('100 more jobs accepted', async () => accepted.length >= atKill + 100, 60_000, 10)
    stop = true
    await Promise.all(clients)

    // Jobs recorded by requests the kill cut short are finished too: nothing stays PENDING.
    await eventually('every recorded job to succeed', async () => Object.keys(await countByStatus(running.pool)).join() === 'SUCCESS', 60_000, 200)
    const { rows } = await running.pool.query<{ id: string; attempts: number }>('SELECT id, attempts FROM ical_jobs WHERE id = ANY($1::uuid[])', [accepted])
    expect(rows.length).toBe(new Set(accepted).size)
    expect(rows.filter((row) => row.attempts !== 1)).toEqual([])
    const recorded = (await countByStatus(running.pool)).SUCCESS ?? 0
    console.info(`${accepted.length} jobs accepted, ${atKill} before the kill; ${recorded} recorded, all SUCCESS`)
  })
})

describe('when a job cannot be finished on its last attempt', () => {
  it.each([
    ['the worker is killed during it', 'kill'],
    ['the database is down during it', 'database'],
  ] as const)('%s: the job ends FAILURE within the deadline, with a message the status endpoint shows', async (_what, fault) => {
    // Two receives, each hidden 3 s, and a deadline of 20 s: the second attempt is the last.
    const DEADLINE = 20
    cluster = await startCluster({ jobTiming: { maxReceives: 2, visibilityTimeoutSeconds: 3, deadlineSeconds: DEADLINE }, env: FAST_RECONCILER })
    const running = cluster
    await seedTodos(running.pool, 5)
    const { json } = await httpCall('POST', `${running.apiUrl}/todos/ical`)
    const worker = { SQS_VISIBILITY_TIMEOUT_SECONDS: '3', WORKER_DELAY_SECONDS: '8' }
    // Each attempt holds the job for 8 s; the worker dies (or the database goes) during the second.
    const first = await running.startWorker(worker)
    await eventually('the first attempt', async () => (await countByStatus(running.pool)).STARTED === 1, 20_000, 50)
    await first.stop('SIGKILL')
    const second = await running.startWorker(worker)
    await eventually('the last attempt', async () => {
      const { rows } = await running.pool.query<{ attempts: number }>('SELECT attempts FROM ical_jobs')
      return rows[0]?.attempts === 2
    }, 20_000, 50)
    if (fault === 'kill') await second.stop('SIGKILL')
    else await running.postgres.stop('immediate')
    if (fault === 'database') {
      // Back after the message has gone to the dead-letter queue; nothing but the reconciler is left.
      await new Promise((resolve) => setTimeout(resolve, 8_000))
      await running.postgres.start()
    } else {
      await running.startWorker(worker)
    }

    const ended = await eventually('the job to end', async () => {
      const state = (await httpCall('GET', `${running.apiUrl}/todos/ical/${json.task_id}/status`)).json as { task_status: string; error?: string }
      return state.task_status === 'PENDING' || state.task_status === 'STARTED' ? undefined : state
    }, (DEADLINE + 15) * 1_000, 200)
    expect(ended).toMatchObject({ task_status: 'FAILURE', error: `not finished within ${DEADLINE} s of its first attempt: every attempt failed or was lost` })
    const { rows } = await running.pool.query<{ in_time: boolean }>(`SELECT finished_at - first_started_at <= make_interval(secs => $1) AS in_time FROM ical_jobs`, [DEADLINE + 5])
    expect(rows).toEqual([{ in_time: true }])
  })
})

describe('when no worker runs at all, as when the workers have scaled to none', () => {
  it("the API's own reconciler sends what it never sent, and every job ends FAILURE within the deadline", async () => {
    const DEADLINE = 10
    cluster = await startCluster({ jobTiming: { deadlineSeconds: DEADLINE }, env: FAST_RECONCILER })
    const running = cluster
    const { json } = await httpCall('POST', `${running.apiUrl}/todos/ical`)
    // As an API task leaves a job when it dies between recording it and sending it.
    const lost = randomUUID()
    await running.pool.query('INSERT INTO ical_jobs (id) VALUES ($1)', [lost])

    for (const id of [json.task_id as string, lost]) {
      const ended = await eventually(`job ${id} to end`, async () => {
        const state = (await httpCall('GET', `${running.apiUrl}/todos/ical/${id}/status`)).json as { task_status: string; error?: string }
        return state.task_status === 'PENDING' ? undefined : state
      }, (DEADLINE + 20) * 1_000, 200)
      expect(ended).toMatchObject({ task_status: 'FAILURE', error: `no worker took it within ${DEADLINE} s of its acceptance, and none is taking jobs` })
    }
    const { rows } = await running.pool.query<{ sent: boolean; in_time: boolean }>(
      'SELECT sent_at IS NOT NULL AS sent, finished_at - created_at <= make_interval(secs => $2) AS in_time FROM ical_jobs WHERE id = $1',
      [lost, DEADLINE + 10],
    )
    expect(rows).toEqual([{ sent: true, in_time: true }])
  })
})
