import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { RateLimitRepository } from '@taskoverflow/shared'
import { httpCall } from '../../scripts/lib/http.js'
import { startTestSystem, type TestSystem } from '../support/system.js'

let system: TestSystem

beforeAll(async () => {
  // Behind the load balancer: one trusted hop names the client.
  system = await startTestSystem({}, { trustProxy: true, exportsPerMinute: 3, todoWritesPerMinute: 4 })
})
afterAll(async () => {
  await system?.close()
})

const exportFrom = (client: string) => httpCall('POST', `${system.apiUrl}/todos/ical`, undefined, { 'x-forwarded-for': client })
const jobs = async () => Number((await system.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ical_jobs')).rows[0]!.n)

describe('the export rate limit', () => {
  it('answers 429 JSON with Retry-After past the limit, records nothing for it, and counts each client apart', async () => {
    const first = [await exportFrom('203.0.113.7'), await exportFrom('203.0.113.7'), await exportFrom('203.0.113.7')]
    expect(first.map((answer) => answer.status)).toEqual([202, 202, 202])
    const refused = await exportFrom('203.0.113.7')
    expect({ status: refused.status, error: refused.json.error, retryAfter: refused.headers.get('retry-after') }).toEqual({
      status: 429,
      error: 'Too many exports: at most 3 a minute from one client; try again shortly',
      // The seconds left of the client's minute, which began with its first request moments ago.
      retryAfter: expect.stringMatching(/^(5\d|60)$/),
    })
    // Later in the client's minute, the wait is what is left of it.
    await system.pool.query("UPDATE rate_limit_hits SET resets_at = now() + interval '20 seconds' WHERE key LIKE '%203.0.113.7'")
    expect((await exportFrom('203.0.113.7')).headers.get('retry-after')).toMatch(/^(1\d|20)$/)
    expect((await exportFrom('198.51.100.9')).status).toBe(202)
    expect(await jobs()).toBe(4)
    // Reading todos is not limited.
    expect((await httpCall('GET', `${system.apiUrl}/todos`, undefined, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(200)
  })

  it('limits creating, changing and deleting todos by one client as exports are, leaving reads and other clients alone', async () => {
    const from = (client: string) => ({ 'x-forwarded-for': client })
    const created = await httpCall('POST', `${system.apiUrl}/todos`, { title: 'one' }, from('203.0.113.8'))
    const writes = [
      created,
      await httpCall('PUT', `${system.apiUrl}/todos/${created.json.id}`, { title: 'two' }, from('203.0.113.8')),
      await httpCall('POST', `${system.apiUrl}/todos`, { title: 'three' }, from('203.0.113.8')),
      await httpCall('DELETE', `${system.apiUrl}/todos/${created.json.id}`, undefined, from('203.0.113.8')),
    ]
    expect(writes.map((answer) => answer.status)).toEqual([201, 200, 201, 200])
    const refused = await httpCall('PUT', `${system.apiUrl}/todos/1`, { title: 'five' }, from('203.0.113.8'))
    expect({ status: refused.status, error: refused.json.error, retryAfter: refused.headers.get('retry-after') }).toEqual({
      status: 429,
      error: 'Too many changes to todos: at most 4 a minute from one client; try again shortly',
      // The seconds left of the client's minute, which began with its first request moments ago.
      retryAfter: expect.stringMatching(/^(5\d|60)$/),
    })
    expect((await httpCall('GET', `${system.apiUrl}/todos`, undefined, from('203.0.113.8'))).status).toBe(200)
    expect((await httpCall('POST', `${system.apiUrl}/todos`, { title: 'elsewhere' }, from('198.51.100.10'))).status).toBe(201)
    const { rows } = await system.pool.query<{ key: string; hits: number }>("SELECT key, hits FROM rate_limit_hits WHERE key LIKE 'todo-writes:%' ORDER BY key")
    expect(rows).toEqual([
      { key: 'todo-writes:198.51.100.10', hits: 1 },
      { key: 'todo-writes:203.0.113.8', hits: 5 },
    ])
  })

  it('counts in the database: a window starts anew once it ends, and ended windows are tidied as hits come', async () => {
    const limits = new RateLimitRepository(system.pool)
    expect((await limits.hit('test:a', 60_000)).hits).toBe(1)
    expect((await limits.hit('test:a', 60_000)).hits).toBe(2)
    await system.pool.query("UPDATE rate_limit_hits SET resets_at = now() - interval '1 second' WHERE key = 'test:a'")
    const fresh = await limits.hit('test:a', 60_000)
    expect(fresh.hits).toBe(1)
    expect(fresh.resetsAt.getTime()).toBeGreaterThan(Date.now() + 30_000)

    await system.pool.query("INSERT INTO rate_limit_hits (key, hits, resets_at) SELECT 'test:ended-' || i, 1, now() - interval '1 minute' FROM generate_series(1, 5) AS i")
    for (let i = 0; i < 3; i++) await limits.hit('test:b', 60_000)
    const { rows } = await system.pool.query("SELECT key, hits FROM rate_limit_hits WHERE key LIKE 'test:%' ORDER BY key")
    expect(rows).toEqual([
      { key: 'test:a', hits: 1 },
      { key: 'test:b', hits: 3 },
    ])
  })
})
