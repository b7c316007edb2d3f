/**
 * The fuzzer's requests: random and malformed across every endpoint, and plausible ones on real
 * routes. Used by the long run (test/faults/fuzz.test.ts) and the short seeded one in npm test.
 */
import http from 'node:http'
import fc from 'fast-check'

/** The run's seed: FUZZ_SEED to replay a failure (fast-check prints the seed of any). */
export const fuzzSeed = (fallback: number) => Number(process.env.FUZZ_SEED ?? fallback)

/** What every answer must be: no 5xx, and JSON for every API answer but HEAD and a finished result. */
export function acceptable(request: FuzzRequest, answer: { status: number; contentType: string }): boolean {
  if (answer.status >= 500) return false
  if (request.path.startsWith('/api/v1/') && request.method !== 'HEAD' && answer.status !== 200 && answer.status !== 201) return answer.contentType.startsWith('application/json')
  return true
}

export interface FuzzRequest {
  method: string
  path: string
  body?: Buffer
  contentType?: string
  encoding?: string
}

/** Sends exactly what was generated; node:http allows any method and any bytes. */
export function sender(base: URL, agent: http.Agent) {
  return (request: FuzzRequest): Promise<{ status: number; contentType: string }> => new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {}
    if (request.contentType) headers['content-type'] = request.contentType
    if (request.encoding) headers['content-encoding'] = request.encoding
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

/** Text for a URL: encodeURIComponent refuses lone surrogates, so they become U+FFFD there (bodies keep them). */
const pathPart = (text: string) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'))

/** Text of every kind: ASCII, graphemes, any code point, control characters and NULs, lone surrogates. */
const weirdText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 10 }),
  fc.constantFrom('a\u0000b', '\ud800', 'x\udc00y', '\u001b[31m', 'tab\there', 'line\nbreak', '\u0085'),
)
const todoId = fc.oneof(
  fc.integer({ min: -10, max: 3_000_000_000 }).map(String),
  fc.constantFrom('0', '1', '2', '3', 'ical', 'abc', '1.5', '-0', '1e3', '%20', '%00', '..', '%2e%2e', 'null', '9'.repeat(40)),
  fc.uuid(),
  weirdText.map(pathPart),
)
const taskId = fc.oneof(fc.uuid(), fc.constantFrom('00000000-0000-0000-0000-000000000000', 'not-a-uuid', '%7B%7D'), weirdText.map(pathPart))
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
  // A body whose declared encoding it does not have.
  fc.tuple(validTodo, fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'zstd', 'gzip, br')).map(([todo, encoding]) => ({ body: Buffer.from(JSON.stringify(todo)), contentType: 'application/json', encoding })),
  // Very long numbers, deep nesting, duplicate keys.
  fc.integer({ min: 20, max: 600 }).map((digits) => ({ body: Buffer.from(`{"title":"n","completed":${'9'.repeat(digits)},"id":${'1'.repeat(digits)}}`), contentType: 'application/json' })),
  fc.integer({ min: 100, max: 7_000 }).map((depth) => ({ body: Buffer.from(`{"title":${'['.repeat(depth)}${']'.repeat(depth)}}`), contentType: 'application/json' })),
  fc.tuple(weirdText, weirdText).map(([a, b]) => ({ body: Buffer.from(`{"title":${JSON.stringify(a)},"title":${JSON.stringify(b)}}`), contentType: 'application/json' })),
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
export const request = fc.oneof(anyRequest, routeRequest)

