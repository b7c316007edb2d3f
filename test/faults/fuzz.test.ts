import http from 'node:http'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCluster, type Cluster } from '../../scripts/lib/cluster.js'
import { countByStatus, seedTodos } from './helpers.js'
import { eventually } from '../support/eventually.js'

const RUNS = 10_000
let cluster: Cluster
let base: URL
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 })

beforeAll(async () => {
  cluster = await startCluster({ env: { RETRY_BASE_SECONDS: '0' } })
  base = new URL(cluster.apiUrl)
  await seedTodos(cluster.pool, 20)
  await cluster.startWorker()
})
afterAll(async () => {
  agent.destroy()
  await cluster?.close()
})

interface FuzzRequest {
  method: string
  path: string
  body?: Buffer
  contentType?: string
}

/** Sends exactly what was generated; node:http allows any method and any bytes. */
function send(request: FuzzRequest): Promise<{ status: number; contentType: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {}
    if (request.contentType) headers['content-type'] = request.contentType
    if (request.body) headers['content-length'] = request.body.length
    const req = http.request({ host: base.hostname, port: base.port, method: request.method, path: request.path, headers, agent, timeout: 10_000 }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? '') }))
    })
    req.on('timeout', () => req.destroy(new Error(`no answer within 10 s to ${request.method} ${request.path}`)))
    req.on('error', reject)
    req.end(request.body)
  })
}

const weirdText = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }))
const todoId = fc.oneof(
  fc.integer({ min: -10, max: 3_000_000_000 }).map(String),
  fc.constantFrom('0', '1', '2', '3', 'ical', 'abc', '1.5', '-0', '1e3', '%20', '%00', '..', '%2e%2e', 'null', '9'.repeat(40)),
  fc.uuid(),
  weirdText.map(encodeURIComponent),
)
const taskId = fc.oneof(fc.uuid(), fc.constantFrom('00000000-0000-0000-0000-000000000000', 'not-a-uuid', '%7B%7D'), weirdText.map(encodeURIComponent))
const apiPath = fc.oneof(
  fc.constantFrom('/health', '/todos', '/todos/ical', '/todos/ical/', '/todos//', '/'),
  todoId.map((id) => `/todos/${id}`),
  fc.tuple(taskId, fc.constantFrom('status', 'result', 'other', '')).map(([id, what]) => `/todos/ical/${id}/${what}`),
  fc.webPath().map((path) => `/todos${path}`),
)
const query = fc.option(
  fc.dictionary(fc.constantFrom('completed', 'window', 'window[]', 'completed[a]', 'x', '__proto__'), fc.oneof(fc.constantFrom('true', 'false', 'TRUE', '1', '-1', '7', '36500', '99999999'), weirdText), { maxKeys: 3 }),
  { nil: undefined },
).map((q) => (q ? `?${new URLSearchParams(q).toString()}` : ''))
const todoish = fc.record(
  {
    title: fc.oneof(weirdText, fc.string({ minLength: 70, maxLength: 100 }), fc.integer(), fc.constant(null), fc.jsonValue()),
    description: fc.oneof(weirdText, fc.string({ minLength: 110, maxLength: 130 }), fc.constant(null), fc.integer()),
    completed: fc.oneof(fc.boolean(), weirdText, fc.constant(null)),
    deadline_at: fc.oneof(fc.date({ noInvalidDate: true, min: new Date('0001-01-01'), max: new Date('9999-12-31') }).map((d) => d.toISOString()), weirdText, fc.constant(null), fc.integer()),
    id: fc.oneof(fc.integer(), weirdText),
    extra: fc.jsonValue(),
  },
  { requiredKeys: [] },
)
/** Well-formed todos too, so the run also creates and changes data the checks can then inspect. */
const validTodo = fc.record(
  {
    title: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }).filter((t) => t.trim() !== '' && [...t].length <= 80),
    description: fc.option(fc.string({ unit: 'grapheme', maxLength: 120 }).filter((d) => [...d].length <= 120), { nil: null }),
    completed: fc.boolean(),
    deadline_at: fc.option(fc.date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2099-12-31') }).map((d) => d.toISOString().slice(0, 19)), { nil: null }),
  },
  { requiredKeys: ['title'] },
)
const body = fc.oneof(
  fc.constant(undefined),
  validTodo.map((value) => ({ body: Buffer.from(JSON.stringify(value)), contentType: 'application/json' })),
  fc.oneof(todoish, fc.jsonValue()).map((value) => ({ body: Buffer.from(JSON.stringify(value) ?? 'null'), contentType: 'application/json' })),
  weirdText.map((text) => ({ body: Buffer.from(text), contentType: 'application/json' })),
  fc.tuple(weirdText, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'multipart/form-data', '')).map(([text, contentType]) => ({ body: Buffer.from(text), contentType })),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ body: Buffer.from(bytes), contentType: 'application/json' })),
  fc.integer({ min: 16_000, max: 40_000 }).map((size) => ({ body: Buffer.from(JSON.stringify({ title: 'x'.repeat(size) })), contentType: 'application/json' })),
)
const anyRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
    prefix: fc.constantFrom('/api/v1', '/api/v1', '/api/v1', '/api', ''),
    path: apiPath,
    query,
    body,
  })
  .map(({ method, prefix, path, query: q, body: b }) => ({ method, path: `${prefix}${path}${q}`, ...(b ?? {}) }))

