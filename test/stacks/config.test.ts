import { describe, expect, it } from '@jest/globals'
import { DeployConfigError, readDeployConfig } from '../../stacks/config.js'

describe('deployment settings', () => {
  it('default to the Learner Lab in us-east-1', () => {
    expect(readDeployConfig({}, 'x64')).toEqual({
      region: 'us-east-1',
      iamMode: 'learner-lab',
      arch: 'amd64',
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

  it('build for the machine that builds, unless TASKOVERFLOW_ARCH says otherwise', () => {
    expect([readDeployConfig({}, 'arm64').arch, readDeployConfig({}, 'x64').arch]).toEqual(['arm64', 'amd64'])
    expect(readDeployConfig({ TASKOVERFLOW_ARCH: 'amd64' }, 'arm64').arch).toBe('amd64')
  })

  it.each([
    [{ TASKOVERFLOW_ARCH: 'x86_64' }, 'TASKOVERFLOW_ARCH must be arm64 or amd64'],
    [{ TASKOVERFLOW_IAM_MODE: 'admin' }, 'TASKOVERFLOW_IAM_MODE must be learner-lab or create-roles'],
    [{ AWS_REGION: 'Brisbane' }, 'AWS_REGION must be a region such as us-east-1'],
    [{ TASKOVERFLOW_WORKER_MIN_TASKS: '5', TASKOVERFLOW_WORKER_MAX_TASKS: '2' }, 'TASKOVERFLOW_WORKER_MIN_TASKS must not exceed TASKOVERFLOW_WORKER_MAX_TASKS'],
    [{ TASKOVERFLOW_LOG_RETENTION_DAYS: '10' }, 'TASKOVERFLOW_LOG_RETENTION_DAYS must be one of 1, 3, 5, 7'],
    [{ TASKOVERFLOW_NAME: 'Task Overflow' }, 'TASKOVERFLOW_NAME must be 2 to 20 lower-case letters'],
    [{ TASKOVERFLOW_WORKER_DELAY_SECONDS: 'fifty' }, 'TASKOVERFLOW_WORKER_DELAY_SECONDS must be a whole number'],
  ])('refuse %j with a message naming the setting', (env, message) => {
    expect(() => readDeployConfig(env)).toThrow(DeployConfigError)
    expect(() => readDeployConfig(env)).toThrow(message)
  })
})
