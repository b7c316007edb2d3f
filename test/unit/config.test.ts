import { describe, expect, it } from '@jest/globals'
import { ConfigError } from '@taskoverflow/shared'
import { loadApiConfig } from '../../containers/api/src/config.js'
import { loadWorkerConfig } from '../../containers/worker/src/config.js'

const valid = {
  DATABASE_URL: 'postgres://todo:secret@db.example:5432/todo',
  ICAL_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/ical',
}

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn()
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  throw new Error('expected a ConfigError')
}

describe('service configuration', () => {
  it('applies the defaults', () => {
    const api = loadApiConfig(valid)
    expect(api).toMatchObject({ port: 6400, host: '0.0.0.0', trustProxy: false, logLevel: 'info', queueUrl: valid.ICAL_QUEUE_URL })
    expect(api.sqs).toMatchObject({ region: 'us-east-1', endpoint: undefined })
    const worker = loadWorkerConfig(valid)
    expect(worker).toMatchObject({ delaySeconds: 0, waitTimeSeconds: 20, visibilityTimeoutSeconds: 60, concurrency: 1 })
  })

  it("gives the API's reconciler the worker's timing from the same settings, so both fail a job at the same deadline", () => {
    const defaults = loadApiConfig(valid).reconciler
    expect(defaults).toEqual({ intervalSeconds: 15, unsentAfterSeconds: 30, deadlineSeconds: 900, progressWindowSeconds: 60, messageRetentionSeconds: 345_600, retentionDays: 7 })
    expect(loadWorkerConfig(valid).reconciler).toEqual(defaults)
    // A long delay lengthens the visibility timeout and with it the deadline: 6 × (430 + 200).
    const slow = { ...valid, WORKER_DELAY_SECONDS: '200' }
    expect(loadApiConfig(slow).reconciler.deadlineSeconds).toBe(3_780)
    expect(loadWorkerConfig(slow).reconciler).toEqual(loadApiConfig(slow).reconciler)
    const told = { ...valid, JOB_DEADLINE_SECONDS: '2100', RECONCILE_INTERVAL_SECONDS: '5', JOB_RETENTION_DAYS: '3' }
    expect(loadApiConfig(told).reconciler).toMatchObject({ intervalSeconds: 5, unsentAfterSeconds: 30, deadlineSeconds: 2_100, retentionDays: 3 })
  })

  it('takes the receives and the deadline their starter gives them, and derives the deadline from the receives when it gives none', () => {
    // Ten receives of up to 430 s each (and one to spare), against the default five: 11 × 630, not 6 × 630.
    const slow = { ...valid, WORKER_DELAY_SECONDS: '200', JOB_MAX_RECEIVES: '10' }
    expect(loadWorkerConfig(slow)).toMatchObject({ maxReceives: 10, reconciler: { deadlineSeconds: 6_930 } })
    expect(loadApiConfig(slow).reconciler).toEqual(loadWorkerConfig(slow).reconciler)
    expect(loadWorkerConfig({ ...slow, JOB_DEADLINE_SECONDS: '2100' }).reconciler.deadlineSeconds).toBe(2_100)
  })

  it('refuses a slip of a setting\'s name with the nearest one, and a renamed setting with its new name', () => {
    expect(problemsOf(() => loadWorkerConfig({ ...valid, WORKER_DELAY: '20', SQS_VISIBLITY_TIMEOUT_SECONDS: '90', MAX_ATTEMPTS: '3' }))).toEqual([
      'WORKER_DELAY is not a setting; did you mean WORKER_DELAY_SECONDS? (the settings are in docs/configuration.md)',
      'SQS_VISIBLITY_TIMEOUT_SECONDS is not a setting; did you mean SQS_VISIBILITY_TIMEOUT_SECONDS? (the settings are in docs/configuration.md)',
      'MAX_ATTEMPTS is now JOB_MAX_RECEIVES',
    ])
    // Every setting's name is guarded, not only those of a few first words.
    expect(problemsOf(() => loadApiConfig({ ...valid, CALENDAR_STORAGE: '100', TODO_WRITES_PER_MIN: '10', TRUST_PROXIES: 'true', EXPORT_PER_MINUTE: '5' }))).toEqual([
      'CALENDAR_STORAGE is not a setting; did you mean CALENDAR_STORAGE_MB? (the settings are in docs/configuration.md)',
      'TODO_WRITES_PER_MIN is not a setting; did you mean TODO_WRITES_PER_MINUTE? (the settings are in docs/configuration.md)',
      'TRUST_PROXIES is not a setting; did you mean TRUST_PROXY? (the settings are in docs/configuration.md)',
      'EXPORT_PER_MINUTE is not a setting; did you mean EXPORTS_PER_MINUTE? (the settings are in docs/configuration.md)',
    ])
    // Either service takes the other's settings (npm start gives both one environment), and names of other programs' alike.
    const others = { HOSTNAME: 'box', LOGNAME: 'me', HOME: '/root', AWS_PROFILE: 'lab', AWS_ENDPOINT_URL_S3: 'http://localhost:9000', DATABASE_HOST: 'db', JOB_NAME: 'ci', PATH: '/bin' }
    expect(() => loadApiConfig({ ...valid, WORKER_CONCURRENCY: '4', ...others })).not.toThrow()
  })

  it('names every missing variable and what it expects', () => {
    expect(problemsOf(() => loadApiConfig({}))).toEqual([
      'DATABASE_URL: is required (a postgres:// or postgresql:// connection string)',
      'ICAL_QUEUE_URL: is required (the URL of the ical SQS queue)',
    ])
  })

  it('names wrong values and what was expected, without echoing passwords', () => {
    const problems = problemsOf(() =>
      loadWorkerConfig({ ...valid, DATABASE_URL: 'mysql://root:hunter2@db/todo', PORT: 'x', WORKER_DELAY_SECONDS: '-5', AWS_REGION: 'Sydney', SQS_ENDPOINT: 'localhost:4566' }),
    )
    expect(problems).toEqual([
      'DATABASE_URL: expected a postgres:// or postgresql:// connection string, got "mysql://root:***@db/todo"',
      'AWS_REGION: expected an AWS region such as us-east-1, got "Sydney"',
      'SQS_ENDPOINT: expected the http:// URL of an SQS emulator, got "localhost:4566"',
      'WORKER_DELAY_SECONDS: expected a whole number from 0 to 3600, got "-5"',
    ])
    expect(problems.join('\n')).not.toContain('hunter2')
  })

  it('treats an empty variable as unset', () => {
    expect(loadApiConfig({ ...valid, PORT: '', SQS_ENDPOINT: '' })).toMatchObject({ port: 6400, sqs: { endpoint: undefined } })
  })

  it('names a password given two ways beside every other wrong variable, in one message', () => {
    const env = { PORT: 'abc', DATABASE_PASSWORD: 'secret', DATABASE_PASSWORD_FILE: '/run/secrets/db' }
    const expected = [
      'DATABASE_URL: is required (a postgres:// or postgresql:// connection string)',
      'ICAL_QUEUE_URL: is required (the URL of the ical SQS queue)',
      'DATABASE_PASSWORD and DATABASE_PASSWORD_FILE: give the password one way only',
    ]
    expect(problemsOf(() => loadApiConfig(env))).toEqual([...expected.slice(0, 2), 'PORT: expected a whole number from 1 to 65535, got "abc"', expected[2]])
    expect(problemsOf(() => loadWorkerConfig({ ...env, WORKER_CONCURRENCY: '0' }))).toEqual([...expected.slice(0, 2), 'WORKER_CONCURRENCY: expected a whole number from 1 to 64, got "0"', expected[2]])
  })

  it('refuses a port out of range', () => {
    expect(problemsOf(() => loadApiConfig({ ...valid, PORT: '70000' }))).toEqual(['PORT: expected a whole number from 1 to 65535, got "70000"'])
  })
})
