import { describe, expect, it } from '@jest/globals'
import { ConfigError, readServiceEnv, SERVICE_ENV, serviceEnvironment, serviceVariables } from '@taskoverflow/shared'

const required = { DATABASE_URL: 'postgresql://taskoverflow@db.example:5432/todo', ICAL_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/ical' }

describe("the services' one environment contract", () => {
  it('declares each variable once, with who reads it and what it is for', () => {
    for (const [name, variable] of Object.entries(SERVICE_ENV)) {
      expect([name, variable.readers.length > 0, variable.about.length > 10]).toEqual([name, true, true])
    }
    expect(serviceVariables('api')).toContain('EXPORTS_PER_MINUTE')
    expect(serviceVariables('worker')).not.toContain('EXPORTS_PER_MINUTE')
  })

  it('writes what the service reads back as written, numbers and booleans included', () => {
    const api = { ...required, PORT: 8080, TRUST_PROXY: true, JOB_MAX_RECEIVES: 7, LOG_LEVEL: 'warn' } as const
    const written = serviceEnvironment('api', api)
    expect(written).toEqual({ ...required, PORT: '8080', TRUST_PROXY: 'true', JOB_MAX_RECEIVES: '7', LOG_LEVEL: 'warn' })
    expect(readServiceEnv('api', written)).toMatchObject(api)
  })

  it("refuses to write a variable the service does not read, or a value it would refuse", () => {
    // @ts-expect-error PORT is the API's alone
    expect(() => serviceEnvironment('worker', { ...required, PORT: 8080 })).toThrow('PORT is not a setting of the worker')
    expect(() => serviceEnvironment('api', { ...required, PORT: 70_000 })).toThrow(ConfigError)
    expect(() => serviceEnvironment('api', { ...required, DATABASE_URL: 'mysql://db/todo' })).toThrow('DATABASE_URL for the api: expected a postgres:// or postgresql:// connection string, got "mysql://db/todo"')
  })

  it('writes a Terraform reference as it is, for the apply to resolve', () => {
    const url = 'postgresql://taskoverflow@${aws_db_instance.database.address}:5432/todo'
    expect(serviceEnvironment('worker', { ...required, DATABASE_URL: url }).DATABASE_URL).toBe(url)
  })
})