/** The right method on a real route (seeded todos have ids 1 to 20), with plausible or broken bodies. */
const json = (value: unknown) => ({ body: Buffer.from(JSON.stringify(value)), contentType: 'application/json' })
const existingId = fc.integer({ min: 1, max: 25 })
const routeRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  query.map((q) => ({ method: 'GET', path: `/api/v1/todos${q}` })),
  fc.oneof(validTodo, todoish).map((todo) => ({ method: 'POST', path: '/api/v1/todos', ...json(todo) })),
  existingId.map((id) => ({ method: 'GET', path: `/api/v1/todos/${id}` })),
  fc.tuple(existingId, fc.oneof(validTodo, todoish, fc.record({ completed: fc.boolean() }))).map(([id, todo]) => ({ method: 'PUT', path: `/api/v1/todos/${id}`, ...json(todo) })),
  existingId.map((id) => ({ method: 'DELETE', path: `/api/v1/todos/${id}` })),
  fc.constant({ method: 'POST', path: '/api/v1/todos/ical' }),
)
const request = fc.oneof(anyRequest, routeRequest)

describe('a fuzzer sending 10,000 random and malformed requests across every endpoint', () => {
  it('never gets a 5xx, the server stays up, and the database stays consistent', async () => {
    const apiPid = cluster.api().child.pid
    const statuses = new Map<number, number>()
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const { status, contentType } = await send(req)
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
        if (status >= 500) return false
        // Every API answer is JSON, but for HEAD (no body) and a finished calendar.
        if (req.path.startsWith('/api/v1/') && req.method !== 'HEAD' && status !== 200 && status !== 201) return contentType.startsWith('application/json')
        return true
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
    )
    console.info(`fuzz: ${RUNS} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`)

    expect(cluster.api().child.exitCode).toBeNull()
    expect(cluster.api().child.pid).toBe(apiPid)
    expect((await fetch(`${cluster.apiUrl}/health`)).status).toBe(200)

    const { rows } = await cluster.pool.query(`
      SELECT count(*)::int AS broken FROM todos
      WHERE btrim(title) = '' OR char_length(title) > 80 OR char_length(description) > 120 OR updated_at < created_at`)
    expect(rows[0].broken).toBe(0)
    // Every export the fuzzer managed to start finishes: none is stranded.
    await eventually('every export job to finish', async () => {
      const counts = await countByStatus(cluster.pool)
      return !counts.PENDING && !counts.STARTED ? counts : undefined
    }, 60_000, 250)
    const { rows: stray } = await cluster.pool.query("SELECT count(*)::int AS n FROM ical_jobs WHERE (status = 'SUCCESS') <> (calendar IS NOT NULL) OR status = 'FAILURE'")
    expect(stray[0].n).toBe(0)
  })
})
