import { writeFileSync } from 'node:fs'
import { createSqsClient } from '@taskoverflow/shared'
import pg from 'pg'
import { passwordDatabase, startCluster, type Cluster } from '../support/cluster.js'
import { onDatabase } from '../support/database.js'
import { queueDepth } from '../support/queue.js'

export async function countByStatus(pool: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM ical_jobs GROUP BY status')
  return Object.fromEntries(rows.map((row) => [row.status, row.n]))
}

/** Messages visible plus in flight, in the job queue and in its dead-letter queue. */
export async function queueDepths(cluster: Cluster): Promise<{ queue: number; deadLetter: number }> {
  const sqs = createSqsClient({ region: 'us-east-1', endpoint: cluster.sqs.endpoint })
  try {
    return { queue: await queueDepth(sqs, cluster.sqs.queueUrl), deadLetter: await queueDepth(sqs, cluster.sqs.deadLetterUrl) }
  } finally {
    sqs.destroy()
  }
}

/** Every job SUCCESS with one calendar of `events` events, attempted `attempts` times if given. */
export async function expectAllSucceeded(pool: pg.Pool, ids: readonly string[], events: number): Promise<void> {
  const { rows } = await pool.query<{ id: string; status: string; has_calendar: boolean; event_count: number; attempts: number }>(
    'SELECT j.id, j.status, c.body IS NOT NULL AS has_calendar, c.event_count, j.attempts FROM ical_jobs j LEFT JOIN calendars c ON c.digest = j.calendar_digest WHERE j.id = ANY($1::uuid[])',
    [ids],
  )
  const problems = rows.filter((row) => row.status !== 'SUCCESS' || !row.has_calendar || row.event_count !== events)
  if (rows.length !== ids.length) throw new Error(`${ids.length - rows.length} of ${ids.length} jobs are missing from the database`)
  if (problems.length > 0) throw new Error(`${problems.length} jobs did not succeed as expected, e.g. ${JSON.stringify(problems.slice(0, 3))}`)
}

/**
 * A cluster whose services log in as `taskoverflow` with a password the server checks
 * (scram-sha-256, as RDS does) and read it from `passwordFile` (DATABASE_PASSWORD_FILE), written
 * first with `password`. The cluster's pool, and `adminUrl`, log in as the superuser.
 */
export async function startPasswordCluster(passwordFile: string, password: string): Promise<{ cluster: Cluster; adminUrl: string }> {
  writeFileSync(passwordFile, `${password}\n`)
  const cluster = await startCluster({ prepareDatabase: passwordDatabase(password, { DATABASE_PASSWORD_FILE: passwordFile }) })
  return { cluster, adminUrl: onDatabase(cluster.postgres.url, 'todo') }
}
