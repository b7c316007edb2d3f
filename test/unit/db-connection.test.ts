import { describe, expect, it } from '@jest/globals'
import { parse } from 'pg-connection-string'
import { connectionString, isDatabaseUnavailable } from '@taskoverflow/shared'

describe('database connection string', () => {
  it.each(['plain', 'p@ss:w/rd', '100%#?&=+ é', ' leading space', '%41'])('carries the password %j to pg exactly', (password) => {
    const url = connectionString({ url: 'postgresql://taskoverflow@db.example:5432/todo?sslmode=no-verify', password })
    const parsed = parse(url)
    expect(parsed.password).toBe(password)
    expect(parsed).toMatchObject({ user: 'taskoverflow', host: 'db.example', database: 'todo', ssl: { rejectUnauthorized: false } })
  })

  it('leaves a URL without a separate password alone', () => {
    expect(connectionString({ url: 'postgres://u:secret@h/db' })).toBe('postgres://u:secret@h/db')
  })
})

describe('isDatabaseUnavailable', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code })

  it.each([withCode('ECONNREFUSED'), withCode('57P01'), withCode('08006'), new Error('timeout exceeded when trying to connect'), new Error('Connection terminated unexpectedly')])(
    'recognises %s as an outage',
    (err) => expect(isDatabaseUnavailable(err)).toBe(true),
  )

  it.each([withCode('23505', 'duplicate key'), withCode('42P01', 'relation does not exist'), new Error('boom'), 'not an error'])('does not call %s an outage', (err) => {
    expect(isDatabaseUnavailable(err)).toBe(false)
  })
})
