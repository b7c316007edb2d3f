/**
 * The worst one client can do to the database through the API: change a todo and export, again
 * and again, with every todo as large as the API allows (10,000 todos of 80-emoji titles and
 * 120-emoji descriptions, 9 MB of calendar each time). The calendars kept stay within
 * CALENDAR_STORAGE_MB, and another client's export still succeeds.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { httpCall } from '../../scripts/lib/http.js'
import { startCluster, type Cluster } from '../support/cluster.js'
import { exportAndWait } from '../support/exports.js'
import { seedLargestTodos } from '../support/seed.js'

const BOUND_MB = 40
let cluster: Cluster

beforeAll(async () => {
  cluster = await startCluster({ env: { CALENDAR_STORAGE_MB: String(BOUND_MB) } })
  await seedLargestTodos(cluster.pool, 10_000)
  await cluster.startWorker()
})
afterAll(async () => {
  await cluster?.close()
})

const storedBytes = async () => Number((await cluster.pool.query<{ bytes: string }>('SELECT bytes FROM calendar_storage')).rows[0]!.bytes)

describe('a client changing a todo and exporting in a loop, with the largest calendars there can be', () => {
  it('keeps the calendars within the bound, and another client\'s export still succeeds', async () => {
    const most: number[] = []
    const watch = setInterval(() => void storedBytes().then((bytes) => most.push(bytes)), 200)
    try {
      let other: Promise<number> | undefined
      for (let i = 1; i <= 8; i++) {
        const changed = await httpCall('PUT', `${cluster.apiUrl}/todos/${i}`, { title: `${'🗓'.repeat(79)}${i}` })
        expect(changed.status).toBe(200)
        await exportAndWait(cluster.apiUrl, 20, 120_000)
        // Midway, another client exports the same todos: its export succeeds (exportAndWait
        // throws otherwise), and its calendar can be downloaded once it has. Later exports may
        // then make room by deleting it, the calendar used longest ago: that is the bound at work.
        if (i === 4) other = exportAndWait(cluster.apiUrl, 20, 120_000).then(async ({ id }) => (await fetch(`${cluster.apiUrl}/todos/ical/${id}/result`)).status)
      }
      expect(await other!).toBe(200)
    } finally {
      clearInterval(watch)
    }
    most.push(await storedBytes())
    // Eight distinct calendars of 9 MB: the bound was reached, and held.
    expect(Math.max(...most)).toBeLessThanOrEqual(BOUND_MB * 1_048_576)
    expect(Math.max(...most)).toBeGreaterThan((BOUND_MB - 10) * 1_048_576)
    const { rows } = await cluster.pool.query<{ summed: string }>('SELECT coalesce(sum(octet_length(body)), 0) AS summed FROM calendars')
    expect(Number(rows[0]!.summed)).toBe(await storedBytes())
  }, 240_000)
})
