import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it, jest } from '@jest/globals'
import { errorHandler } from '../../containers/api/src/errors.js'
import { classifyDatabaseError, createLogger, ConfigError, databaseFrom, isDatabaseInaccessible, readServiceEnv } from '@taskoverflow/shared'
import { isAuthenticationFailure, isDatabaseUnavailable, PasswordUnavailableError, poolOptions } from '../../containers/shared/src/db.js'
import { cachedPassword, filePassword, secretsManagerPassword, type SecretsReader } from '../../containers/shared/src/password.js'
import { testFolder } from '../support/test-folder.js'

const URL_WITHOUT_PASSWORD = 'postgresql://taskoverflow@db.example:5432/todo?sslmode=no-verify'

describe('the options pg is given', () => {
  it.each(['plain', 'p@ss:w/rd', '100%#?&=+ é', ' leading space', '%41'])('carries the password %j to pg exactly', async (password) => {
    const options = poolOptions({ url: URL_WITHOUT_PASSWORD, password })
    expect(options.connectionString).toBeUndefined()
    expect(await (options.password as () => Promise<string>)()).toBe(password)
    expect(options).toMatchObject({ user: 'taskoverflow', host: 'db.example', port: 5432, database: 'todo', ssl: { rejectUnauthorized: false } })
  })

  it('takes a password written in the URL when none is given apart', () => {
    expect(poolOptions({ url: 'postgres://u:secret@h/db' })).toMatchObject({ user: 'u', password: 'secret', host: 'h', database: 'db' })
  })

  it('verifies an RDS endpoint against the RDS certificate authorities, and only an RDS endpoint', () => {
    const rds = poolOptions({ url: 'postgresql://taskoverflow@taskoverflow-database.c0abc.us-east-1.rds.amazonaws.com:5432/todo?sslmode=verify-full', password: 'p' })
    const ssl = rds.ssl as { ca?: string[]; rejectUnauthorized?: boolean }
    expect(ssl.rejectUnauthorized).not.toBe(false)
    expect(ssl.ca?.length).toBeGreaterThan(10)
    expect(ssl.ca?.every((pem) => pem.startsWith('-----BEGIN CERTIFICATE-----'))).toBe(true)
    expect((poolOptions({ url: 'postgresql://u@db.example:5432/todo?sslmode=verify-full' }).ssl as { ca?: unknown }).ca).toBeUndefined()
    expect(poolOptions({ url: 'postgresql://u@x.rds.amazonaws.com:5432/todo?sslmode=no-verify' }).ssl).toEqual({ rejectUnauthorized: false })
    expect(poolOptions({ url: 'postgres://postgres@127.0.0.1:5432/postgres' }).ssl).toBeUndefined()
  })
})

