import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { IcalJobRepository, JobDispatcher, JobUpkeep } from '@taskoverflow/shared'
import { createReconciler } from '../../containers/shared/src/reconciler.js'
import { httpCall } from '../../scripts/lib/http.js'
import { eventually } from '../support/eventually.js'
import { startTestSystem, testLogger, type TestSystem } from '../support/system.js'

let system: TestSystem
let api: string

beforeAll(async () => {
  system = await startTestSystem()
  api = system.apiUrl
  system.startWorker()
  await system.pool.query("INSERT INTO todos (title) VALUES ('one'), ('two')")
})
afterAll(async () => {
  await system?.close()
})

const reconciler = (deadlineSeconds = 3_600) =>
  createReconciler({
    upkeep: new JobUpkeep(system.pool),
    dispatcher: new JobDispatcher(system.queues.sqs, system.queues.queueUrl, new IcalJobRepository(system.pool), { whenRefused: 'unsend', logger: testLogger }),
    logger: testLogger,
    intervalSeconds: 60,
    unsentAfterSeconds: 30,
    deadlineSeconds,
    progressWindowSeconds: 60,
    messageRetentionSeconds: 345_600,
    retentionDays: 7,
  })

/** A job as the API leaves it when it dies after recording it and before sending it. */
async function recordedButNeverSent(ageSeconds: number): Promise<string> {
  const id = randomUUID()
  await system.pool.query("INSERT INTO ical_jobs (id, created_at) VALUES ($1, now() - make_interval(secs => $2))", [id, ageSeconds])
  return id
}

const status = async (id: string) => (await httpCall('GET', `${api}/todos/ical/${id}/status`)).json as { task_status: string; error?: string }

