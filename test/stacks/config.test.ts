import { describe, expect, it } from '@jest/globals'
import { DeployConfigError, readDeployConfig } from '../../stacks/config.js'

describe('deployment settings', () => {
  it('default to the Learner Lab in us-east-1', () => {
    expect(readDeployConfig({}, 'x64')).toEqual({
      region: 'us-east-1',
      iamMode: 'learner-lab',
      arch: 'amd64',
      paused: false,
      restoreFromSnapshot: false,
      availabilityZones: 2,
      backupRetentionDays: 0,
      stateBucket: undefined,
      dbPasswordMode: 'managed',
      databasePoolSize: 10,
      name: 'taskoverflow',
      workerDelaySeconds: 0,
      workerMinTasks: 1,
      workerMaxTasks: 4,
      apiTasks: 1,
      logRetentionDays: 7,
      localSqsEndpoint: undefined,
      credentialsFile: undefined,
    })
  })

  it('derive each pool from the same numbers the limits check', () => {
    expect(readDeployConfig({ TASKOVERFLOW_WORKER_DELAY_SECONDS: '85' }, 'x64').workerDelaySeconds).toBe(85)
    expect(readDeployConfig({ TASKOVERFLOW_API_TASKS: '5', TASKOVERFLOW_WORKER_MAX_TASKS: '10' }, 'x64').databasePoolSize).toBe(5)
    expect(readDeployConfig({ TASKOVERFLOW_API_TASKS: '17', TASKOVERFLOW_WORKER_MAX_TASKS: '20' }, 'x64').databasePoolSize).toBe(2)
    expect(readDeployConfig({ AWS_REGION: 'eu-west-1', TASKOVERFLOW_IAM_MODE: 'create-roles' }, 'x64').region).toBe('eu-west-1')
  })

  it('build for amd64 in the Learner Lab, where the course ran it, and elsewhere for the machine that builds', () => {
    expect([readDeployConfig({}, 'arm64').arch, readDeployConfig({}, 'x64').arch]).toEqual(['amd64', 'amd64'])
    const outside = { TASKOVERFLOW_IAM_MODE: 'create-roles' }
    expect([readDeployConfig(outside, 'arm64').arch, readDeployConfig(outside, 'x64').arch]).toEqual(['arm64', 'amd64'])
    expect(readDeployConfig({ TASKOVERFLOW_ARCH: 'arm64' }, 'x64').arch).toBe('arm64')
  })

  it('keep no RDS backups in the Learner Lab, and RDS\'s own default elsewhere', () => {
    expect(readDeployConfig({}).backupRetentionDays).toBe(0)
    expect(readDeployConfig({ TASKOVERFLOW_IAM_MODE: 'create-roles' }).backupRetentionDays).toBeUndefined()
  })

  it('pause, widen the zones and share state in a bucket only when told to', () => {
    const config = readDeployConfig({ TASKOVERFLOW_PAUSED: 'true', TASKOVERFLOW_AVAILABILITY_ZONES: '3', TASKOVERFLOW_STATE_BUCKET: 'team-7-state' })
    expect(config).toMatchObject({ paused: true, availabilityZones: 3, stateBucket: { bucket: 'team-7-state', keyPrefix: 'taskoverflow' } })
    expect(readDeployConfig({ TASKOVERFLOW_STATE_BUCKET: 'team-7-state', TASKOVERFLOW_STATE_KEY_PREFIX: 'course/team-7' }).stateBucket).toEqual({ bucket: 'team-7-state', keyPrefix: 'course/team-7' })
    expect(readDeployConfig({ TASKOVERFLOW_STATE_BUCKET: 'team-7-state', TASKOVERFLOW_NAME: 'copy-2' }).stateBucket?.keyPrefix).toBe('copy-2')
  })

  it.each([
    [{ TASKOVERFLOW_ARCH: 'x86_64' }, 'TASKOVERFLOW_ARCH must be arm64 or amd64'],
    [{ AWS_REGION: 'eu-west-1' }, 'The Learner Lab has only the regions us-east-1 and us-west-2'],
    [{ TASKOVERFLOW_WORKER_DELAY_SECONDS: '86' }, 'TASKOVERFLOW_WORKER_DELAY_SECONDS must be at most 85'],
    [{ TASKOVERFLOW_API_TASKS: '20', TASKOVERFLOW_WORKER_MAX_TASKS: '20' }, 'exceed the 75 db.t4g.micro leaves them'],
    [{ TASKOVERFLOW_DB_PASSWORD_MODE: 'plain' }, 'TASKOVERFLOW_DB_PASSWORD_MODE must be managed or generated'],
    [{ TASKOVERFLOW_IAM_MODE: 'admin' }, 'TASKOVERFLOW_IAM_MODE must be learner-lab or create-roles'],
    [{ AWS_REGION: 'Brisbane' }, 'AWS_REGION must be a region such as us-east-1'],
    [{ TASKOVERFLOW_WORKER_MIN_TASKS: '5', TASKOVERFLOW_WORKER_MAX_TASKS: '2' }, 'TASKOVERFLOW_WORKER_MIN_TASKS must not exceed TASKOVERFLOW_WORKER_MAX_TASKS'],
    [{ TASKOVERFLOW_LOG_RETENTION_DAYS: '10' }, 'TASKOVERFLOW_LOG_RETENTION_DAYS must be one of 1, 3, 5, 7'],
    [{ TASKOVERFLOW_NAME: 'Task Overflow' }, 'TASKOVERFLOW_NAME must be 2 to 20 lower-case letters'],
    [{ TASKOVERFLOW_WORKER_DELAY_SECONDS: 'fifty' }, 'TASKOVERFLOW_WORKER_DELAY_SECONDS must be a whole number'],
    [{ TASKOVERFLOW_PAUSED: 'yes' }, 'TASKOVERFLOW_PAUSED must be true or false'],
    [{ TASKOVERFLOW_PAUSED: 'true', TASKOVERFLOW_RESTORE_FROM_SNAPSHOT: 'true' }, 'TASKOVERFLOW_RESTORE_FROM_SNAPSHOT brings a paused database back, so it cannot go with TASKOVERFLOW_PAUSED=true'],
    [{ TASKOVERFLOW_AVAILABILITY_ZONES: '1' }, 'TASKOVERFLOW_AVAILABILITY_ZONES must be from 2 to 6'],
    [{ TASKOVERFLOW_STATE_BUCKET: 'Team_7' }, 'TASKOVERFLOW_STATE_BUCKET must be an S3 bucket name'],
    [{ TASKOVERFLOW_STATE_BUCKET: 'team-7-state', TASKOVERFLOW_STATE_KEY_PREFIX: '/abs/' }, 'TASKOVERFLOW_STATE_KEY_PREFIX must be a path'],
    [{ TASKOVERFLOW_STATE_KEY_PREFIX: 'team-7' }, 'TASKOVERFLOW_STATE_KEY_PREFIX needs TASKOVERFLOW_STATE_BUCKET'],
    // A slip that would otherwise deploy what the user did not ask for, without a word.
    [{ TASKOVERFLOW_PAUSE: 'true' }, 'TASKOVERFLOW_PAUSE is not a setting; did you mean TASKOVERFLOW_PAUSED?'],
    [{ TASKOVERFLOW_API_TASK: '3' }, 'TASKOVERFLOW_API_TASK is not a setting; did you mean TASKOVERFLOW_API_TASKS?'],
    [{ TASKOVERFLOW_COLOUR: 'blue' }, 'TASKOVERFLOW_COLOUR is not a setting (the settings are in docs/configuration.md)'],
    // The emulator endpoint the playground's apply tests give in code: from the environment it
    // would point a real deploy at an emulator with every AWS check off.
    [{ TASKOVERFLOW_LOCAL_SQS_ENDPOINT: 'http://127.0.0.1:4566' }, 'TASKOVERFLOW_LOCAL_SQS_ENDPOINT is not a setting'],
  ])('refuse %j with a message naming the setting', (env, message) => {
    expect(() => readDeployConfig(env)).toThrow(DeployConfigError)
    expect(() => readDeployConfig(env)).toThrow(message)
  })

  it.each([
    [
      { TASKOVERFLOW_API_TASKS: 'abc', TASKOVERFLOW_WORKER_MAX_TASKS: 'many', TASKOVERFLOW_WORKER_DELAY_SECONDS: 'x' },
      ['TASKOVERFLOW_API_TASKS must be a whole number', 'TASKOVERFLOW_WORKER_DELAY_SECONDS must be a whole number', 'TASKOVERFLOW_WORKER_MAX_TASKS must be a whole number'],
    ],
    [{ TASKOVERFLOW_WORKER_MIN_TASKS: 'abc' }, ['TASKOVERFLOW_WORKER_MIN_TASKS must be a whole number']],
    [{ TASKOVERFLOW_API_TASKS: 'abc', TASKOVERFLOW_ARCH: 'sparc' }, ['TASKOVERFLOW_API_TASKS must be a whole number', 'TASKOVERFLOW_ARCH must be arm64 or amd64']],
    // A rule across settings still shows beside a setting refused on its own.
    [
      { AWS_REGION: 'eu-west-1', TASKOVERFLOW_ARCH: 'x86', TASKOVERFLOW_STATE_KEY_PREFIX: 'team-7' },
      [
        'TASKOVERFLOW_ARCH must be arm64 or amd64',
        'The Learner Lab has only the regions us-east-1 and us-west-2: set AWS_REGION to one of them (or TASKOVERFLOW_IAM_MODE=create-roles outside the Lab)',
        'TASKOVERFLOW_STATE_KEY_PREFIX needs TASKOVERFLOW_STATE_BUCKET: the prefix is a folder inside that bucket',
      ],
    ],
    [{ TASKOVERFLOW_PAUSED: 'yes', TASKOVERFLOW_WORKER_MIN_TASKS: '5', TASKOVERFLOW_WORKER_MAX_TASKS: '2' }, ['TASKOVERFLOW_PAUSED must be true or false', 'TASKOVERFLOW_WORKER_MIN_TASKS must not exceed TASKOVERFLOW_WORKER_MAX_TASKS']],
  ])('refuse %j naming each wrong setting once, and no limit only a wrong value seemed to break', (env, problems) => {
    let message = ''
    try {
      readDeployConfig(env)
    } catch (err) {
      message = (err as Error).message
    }
    expect(message.split('\n').sort()).toEqual(['Invalid deployment settings:', ...problems.map((problem) => `  - ${problem}`)].sort())
  })
})