describe('where the password comes from', () => {
  const dir = testFolder('taskoverflow-password-')
  afterAll(() => dir.remove())

  it('reads once, shares that read, and reads again only after the server refused it', async () => {
    let reads = 0
    const source = cachedPassword(async () => `password-${++reads}`)
    expect(await Promise.all([source.get(), source.get()])).toEqual(['password-1', 'password-1'])
    expect(source.refresh()).toBe(true)
    expect(await source.get()).toBe('password-2')
    expect(reads).toBe(2)
  })

  it('tries again after a read that failed', async () => {
    let reads = 0
    const source = cachedPassword(async () => {
      if (++reads === 1) throw new Error('throttled')
      return 'secret'
    })
    await expect(source.get()).rejects.toThrow('throttled')
    expect(await source.get()).toBe('secret')
  })

  it('reads a file, without its trailing newline, and follows a new one', async () => {
    const file = join(dir.path, 'password')
    writeFileSync(file, 'first\n')
    const source = filePassword(file)
    expect(await source.get()).toBe('first')
    writeFileSync(file, 'second\n')
    expect(await source.get()).toBe('first')
    source.refresh()
    expect(await source.get()).toBe('second')
  })

  it("takes the password from RDS's JSON secret in Secrets Manager, by ARN", async () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1234-AbCdEf'
    const send = jest.fn(async (command: { input: { SecretId?: string } }) => ({ SecretString: JSON.stringify({ username: 'taskoverflow', password: `p@ss for ${command.input.SecretId}` }) }))
    const source = secretsManagerPassword(arn, { send } as unknown as SecretsReader)
    expect(await source.get()).toBe(`p@ss for ${arn}`)
    expect(send).toHaveBeenCalledTimes(1)
  })

  it('takes a plain-text secret as it is, and refuses JSON without a password', async () => {
    const reader = (SecretString: string) => ({ send: async () => ({ SecretString }) }) as unknown as SecretsReader
    expect(await secretsManagerPassword('arn', reader('just-the-password')).get()).toBe('just-the-password')
    await expect(secretsManagerPassword('arn', reader('{"username":"u"}')).get()).rejects.toThrow('JSON without a "password" string')
  })

  it('takes the password one way only', () => {
    const env = { DATABASE_URL: URL_WITHOUT_PASSWORD, ICAL_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/ical' }
    expect(() => readServiceEnv('worker', { ...env, DATABASE_PASSWORD: 'x', DATABASE_PASSWORD_FILE: '/run/secrets/db' })).toThrow(ConfigError)
    expect(() => readServiceEnv('api', { ...env, DATABASE_PASSWORD: 'x', DATABASE_PASSWORD_FILE: '/run/secrets/db' })).toThrow('DATABASE_PASSWORD and DATABASE_PASSWORD_FILE: give the password one way only')
    expect(databaseFrom(readServiceEnv('api', env), 'api').password).toBeUndefined()
  })

  it('knows a refused password from other errors', () => {
    const withCode = (code: string) => Object.assign(new Error('x'), { code })
    expect([withCode('28P01'), withCode('28000'), withCode('57P01'), new Error('boom')].map(isAuthenticationFailure)).toEqual([true, true, false, false])
  })

  it('fails the connection with a PasswordUnavailableError, an authentication failure, when the source cannot be read', async () => {
    const source = cachedPassword(async () => {
      throw Object.assign(new Error('connect ETIMEDOUT secretsmanager'), { name: 'TimeoutError' })
    })
    const failure = await (poolOptions({ url: URL_WITHOUT_PASSWORD, password: source }).password as () => Promise<string>)().catch((err: unknown) => err)
    expect(failure).toBeInstanceOf(PasswordUnavailableError)
    expect(failure).toMatchObject({ message: 'the database password could not be read: connect ETIMEDOUT secretsmanager' })
    expect(classifyDatabaseError(failure)).toBe('authentication')
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

describe('isDatabaseInaccessible', () => {
  const withCode = (code: string) => Object.assign(new Error('x'), { code })

  it('is an outage, a refused password or login, or a password that could not be read: what waiting cures', () => {
    const cases = [withCode('ECONNREFUSED'), withCode('57P01'), withCode('28P01'), withCode('28000'), new PasswordUnavailableError(new Error('AccessDenied'))]
    expect(cases.map(isDatabaseInaccessible)).toEqual([true, true, true, true, true])
    expect([withCode('22021'), withCode('23505'), new Error('boom')].map(isDatabaseInaccessible)).toEqual([false, false, false])
  })
})

describe('classifyDatabaseError', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code })

  it.each([
    ['ECONNREFUSED', 'outage'],
    ['08006', 'outage'],
    ['57P01', 'outage'],
    ['57P03', 'outage'],
    ['53300', 'outage'],
    ['28P01', 'authentication'],
    ['28000', 'authentication'],
    ['22021', 'bad-data'],
    ['22P02', 'bad-data'],
    ['22003', 'bad-data'],
    ['23505', 'other'],
    ['42P01', 'other'],
  ])('takes SQLSTATE %s for %s', (code, expected) => {
    expect(classifyDatabaseError(withCode(code))).toBe(expected)
  })

  it('goes by the code, not the text: a server message that mentions a connection is not an outage', () => {
    expect(classifyDatabaseError(withCode('42601', 'syntax error near "Connection terminated"'))).toBe('other')
    expect(classifyDatabaseError(new Error('Connection terminated unexpectedly'))).toBe('outage')
  })
})

describe("the API's answer to each class of database error", () => {
  const answer = (err: Error) => {
    const sent: { status?: number; body?: unknown; headers: Record<string, string> } = { headers: {} }
    const res = {
      set(name: string, value: string) {
        sent.headers[name] = value
        return res
      },
      status(code: number) {
        sent.status = code
        return res
      },
      json(body: unknown) {
        sent.body = body
        return res
      },
    }
    errorHandler(createLogger('test', 'silent'))(err, { path: '/api/v1/todos' } as never, res as never, () => undefined)
    return sent
  }
  const withCode = (code: string) => Object.assign(new Error('x'), { code })

  it('is 400 for data PostgreSQL refuses, 503 with Retry-After for an outage or a refused service password, 500 otherwise', () => {
    expect(answer(withCode('22021'))).toMatchObject({ status: 400, body: { error: 'The database refused a value in the request' } })
    expect(answer(withCode('57P03'))).toMatchObject({ status: 503, headers: { 'Retry-After': '5' } })
    expect(answer(withCode('28P01'))).toMatchObject({ status: 503, headers: { 'Retry-After': '30' } })
    expect(answer(new PasswordUnavailableError(new Error('AccessDeniedException')))).toMatchObject({ status: 503, headers: { 'Retry-After': '30' } })
    expect(answer(withCode('42P01'))).toMatchObject({ status: 500, body: { error: 'Internal server error' } })
  })
})
