import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createPool, TodoRepository } from '@taskoverflow/shared'
import { migrate } from '../../containers/shared/src/migrations.js'
import type pg from 'pg'
import { startTestDatabase, type TestDatabase } from '../support/database.js'
import { testLogger } from '../support/system.js'

let database: TestDatabase
let pool: pg.Pool
let todos: TodoRepository

beforeAll(async () => {
  database = await startTestDatabase()
  pool = createPool({ url: database.url }, testLogger)
  await migrate(pool, testLogger)
  todos = new TodoRepository(pool)
})
afterAll(async () => {
  await pool?.end()
  await database?.close()
})

describe('the todo list built as JSON by PostgreSQL', () => {
  it('is byte for byte what serialising the rows gives, for awkward text too', async () => {
    expect(await todos.listJson()).toBe('[]')
    const awkward = ['plain', 'quotes " and \\ backslash', 'line\nbreak\ttab\r', 'control \u0001\u001f', 'ünïcødé 日本 📅 \u2028', '</script>']
    for (const [i, title] of awkward.entries()) {
      await todos.create({ title, description: i % 2 ? null : `${title} described`, completed: i % 3 === 0, deadline_at: i % 2 ? null : `2030-0${i + 1}-0${i + 1}T0${i}:30:00` })
    }
    for (const filter of [{}, { completed: true }, { completed: false }, { dueWithinDays: 36_500 }, { dueWithinDays: 0 }]) {
      expect({ filter, json: await todos.listJson(filter) }).toEqual({ filter, json: JSON.stringify(await todos.list(filter)) })
    }
  })
})