describe('the reconciler', () => {
  it('sends a job the API recorded but never sent, once, however many workers run it; the worker then finishes it', async () => {
    const lost = await recordedButNeverSent(60)
    const young = await recordedButNeverSent(0)
    const outcomes = await Promise.all([reconciler().runOnce(), reconciler().runOnce(), reconciler().runOnce()])
    expect(outcomes.reduce((sum, o) => sum + o.resent, 0)).toBe(1)
    await eventually('the lost job to succeed', async () => (await status(lost)).task_status === 'SUCCESS', 15_000, 50)
    // A job accepted a moment ago is the API's own to send.
    expect((await system.pool.query('SELECT sent_at FROM ical_jobs WHERE id = $1', [young])).rows[0].sent_at).toBeNull()
  })

  it('claims again a job whose claim was cut short, and never one whose send was recorded', async () => {
    // Claimed by a process that died before sending (sent_at set, no "sent" step), and sent for real.
    const stranded = await recordedButNeverSent(120)
    const sent = await recordedButNeverSent(120)
    await system.pool.query("UPDATE ical_jobs SET sent_at = now() - interval '60 seconds' WHERE id = ANY($1::uuid[])", [[stranded, sent]])
    await system.pool.query("INSERT INTO ical_job_events (job_id, step) VALUES ($1, 'sent')", [sent])
    expect((await reconciler().runOnce()).resent).toBe(1)
    await eventually('the stranded job to succeed', async () => (await status(stranded)).task_status === 'SUCCESS', 15_000, 50)
    // Its message never existed: gone, so no later test's reconciler fails it.
    await new IcalJobRepository(system.pool).remove(sent)
  })

  it('fails a job still unfinished at the deadline after its first try, with a message the status endpoint shows, exactly once', async () => {
    const stuck = randomUUID()
    await system.pool.query(
      "INSERT INTO ical_jobs (id, status, attempts, sent_at, created_at, first_started_at, started_at) VALUES ($1, 'STARTED', 5, now(), now() - interval '3 hours', now() - interval '2 hours', now() - interval '1 hour')",
      [stuck],
    )
    const outcomes = await Promise.all([reconciler(3_600).runOnce(), reconciler(3_600).runOnce()])
    expect(outcomes.reduce((sum, o) => sum + o.failed, 0)).toBe(1)
    expect(await status(stuck)).toMatchObject({ task_status: 'FAILURE', error: 'not finished within 3600 s of its first attempt: every attempt failed or was lost' })
  })

  it('fails an untried job once its message is older than the queue keeps it, counting from its last send, not its acceptance', async () => {
    // Accepted five days ago; one sent then, one sent again a day ago; a worker is taking jobs meanwhile.
    const [resent, dropped, working] = [randomUUID(), randomUUID(), randomUUID()]
    await system.pool.query("INSERT INTO ical_jobs (id, created_at, sent_at) VALUES ($1, now() - interval '5 days', now() - interval '1 day'), ($2, now() - interval '5 days', now() - interval '5 days')", [resent, dropped])
    await system.pool.query("INSERT INTO ical_job_events (job_id, step) VALUES ($1, 'sent'), ($2, 'sent')", [resent, dropped])
    await system.pool.query("INSERT INTO ical_jobs (id, status, attempts, sent_at, first_started_at, started_at) VALUES ($1, 'STARTED', 1, now(), now(), now())", [working])
    expect((await reconciler(3_600).runOnce()).failed).toBe(1)
    expect(await status(dropped)).toMatchObject({ task_status: 'FAILURE', error: 'no worker took it before the queue dropped its message, 345600 s after it was sent' })
    expect((await status(resent)).task_status).toBe('PENDING')
    await system.pool.query('WITH gone AS (DELETE FROM ical_jobs WHERE id = ANY($1::uuid[]) RETURNING id) DELETE FROM ical_job_events WHERE job_id IN (SELECT id FROM gone)', [[resent, working]])
  })

  it('deletes finished jobs and their calendars after the retention period, and nothing younger', async () => {
    const old = randomUUID()
    const recent = randomUUID()
    for (const [id, days] of [[old, 8], [recent, 6]] as const) {
      await system.pool.query(
        `WITH c AS (INSERT INTO calendars VALUES (sha256($3::bytea), 'BEGIN:VCALENDAR', 0, 0) RETURNING digest)
         INSERT INTO ical_jobs (id, status, calendar_digest, sent_at, created_at, finished_at)
         SELECT $1, 'SUCCESS', digest, now(), now() - make_interval(days => $2), now() - make_interval(days => $2) FROM c`,
        [id, days, Buffer.from(id)],
      )
      await system.pool.query("INSERT INTO ical_job_events (job_id, step) VALUES ($1, 'finished')", [id])
    }
    expect((await reconciler().runOnce()).deleted).toBe(1)
    // Its timeline too.
    const events = await system.pool.query('SELECT job_id FROM ical_job_events WHERE job_id = ANY($1::uuid[])', [[old, recent]])
    expect(events.rows).toEqual([{ job_id: recent }])
    // Its calendar went with it; the younger job's stays.
    expect((await system.pool.query('SELECT count(*)::int AS n FROM calendars WHERE digest = sha256($1::bytea)', [Buffer.from(old)])).rows[0].n).toBe(0)
    expect((await system.pool.query('SELECT count(*)::int AS n FROM calendars WHERE digest = sha256($1::bytea)', [Buffer.from(recent)])).rows[0].n).toBe(1)
    expect((await httpCall('GET', `${api}/todos/ical/${old}/status`)).status).toBe(404)
    expect((await status(recent)).task_status).toBe('SUCCESS')
  })

  it('leaves alone what is finished or within its deadline', async () => {
    const { json } = await httpCall('POST', `${api}/todos/ical`)
    await eventually('the export to succeed', async () => (await status(json.task_id)).task_status === 'SUCCESS', 15_000, 50)
    expect(await reconciler(3_600).runOnce()).toEqual({ resent: 0, failed: 0, deleted: 0 })
    expect((await system.pool.query('SELECT sent_at IS NOT NULL AS sent FROM ical_jobs WHERE id = $1', [json.task_id])).rows[0].sent).toBe(true)
  })
})

describe('calendars', () => {
  it('are stored once when identical: exporting unchanged todos again adds a job, not a second copy', async () => {
    const before = Number((await system.pool.query('SELECT count(*)::int AS n FROM calendars')).rows[0].n)
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const { json } = await httpCall('POST', `${api}/todos/ical`)
      ids.push(json.task_id)
      await eventually('the export to succeed', async () => (await status(json.task_id)).task_status === 'SUCCESS', 15_000, 50)
    }
    const { rows } = await system.pool.query<{ digests: number }>('SELECT count(DISTINCT calendar_digest)::int AS digests FROM ical_jobs WHERE id = ANY($1::uuid[])', [ids])
    expect(rows[0]!.digests).toBe(1)
    expect(Number((await system.pool.query('SELECT count(*)::int AS n FROM calendars')).rows[0].n)).toBeLessThanOrEqual(before + 1)
    const results = await Promise.all(ids.map(async (id) => (await fetch(`${api}/todos/ical/${id}/result`)).text()))
    expect(new Set(results).size).toBe(1)
    expect(results[0]).toContain('BEGIN:VCALENDAR')
  })
})
