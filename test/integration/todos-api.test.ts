import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { MAX_TODOS } from '@taskoverflow/shared'
import { httpCall } from '../../scripts/lib/http.js'
import { startTestSystem, type TestSystem } from '../support/system.js'

let system: TestSystem
let api: string

beforeAll(async () => {
  system = await startTestSystem()
  api = system.apiUrl
})
afterAll(async () => {
  await system?.close()
})
beforeEach(async () => {
  await system.pool.query('TRUNCATE todos RESTART IDENTITY')
})

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/

/** A naive UTC date-time `days` from now, as the API writes them. */
function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 19)
}

describe('todos', () => {
  it('health answers ok', async () => {
    const { status, json } = await httpCall('GET', `${api}/health`)
    expect(status).toBe(200)
    expect(json).toEqual({ status: 'ok' })
  })

  it('creates a todo with server-set fields and defaults', async () => {
    const { status, json } = await httpCall('POST', `${api}/todos`, { title: 'Write the report', id: 999 })
    expect(status).toBe(201)
    expect(json).toMatchObject({ id: 1, title: 'Write the report', description: null, completed: false, deadline_at: null })
    expect(json.created_at).toMatch(ISO)
    expect(json.updated_at).toBe(json.created_at)
    expect((await httpCall('GET', `${api}/todos/1`)).json).toEqual(json)
  })

  it('lists todos, filtered by completion and by a deadline window', async () => {
    await httpCall('POST', `${api}/todos`, { title: 'due soon', deadline_at: inDays(2) })
    await httpCall('POST', `${api}/todos`, { title: 'due later', deadline_at: inDays(20) })
    await httpCall('POST', `${api}/todos`, { title: 'overdue', deadline_at: inDays(-1), completed: true })
    await httpCall('POST', `${api}/todos`, { title: 'undated' })

    const all = await httpCall('GET', `${api}/todos`)
    expect(all.json.map((t: { title: string }) => t.title)).toEqual(['due soon', 'due later', 'overdue', 'undated'])
    const done = await httpCall('GET', `${api}/todos?completed=true`)
    expect(done.json.map((t: { title: string }) => t.title)).toEqual(['overdue'])
    const open = await httpCall('GET', `${api}/todos?completed=false`)
    expect(open.json).toHaveLength(3)
    const week = await httpCall('GET', `${api}/todos?window=7`)
    expect(week.json.map((t: { title: string }) => t.title)).toEqual(['due soon', 'overdue'])
    const both = await httpCall('GET', `${api}/todos?window=30&completed=false`)
    expect(both.json.map((t: { title: string }) => t.title)).toEqual(['due soon', 'due later'])
  })

  it("returns, for ?window=N, every todo due within N days, overdue ones included, in id order (the course's test)", async () => {
    const created = []
    for (const [title, deadline_at] of [['old 1', '2023-02-27T00:00:00'], ['old 2', '2023-03-01T12:30:00'], ['in 4 days', inDays(4)], ['in 10 days', inDays(10)], ['no deadline', null]] as const) {
      created.push((await httpCall('POST', `${api}/todos`, { title, deadline_at })).json as { id: number; title: string })
    }
    const window = await httpCall('GET', `${api}/todos?window=5`)
    expect(window.status).toBe(200)
    expect(window.json.map((t: { id: number }) => t.id)).toEqual(created.slice(0, 3).map((t) => t.id))
  })

  it("answers DELETE of an id that does not exist with 200 and {} (the course's test)", async () => {
    const { status, json } = await httpCall('DELETE', `${api}/todos/987654`)
    expect({ status, json }).toEqual({ status: 200, json: {} })
  })

  it('updates only the fields sent and moves updated_at', async () => {
    const { json: todo } = await httpCall('POST', `${api}/todos`, { title: 'Draft', description: 'first pass', deadline_at: '2030-01-02T03:04:05' })
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    const { status, json } = await httpCall('PUT', `${api}/todos/${todo.id}`, { completed: true, id: todo.id })
    expect(status).toBe(200)
    expect(json).toMatchObject({ id: todo.id, title: 'Draft', description: 'first pass', completed: true, deadline_at: '2030-01-02T03:04:05' })
    expect(json.created_at).toBe(todo.created_at)
    expect(json.updated_at > todo.updated_at).toBe(true)

    const cleared = await httpCall('PUT', `${api}/todos/${todo.id}`, { description: null, deadline_at: null })
    expect(cleared.json).toMatchObject({ description: null, deadline_at: null, completed: true })
  })

  it('deletes a todo and returns it; then it is gone', async () => {
    const { json: todo } = await httpCall('POST', `${api}/todos`, { title: 'Temporary' })
    const deleted = await httpCall('DELETE', `${api}/todos/${todo.id}`)
    expect(deleted.status).toBe(200)
    expect(deleted.json).toEqual(todo)
    expect((await httpCall('GET', `${api}/todos/${todo.id}`)).status).toBe(404)
    expect(await httpCall('DELETE', `${api}/todos/${todo.id}`)).toMatchObject({ status: 200, json: {} })
  })

  it('refuses a todo past the maximum with 409, keeping exactly the maximum under concurrent POSTs', async () => {
    await system.pool.query("INSERT INTO todos (title) SELECT 'seeded ' || i FROM generate_series(1, $1) AS i", [MAX_TODOS - 2])
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => httpCall('POST', `${api}/todos`, { title: `one of eight at once, ${i}` })))
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 201, 409, 409, 409, 409, 409, 409])
    const refused = answers.find((answer) => answer.status === 409)!
    expect(refused.json.error).toBe(`There are already ${MAX_TODOS.toLocaleString('en')} todos, the most TaskOverflow keeps; delete some before adding more`)
    expect((await system.pool.query('SELECT count(*)::int AS n FROM todos')).rows[0].n).toBe(MAX_TODOS)
    // Room again once one goes.
    await httpCall('DELETE', `${api}/todos/1`)
    expect((await httpCall('POST', `${api}/todos`, { title: 'after a delete' })).status).toBe(201)
  })

  it('keeps titles of exactly 80 characters, counting characters rather than bytes', async () => {
    const title = '📅'.repeat(80)
    const { status, json } = await httpCall('POST', `${api}/todos`, { title, description: 'é'.repeat(120) })
    expect(status).toBe(201)
    expect(json.title).toBe(title)
  })

  it('normalises date-times: fractions dropped, an offset making an instant in UTC, a space accepted for T', async () => {
    const cases: Array<[string, string]> = [
      ['2023-04-03T14:00', '2023-04-03T14:00:00'],
      ['2023-04-03T14:00:00.999', '2023-04-03T14:00:00'],
      ['2023-04-03T14:00:00Z', '2023-04-03T14:00:00Z'],
      ['2023-04-03T00:30:00+01:00', '2023-04-02T23:30:00Z'],
      ['2023-04-03 14:00:00', '2023-04-03T14:00:00'],
    ]
    for (const [given, stored] of cases) {
      const { json } = await httpCall('POST', `${api}/todos`, { title: given, deadline_at: given })
      expect({ given, stored: json.deadline_at }).toEqual({ given, stored })
    }
  })
})
