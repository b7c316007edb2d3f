/**
 * During a rotation the database and the password's source can disagree for a while: the server
 * already takes the new password while the source still gives the old one (or cannot be read at
 * all). The worker must wait that out as it waits out an outage, not spend its jobs' limited
 * receives on attempts that cannot succeed: each would fail five times in about a minute and
 * land in the dead-letter queue. The source here is a file (DATABASE_PASSWORD_FILE), read the
 * same way as the Secrets Manager secret the deployed tasks use.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import pg from 'pg'
import type { Cluster } from '../support/cluster.js'
import { eventually } from '../support/eventually.js'
import { testFolder } from '../support/test-folder.js'
import { postExports } from '../support/exports.js'
import { seedTodos } from '../support/seed.js'
import { expectAllSucceeded, queueDepths, startPasswordCluster } from './helpers.js'

const dir = testFolder('taskoverflow-password-lag-')
let passwordFile: string
const FIRST = 'first-Pa55'
let cluster: Cluster
let adminUrl: string

beforeAll(async () => {
  passwordFile = join(dir.path, 'database-password')
  ;({ cluster, adminUrl } = await startPasswordCluster(passwordFile, FIRST))
  await seedTodos(cluster.pool, 5)
})
afterAll(async () => {
  await cluster?.close()
  dir.remove()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const PASSWORDS = ['second-Pa55', 'third-Pa55']
let rotations = 0

/** The server takes the next password and ends the connections opened with the old one; the file is left as it is. */
async function rotateServer(): Promise<string> {
  const next = PASSWORDS[rotations++]!
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`ALTER ROLE taskoverflow PASSWORD '${next}'`)
  await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'taskoverflow'")
  await admin.end()
  return next
}

type Phase = () => Promise<void>
const stale = (password: string): Phase => async () => writeFileSync(passwordFile, `${password}\n`)
const unreadable: Phase = async () => rmSync(passwordFile, { force: true })

async function statusesOf(ids: readonly string[]): Promise<Record<string, number>> {
  const { rows } = await cluster.pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM ical_jobs WHERE id = ANY($1::uuid[]) GROUP BY status', [ids])
  return Object.fromEntries(rows.map((row) => [row.status, row.n]))
}

describe('when the password source lags the server during a rotation', () => {
  it.each([
    ['gives the old password for 15 s, then cannot be read for 10 s', '"code":"28P01"', (old: string): [Phase, Phase] => [stale(old), unreadable]],
    ['cannot be read for 10 s, then gives the old password for 15 s', '"code":"PasswordUnavailableError"', (old: string): [Phase, Phase] => [unreadable, stale(old)]],
  ])('and the source %s, the worker pauses instead of spending attempts: no job fails, all succeed once it catches up', async (_lag, firstError, phases) => {
    const old = rotations === 0 ? FIRST : PASSWORDS[rotations - 1]!
    const ids = await postExports(cluster.apiUrl, 30, 5)
    // Quick retries, so jobs charged an attempt per failure would run out within the lag.
    const worker = await cluster.startWorker({ WORKER_DELAY_SECONDS: '3', RETRY_BASE_SECONDS: '1' })
    await eventually('a batch in hand', async () => ((await statusesOf(ids)).STARTED ?? 0) > 0, 30_000, 20)

    const next = await rotateServer()
    const [first, second] = phases(old)
    await first()
    await sleep(first === unreadable ? 10_000 : 15_000)
    await second()
    await sleep(second === unreadable ? 10_000 : 15_000)
    expect(await statusesOf(ids)).not.toHaveProperty('SUCCESS') // nothing got through in the lag
    writeFileSync(passwordFile, `${next}\n`)

    await eventually('every job to succeed', async () => (await statusesOf(ids)).SUCCESS === ids.length, 60_000, 100)
    await expectAllSucceeded(cluster.pool, ids, 5)
    // No receive was spent in the lag but the one of the batch in hand (SQS's receive count, which
    // the timeline keeps), no attempt was recorded as failed, no message reached the dead-letter queue.
    const { rows } = await cluster.pool.query<{ receives: number; failures: number }>(
      `SELECT max(attempt) FILTER (WHERE step = 'started')::int AS receives, count(*) FILTER (WHERE step IN ('retrying', 'failed'))::int AS failures
       FROM ical_job_events WHERE job_id = ANY($1::uuid[])`,
      [ids],
    )
    expect(rows[0]).toEqual({ receives: 2, failures: 0 })
    expect(await queueDepths(cluster)).toEqual({ queue: 0, deadLetter: 0 })
    const pause = cluster.logs('worker').split('\n').find((line) => line.includes('pausing the queue'))
    expect(pause).toContain(firstError)
    expect(worker.child.exitCode).toBeNull()
    expect(await worker.stop('SIGINT')).toBe(0)
  })
})
