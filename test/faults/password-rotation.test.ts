/**
 * RDS rotates the database password in Secrets Manager every 7 days. The API and the worker read
 * the password for each new connection and read it again when the server refuses it, so they
 * follow a rotation without a restart. Here the source is a file (DATABASE_PASSWORD_FILE), the
 * same mechanism as the Secrets Manager source, and the server checks passwords (scram-sha-256).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import pg from 'pg'
import type { Cluster } from '../support/cluster.js'
import { eventually } from '../support/eventually.js'
import { postExports } from '../support/exports.js'
import { seedTodos } from '../support/seed.js'
import { countByStatus, expectAllSucceeded, startPasswordCluster } from './helpers.js'
import { testFolder } from '../support/test-folder.js'

const dir = testFolder('taskoverflow-rotation-')
let passwordFile: string
// Characters RDS puts in generated passwords, which once had to be encoded into the URL.
const FIRST = 'first%Pa55#@:/?'
const SECOND = 'second&Pa55!$*'
let cluster: Cluster
let adminUrl: string

beforeAll(async () => {
  passwordFile = join(dir.path, 'database-password')
  ;({ cluster, adminUrl } = await startPasswordCluster(passwordFile, FIRST))
  await cluster.startWorker()
  await seedTodos(cluster.pool, 5)
})
afterAll(async () => {
  await cluster?.close()
  dir.remove()
})

async function login(password: string): Promise<string> {
  // Not a connection string: pg lets one override `password`, even one without a password.
  const client = new pg.Client({ host: '127.0.0.1', port: cluster.postgres.port, user: 'taskoverflow', database: 'todo', password })
  client.on('error', () => undefined)
  try {
    await client.connect()
    return 'accepted'
  } catch (err) {
    return (err as { code?: string }).code ?? String(err)
  } finally {
    await client.end().catch(() => undefined)
  }
}

describe('when the database password is rotated while the API and the worker run', () => {
  it('both follow it without a restart, and every job accepted finishes', async () => {
    const before = await postExports(cluster.apiUrl, 20, 5)
    await eventually('the first jobs to succeed', async () => (await countByStatus(cluster.pool)).SUCCESS === 20, 30_000, 50)
    const pids = [cluster.api().child.pid, cluster.worker()!.child.pid]

    // The rotation: the server takes the new password, the secret store holds it, and the
    // connections opened with the old one end (as RDS's do when they are recycled).
    const admin = new pg.Client({ connectionString: adminUrl })
    await admin.connect()
    await admin.query(`ALTER ROLE taskoverflow PASSWORD '${SECOND}'`)
    writeFileSync(passwordFile, `${SECOND}\n`)
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'taskoverflow'")
    await admin.end()
    expect(await login(FIRST)).toBe('28P01')
    expect(await login(SECOND)).toBe('accepted')

    const after = await postExports(cluster.apiUrl, 20, 5)
    await eventually('every job to succeed', async () => (await countByStatus(cluster.pool)).SUCCESS === 40, 60_000, 50)
    await expectAllSucceeded(cluster.pool, [...before, ...after], 5)
    expect(await countByStatus(cluster.pool)).toEqual({ SUCCESS: 40 })
    expect([cluster.api().child.pid, cluster.worker()!.child.pid]).toEqual(pids)
    expect([cluster.api().child.exitCode, cluster.worker()!.child.exitCode]).toEqual([null, null])
    expect(cluster.logs('api')).toContain('reading it again')
    expect(cluster.logs('worker')).toContain('reading it again')
  })
})
