import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { call, startTestSystem, type TestSystem } from '../support/system.js'

let system: TestSystem

beforeAll(async () => {
  // Behind the load balancer: one trusted hop names the client.
  system = await startTestSystem({}, { trustProxy: true, exportsPerMinute: 3 })
})
afterAll(async () => {
  await system?.close()
})

const exportFrom = (client: string) => call('POST', `${system.apiUrl}/todos/ical`, undefined, { 'x-forwarded-for': client })
const jobs = async () => Number((await system.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ical_jobs')).rows[0]!.n)

describe('the export rate limit', () => {
  it('answers 429 JSON with Retry-After past the limit, records nothing for it, and counts each client apart', async () => {
    const first = [await exportFrom('203.0.113.7'), await exportFrom('203.0.113.7'), await exportFrom('203.0.113.7')]
    expect(first.map((answer) => answer.status)).toEqual([202, 202, 202])
    const refused = await exportFrom('203.0.113.7')
    expect({ status: refused.status, error: refused.json.error, retryAfter: refused.headers.get('retry-after') }).toEqual({
      status: 429,
      error: 'Too many exports: at most 3 a minute from one client; try again shortly',
      retryAfter: '60',
    })
    expect((await exportFrom('198.51.100.9')).status).toBe(202)
    expect(await jobs()).toBe(4)
    // Reading todos is not limited.
    expect((await call('GET', `${system.apiUrl}/todos`, undefined, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(200)
  })
})
