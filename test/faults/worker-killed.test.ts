import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCluster, type Cluster } from '../support/cluster.js'
import { postExports } from '../support/exports.js'
import { seedTodos } from '../support/seed.js'
import { countByStatus, expectAllSucceeded, queueDepths } from './helpers.js'
import { eventually } from '../support/eventually.js'

let cluster: Cluster
// A short visibility timeout so the jobs a dead worker held come back within seconds.
const VISIBILITY = 5

beforeAll(async () => {
  cluster = await startCluster({ jobTiming: { visibilityTimeoutSeconds: VISIBILITY } })
  await seedTodos(cluster.pool, 20)
})
afterAll(async () => {
  await cluster?.close()
})

describe('when the worker is killed with SIGKILL in the middle of 1,000 jobs', () => {
  it('a new worker finishes them all: every job SUCCESS once, none lost', async () => {
    const ids = await postExports(cluster.apiUrl, 1_000)
    const env = { SQS_VISIBILITY_TIMEOUT_SECONDS: String(VISIBILITY) }
    const first = await cluster.startWorker(env)
    await eventually('300 jobs to succeed', async () => ((await countByStatus(cluster.pool)).SUCCESS ?? 0) >= 300, 60_000, 20)
    expect(await first.stop('SIGKILL')).toBe('SIGKILL')
    const atKill = (await countByStatus(cluster.pool)).SUCCESS ?? 0
    expect(atKill).toBeLessThan(1_000) // the worker was killed before it finished
    console.info(`worker killed with ${atKill} of 1,000 jobs done`)

    await cluster.startWorker(env)
    await eventually('all 1,000 jobs to succeed', async () => (await countByStatus(cluster.pool)).SUCCESS === 1_000, 120_000, 100)
    await expectAllSucceeded(cluster.pool, ids, 20)
    expect(await countByStatus(cluster.pool)).toEqual({ SUCCESS: 1_000 })
    expect(await eventually('the queues to drain', async () => {
      const depths = await queueDepths(cluster)
      return depths.queue === 0 ? depths : undefined
    }, 60_000, 100)).toEqual({ queue: 0, deadLetter: 0 })
  })
})
