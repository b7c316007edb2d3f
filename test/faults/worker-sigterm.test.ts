import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { workerStopTimeoutSeconds } from '../../containers/shared/src/job-timing.js'
import { startCluster, type Cluster } from '../support/cluster.js'
import { postExports } from '../support/exports.js'
import { seedTodos } from '../support/seed.js'
import { countByStatus, expectAllSucceeded, queueDepths } from './helpers.js'
import { eventually } from '../support/eventually.js'

let cluster: Cluster

beforeAll(async () => {
  cluster = await startCluster()
  await seedTodos(cluster.pool, 5)
})
afterAll(async () => {
  await cluster?.close()
})

describe('when the worker gets SIGTERM mid-batch, as ECS sends on scale-in', () => {
  it('finishes the jobs in flight and leaves the rest queued: none lost, none done twice', async () => {
    const ids = await postExports(cluster.apiUrl, 40)
    // Each job takes a second, so a batch is surely in flight when the signal comes.
    const worker = await cluster.startWorker({ WORKER_DELAY_SECONDS: '1' })
    await eventually('a batch in flight', async () => ((await countByStatus(cluster.pool)).STARTED ?? 0) > 0, 30_000, 10)
    const signalled = Date.now()
    // Exit 0 by itself within the stop timeout ECS gives this worker (the services stack sets it
    // from the delay); past it, stop() sends SIGKILL and answers 'SIGKILL'.
    expect(await worker.stop('SIGTERM', workerStopTimeoutSeconds(1) * 1_000)).toBe(0)
    const stopSeconds = (Date.now() - signalled) / 1_000

    const afterStop = await countByStatus(cluster.pool)
    expect(afterStop.STARTED ?? 0).toBe(0) // no job left half-done
    expect(afterStop.SUCCESS ?? 0).toBeGreaterThan(0) // the batch in flight finished
    expect(afterStop.PENDING ?? 0).toBeGreaterThan(0) // the rest wait in the queue
    console.info(`SIGTERM: stopped in ${stopSeconds.toFixed(1)} s with ${afterStop.SUCCESS} jobs done, ${afterStop.PENDING} left queued`)

    await cluster.startWorker()
    await eventually('all 40 jobs to succeed', async () => (await countByStatus(cluster.pool)).SUCCESS === 40, 60_000, 100)
    await expectAllSucceeded(cluster.pool, ids, 5)
    const { rows } = await cluster.pool.query<{ attempts: number }>('SELECT DISTINCT attempts FROM ical_jobs')
    expect(rows).toEqual([{ attempts: 1 }]) // every job was worked on exactly once
    expect(await queueDepths(cluster)).toEqual({ queue: 0, deadLetter: 0 })
  })
})

describe('when an idle worker is stopped while a job arrives', () => {
  it('the job is not stranded for the visibility timeout by the long poll that was cut off', async () => {
    const worker = await cluster.startWorker()
    await new Promise((resolve) => setTimeout(resolve, 1_000)) // now waiting in its long poll
    const stopping = worker.stop('SIGTERM')
    const [id] = await postExports(cluster.apiUrl, 1)
    const posted = Date.now()
    await cluster.startWorker()
    await eventually('the job to succeed', async () => {
      const { rows } = await cluster.pool.query("SELECT 1 FROM ical_jobs WHERE id = $1 AND status = 'SUCCESS'", [id])
      return rows.length === 1
    }, 30_000, 50)
    // The queue's visibility timeout is 60 s: a message handed to an abandoned poll would wait that long.
    expect(Date.now() - posted).toBeLessThan(45_000)
    expect(await stopping).toBe(0)
  })
})
