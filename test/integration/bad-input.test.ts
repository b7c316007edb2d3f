import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { httpCall } from '../../scripts/lib/http.js'
import { startTestSystem, type TestSystem } from '../support/system.js'

let system: TestSystem
let api: string

beforeAll(async () => {
  // Behind a load balancer, as deployed: one trusted proxy hop.
  system = await startTestSystem({}, { trustProxy: true })
  api = system.apiUrl
  await httpCall('POST', `${api}/todos`, { title: 'existing', description: 'kept as is', deadline_at: '2030-01-01T00:00:00' })
})
afterAll(async () => {
  await system?.close()
})

async function snapshot(): Promise<string> {
  const todos = await system.pool.query('SELECT * FROM todos ORDER BY id')
  const jobs = await system.pool.query('SELECT id, status, calendar_digest FROM ical_jobs ORDER BY id')
  return JSON.stringify([todos.rows, jobs.rows])
}

type Case = [description: string, method: string, path: string, body?: unknown, headers?: Record<string, string>]

const longText = (n: number) => 'x'.repeat(n)
const cases: Case[] = [
  ['completed is not a boolean', 'GET', '/todos?completed=yes'],
  ['completed given twice', 'GET', '/todos?completed=true&completed=false'],
  ['negative window', 'GET', '/todos?window=-1'],
  ['fractional window', 'GET', '/todos?window=1.5'],
  ['huge window', 'GET', '/todos?window=99999999'],
  ['word for an id', 'GET', '/todos/abc'],
  ['fractional id', 'GET', '/todos/1.5'],
  ['negative id', 'GET', '/todos/-1'],
  ['id beyond int4', 'GET', '/todos/99999999999'],
  ['id zero', 'GET', '/todos/0'],
  ['no body', 'POST', '/todos'],
  ['body sent as text/plain', 'POST', '/todos', '{"title":"sneaky"}', { 'content-type': 'text/plain' }],
  ['malformed JSON', 'POST', '/todos', '{"title": "x",', { 'content-type': 'application/json' }],
  ['JSON array', 'POST', '/todos', [{ title: 'x' }]],
  ['JSON string', 'POST', '/todos', '"title"', { 'content-type': 'application/json' }],
  ['JSON null', 'POST', '/todos', 'null', { 'content-type': 'application/json' }],
  ['empty object', 'POST', '/todos', {}],
  ['empty title', 'POST', '/todos', { title: '' }],
  ['blank title', 'POST', '/todos', { title: '   ' }],
  ['numeric title', 'POST', '/todos', { title: 5 }],
  ['object title', 'POST', '/todos', { title: { text: 'x' } }],
  ['title of 81 characters', 'POST', '/todos', { title: longText(81) }],
  ['description of 121 characters', 'POST', '/todos', { title: 'ok', description: longText(121) }],
  ['numeric description', 'POST', '/todos', { title: 'ok', description: 5 }],
  ['completed as a string', 'POST', '/todos', { title: 'ok', completed: 'yes' }],
  ['deadline in words', 'POST', '/todos', { title: 'ok', deadline_at: 'tomorrow' }],
  ['deadline on 30 February', 'POST', '/todos', { title: 'ok', deadline_at: '2023-02-30T00:00:00' }],
  ['deadline without a time', 'POST', '/todos', { title: 'ok', deadline_at: '2023-04-03' }],
  ['deadline at hour 25', 'POST', '/todos', { title: 'ok', deadline_at: '2023-04-03T25:00:00' }],
  ['deadline as a number', 'POST', '/todos', { title: 'ok', deadline_at: 1680530400 }],
  ['unknown key', 'POST', '/todos', { title: 'ok', priority: 'high' }],
  ['created_at set by the client', 'POST', '/todos', { title: 'ok', created_at: '2020-01-01T00:00:00' }],
  ['oversized body', 'POST', '/todos', { title: 'ok', description: longText(20_000) }],
  ['unknown key on update', 'PUT', '/todos/1', { colour: 'red' }],
  ['changing the id', 'PUT', '/todos/1', { id: 2 }],
  ['empty title on update', 'PUT', '/todos/1', { title: '' }],
  ['null completed on update', 'PUT', '/todos/1', { completed: null }],
  ['null title on update', 'PUT', '/todos/1', { title: null }],
  ['malformed JSON on update', 'PUT', '/todos/1', '{', { 'content-type': 'application/json' }],
  ['update of a missing todo', 'PUT', '/todos/424242', { title: 'ghost' }],
  ['update with a bad id', 'PUT', '/todos/one', { title: 'x' }],
  ['oversized update', 'PUT', '/todos/1', { description: longText(20_000) }],
  ['delete with a bad id', 'DELETE', '/todos/%20'],
  ['gzip declared, plain JSON sent', 'POST', '/todos', '{"title":"x"}', { 'content-type': 'application/json', 'content-encoding': 'gzip' }],
  ['deflate declared, plain JSON sent', 'POST', '/todos', '{"title":"x"}', { 'content-type': 'application/json', 'content-encoding': 'deflate' }],
  ['br declared, plain JSON sent', 'POST', '/todos', '{"title":"x"}', { 'content-type': 'application/json', 'content-encoding': 'br' }],
  ['an unknown content encoding', 'POST', '/todos', '{"title":"x"}', { 'content-type': 'application/json', 'content-encoding': 'zstd2' }],
  ['a NUL in the title', 'POST', '/todos', { title: 'a\u0000b' }],
  ['a NUL in the description', 'POST', '/todos', { title: 'ok', description: 'a\u0000b' }],
  ['a NUL in an updated title', 'PUT', '/todos/1', { title: 'a\u0000b' }],
  ['a bell character in the title', 'POST', '/todos', { title: 'ring\u0007' }],
  ['an escape sequence in the title', 'POST', '/todos', { title: '\u001b[31mred' }],
  ['a lone surrogate in the title', 'POST', '/todos', '{"title":"a\\ud800b"}', { 'content-type': 'application/json' }],
  ['a lone surrogate in the description', 'POST', '/todos', '{"title":"ok","description":"\\udc00"}', { 'content-type': 'application/json' }],
  ['a 400-digit number for completed', 'POST', '/todos', `{"title":"ok","completed":${'9'.repeat(400)}}`, { 'content-type': 'application/json' }],
  ['a 400-digit window', 'GET', `/todos?window=${'9'.repeat(400)}`],
  ['an id of 400 digits', 'GET', `/todos/${'9'.repeat(400)}`],
  ['deeply nested JSON', 'POST', '/todos', `${'['.repeat(5_000)}${']'.repeat(5_000)}`, { 'content-type': 'application/json' }],
  ['deeply nested title', 'POST', '/todos', `{"title":${'{"a":'.repeat(2_000)}1${'}'.repeat(2_000)}}`, { 'content-type': 'application/json' }],
  ['a NUL in the query', 'GET', '/todos?completed=tr%00ue'],
  ['a NUL in the id', 'GET', '/todos/1%00'],
  ['export with a field', 'POST', '/todos/ical', { format: 'csv' }],
  ['export with an array body', 'POST', '/todos/ical', []],
  ['export with malformed JSON', 'POST', '/todos/ical', '{"', { 'content-type': 'application/json' }],
  ['export with an oversized body', 'POST', '/todos/ical', { pad: longText(20_000) }],
  ['status of a malformed task id', 'GET', '/todos/ical/1234/status'],
  ['result of a malformed task id', 'GET', '/todos/ical/zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz/result'],
  ['status of an unknown task', 'GET', '/todos/ical/7f1f2e1c-3b4a-4c5d-8e9f-0a1b2c3d4e5f/status'],
  ['result of an unknown task', 'GET', '/todos/ical/7f1f2e1c-3b4a-4c5d-8e9f-0a1b2c3d4e5f/result'],
  ['GET on the export endpoint', 'GET', '/todos/ical'],
  ['PATCH on a todo', 'PATCH', '/todos/1', { title: 'x' }],
  ['DELETE on the collection', 'DELETE', '/todos'],
  ['unknown route', 'GET', '/todo'],
  ['unknown route outside the API', 'GET', '/api/v2/todos'],
]

