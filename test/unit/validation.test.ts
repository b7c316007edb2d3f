import { describe, expect, it } from '@jest/globals'
import { AppError } from '../../containers/api/src/errors.js'
import { normaliseDateTime, parseCreateTodo, parseTaskId, parseTodoFilter, parseTodoId, parseUpdateTodo } from '../../containers/api/src/validation.js'

function errorOf(fn: () => unknown): AppError {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected an AppError')
}

describe('normaliseDateTime', () => {
  it.each([
    ['2023-04-03T14:00:00', '2023-04-03T14:00:00'],
    ['2023-04-03T14:00', '2023-04-03T14:00:00'],
    ['2023-04-03t14:00:00z', '2023-04-03T14:00:00Z'],
    ['2023-04-03T14:00:00.123456', '2023-04-03T14:00:00'],
    ['2023-04-03T00:00:00+10:00', '2023-04-02T14:00:00Z'],
    ['2023-04-03T23:00:00-0230', '2023-04-04T01:30:00Z'],
    ['2024-02-29T12:00:00', '2024-02-29T12:00:00'],
    ['0001-01-01T00:00:00', '0001-01-01T00:00:00'],
  ])('%s becomes %s', (input, expected) => {
    expect(normaliseDateTime(input)).toBe(expected)
  })

  it.each(['2023-02-29T00:00:00', '2023-13-01T00:00:00', '2023-04-31T10:00:00', '2023-04-03T24:00:00', '2023-04-03T12:60:00', '2023-04-03T12:00:60', '2023-04-03', '03/04/2023 14:00', '2023-04-03T14:00:00+19:00', '0000-01-01T00:00:00', '0001-01-01T00:00:00+01:00', ''])(
    '%s is refused',
    (input) => {
      expect(normaliseDateTime(input)).toBeUndefined()
    },
  )
})

describe('todo bodies', () => {
  it('ignores an id on create and keeps the rest', () => {
    expect(parseCreateTodo({ id: 7, title: 'a', completed: true })).toEqual({ title: 'a', completed: true })
  })

  it('reports every bad field at once, by name', () => {
    const err = errorOf(() => parseCreateTodo({ title: 3, description: 'x'.repeat(121), when: 'now' }))
    expect(err.status).toBe(400)
    expect(err.fields).toEqual({
      title: 'title must be a string',
      description: 'description must be at most 120 characters',
      when: 'when is not a field you can set; use title, description, completed, deadline_at',
    })
  })

  it('requires a title on create but not on update', () => {
    expect(errorOf(() => parseCreateTodo({})).fields).toEqual({ title: 'title is required' })
    expect(parseUpdateTodo({ completed: true })).toEqual({ completed: true })
  })

  it('explains a missing body', () => {
    expect(errorOf(() => parseCreateTodo(undefined)).message).toMatch(/Content-Type: application\/json/)
  })
})

describe('query and path parameters', () => {
  it('parses the filters', () => {
    expect(parseTodoFilter({ completed: 'false', window: '7' })).toEqual({ completed: false, dueWithinDays: 7 })
    expect(parseTodoFilter({})).toEqual({})
  })

  it.each([{ completed: 'TRUE' }, { completed: ['true'] }, { window: '' }, { window: '7days' }, { window: '36501' }])('refuses %j', (query) => {
    expect(errorOf(() => parseTodoFilter(query)).status).toBe(400)
  })

  it('parses todo ids; an id too large to exist is not found rather than an error', () => {
    expect(parseTodoId('42')).toBe(42)
    expect(errorOf(() => parseTodoId('4x')).status).toBe(400)
    expect(errorOf(() => parseTodoId('2147483648')).status).toBe(404)
  })

  it('parses task ids case-insensitively', () => {
    expect(parseTaskId('7F1F2E1C-3B4A-4C5D-8E9F-0A1B2C3D4E5F')).toBe('7f1f2e1c-3b4a-4c5d-8e9f-0a1b2c3d4e5f')
    expect(errorOf(() => parseTaskId('7f1f2e1c3b4a4c5d8e9f0a1b2c3d4e5f')).status).toBe(400)
  })
})