describe('bad input on every endpoint', () => {
  it.each(cases)('%s (%s %s): a 4xx JSON error, nothing changed', async (...[, method, path, body, headers]: Case) => {
    const before = await snapshot()
    const { status, json, headers: responseHeaders } = await httpCall(method, `${api}${path}`, body, headers)
    expect(status).toBeGreaterThanOrEqual(400)
    expect(status).toBeLessThan(500)
    expect(responseHeaders.get('content-type')).toMatch(/^application\/json/)
    expect(typeof json?.error).toBe('string')
    expect(json.error.length).toBeGreaterThan(5)
    expect(await snapshot()).toBe(before)
  })

  it.each([
    ['GET', '/todos/0', undefined, undefined, 400, 'Todo id must be a positive whole number, not 0'],
    ['POST', '/todos', 'null', { 'content-type': 'application/json' }, 400, 'The request body must be a JSON object'],
    ['POST', '/todos', '"a title"', { 'content-type': 'application/json' }, 400, 'The request body must be a JSON object'],
    ['POST', '/todos', '', { 'content-type': 'application/json' }, 400, 'title is required'],
    ['POST', '/todos', '{"title":"x"}', { 'content-type': 'text/plain' }, 400, 'The request body must be a JSON object, sent with Content-Type: application/json'],
    ['POST', '/todos', '{"title":"x"}', { 'content-type': 'application/json; charset=latin1' }, 415, 'The request body must be UTF-8 JSON'],
  ] as const)('%s %s with %j: %i and a message that says what to change', async (method, path, body, headers, status, error) => {
    const answer = await httpCall(method, `${api}${path}`, body, headers)
    expect({ status: answer.status, error: answer.json?.error }).toEqual({ status, error })
  })

  it('tells a POST with the JSON header and no body at all (curl -X POST without -d) that the body is empty', async () => {
    // Written by hand: any HTTP client library adds a Content-Length or a chunked body.
    const { hostname, port, pathname } = new URL(`${api}/todos`)
    const raw = await new Promise<string>((resolve, reject) => {
      let text = ''
      const socket = connect(Number(port), hostname, () => socket.end(`POST ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n`))
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()))
      socket.on('end', () => resolve(text))
      socket.on('error', reject)
    })
    const status = Number(raw.split(' ')[1])
    const body = raw.slice(raw.indexOf('\r\n\r\n') + 4)
    expect({ status, body: JSON.parse(body) }).toEqual({ status: 400, body: { error: 'The request body is empty; send a JSON object' } })
  })

  it("keeps a client's X-Forwarded-Host out of task_url, and takes the protocol from the one trusted hop", async () => {
    const { status, json } = await httpCall('POST', `${api}/todos/ical`, undefined, { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', 'x-forwarded-for': '6.6.6.6, 10.0.0.1' })
    expect(status).toBe(202)
    expect(json.task_url).toBe(`${api.replace('http:', 'https:')}/todos/ical/${json.task_id}/status`)
  })

  it('names the offending field so a form can show the message beside it', async () => {
    const { json } = await httpCall('POST', `${api}/todos`, { title: '', deadline_at: 'soon', tags: [] })
    expect(Object.keys(json.fields).sort()).toEqual(['deadline_at', 'tags', 'title'])
    expect(json.fields.title).toBe('title must not be empty')
  })

  it('answers an oversized body with 413 and a JSON body too large message', async () => {
    const { status, json } = await httpCall('POST', `${api}/todos`, { title: longText(20_000) })
    expect(status).toBe(413)
    expect(json.error).toMatch(/larger than the 16 KB limit/)
  })

  it('answers a wrong method with 405 and an Allow header', async () => {
    const { status, headers } = await httpCall('DELETE', `${api}/todos`)
    expect(status).toBe(405)
    expect(headers.get('allow')).toBe('GET, POST')
  })
})
