/**
 * `npm run status` as a user runs it, against local stand-ins for STS, RDS, ECS and the team's S3
 * state bucket, with states a deploy and a pause (in this process, on the same stand-ins) left there.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { pause } from '../../scripts/aws/pause-flow.js'
import { bringBack, resume } from '../../scripts/aws/resume-flow.js'
import { nothingDeployedHere } from '../../scripts/aws/status-report.js'
import { readDeployConfig } from '../../stacks/config.js'
import { APP_STACKS } from '../../stacks/stack-names.js'
import { lifecycleHarness, type Harness } from '../support/lifecycle-harness.js'
import { LAB_CREDENTIALS, runScript } from '../support/run-script.js'
import { testFolder } from '../support/test-folder.js'

const TEAM = { TASKOVERFLOW_STATE_BUCKET: 'team-7-state' }
const folder = testFolder('taskoverflow-status-')
let harness: Harness
let env: Record<string, string>

beforeAll(async () => {
  mkdirSync(join(folder.path, 'home'))
  harness = await lifecycleHarness(folder.path)
  writeFileSync(join(folder.path, 'credentials'), LAB_CREDENTIALS)
  env = { HOME: join(folder.path, 'home'), TASKOVERFLOW_CREDENTIALS_FILE: join(folder.path, 'credentials'), AWS_ENDPOINT_URL: harness.standIn.endpoint, AWS_MAX_ATTEMPTS: '1', ...TEAM }
})
afterAll(() => {
  harness?.close()
  folder.remove()
})

const status = () => runScript('status', env)

describe('npm run status with no team bucket', () => {
  it('says nothing is deployed from this machine without asking AWS, while no local state holds anything', async () => {
    const root = join(folder.path, 'local')
    mkdirSync(join(root, '.terraform-state'), { recursive: true })
    const config = readDeployConfig({})
    expect(await nothingDeployedHere(config, root)).toMatch(/^TaskOverflow "taskoverflow" in us-east-1, state in \.terraform-state\/\n {2}Nothing is deployed from here \(\.terraform-state\/taskoverflow-core\.tfstate holds nothing\)\./)
    // What a refused run leaves: a state with no resources.
    writeFileSync(join(root, '.terraform-state', 'taskoverflow-core.tfstate'), JSON.stringify({ version: 4, resources: [] }))
    expect(await nothingDeployedHere(config, root)).toContain('Nothing is deployed from here')
    writeFileSync(join(root, '.terraform-state', 'taskoverflow-services.tfstate'), JSON.stringify({ version: 4, resources: [{ mode: 'managed', type: 'aws_ecs_cluster', name: 'c', instances: [] }] }))
    expect(await nothingDeployedHere(config, root)).toBeUndefined()
    expect(await nothingDeployedHere(readDeployConfig(TEAM), root)).toBeUndefined()
  })
})

describe('npm run status', () => {
  it('says when nothing is deployed, and how to deploy', async () => {
    const { code, output } = await status()
    expect(code).toBe(0)
    expect(output).toContain('TaskOverflow "taskoverflow" in us-east-1, state in s3://team-7-state/taskoverflow/')
    expect(output).toContain('Nothing is deployed from here (s3://team-7-state/taskoverflow/taskoverflow-core.tfstate holds nothing).')
    expect(output).toMatch(/next {7}npm run deploy$/m)
  }, 60_000)

  it('shows a running deployment: since when, its tasks, both costs, its URL, and the command to pause it', async () => {
    const deployed = await harness.capture(() => bringBack(harness.lifecycle('npm run deploy', TEAM), APP_STACKS))
    const { code, output } = await status()
    expect(code).toBe(0)
    expect(output).toMatch(/now {8}running since \d{4}-\d\d-\d\d \d\d:\d\d UTC \(0 hours\): taskoverflow-api 1 of 1, taskoverflow-worker 1 of 1 tasks/)
    expect(output).toMatch(/costs now {2}\$0\.0872 an hour/)
    expect(output).toMatch(/running {4}\$0\.0872 an hour/)
    expect(output).toContain(`API        ${deployed.apiUrl}`)
    expect(output).toMatch(/next {7}npm run pause {4}keep the data, remove what bills by the hour \(\$0\.0026 an hour paused\)/)
  }, 60_000)

  it('shows a paused deployment: since when, where the data is, under half a cent an hour, and the command to resume', async () => {
    await harness.capture(() => pause(harness.lifecycle('npm run pause', TEAM)))
    const { code, output } = await status()
    expect(code).toBe(0)
    expect(output).toMatch(/now {8}paused since \d{4}-\d\d-\d\d \d\d:\d\d UTC \(0 hours\): the database is the snapshot taskoverflow-database-paused, 20 GB/)
    expect(output).toMatch(/costs now {2}\$0\.0026 an hour/)
    expect(output).toMatch(/running {4}\$0\.0872 an hour/)
    expect(output).toMatch(/API {8}none while paused \(it was http:\/\/127\.0\.0\.1:\d+\/lb-1; resuming gives it a new URL\)/)
    expect(output).toMatch(/next {7}npm run resume/)
    expect(output.split('\n').filter(Boolean).length).toBeLessThanOrEqual(10)
  }, 60_000)

  it('says in one line that the Lab session has ended, and nothing else', async () => {
    harness.world.expired = true
    try {
      const { code, output } = await status()
      expect(code).toBe(1)
      expect(output.trim()).toBe(`AWS does not accept these credentials (The security token included in the request is expired). Learner Lab credentials last one session: copy fresh ones from "AWS Details" into ${env.TASKOVERFLOW_CREDENTIALS_FILE}.`)
    } finally {
      harness.world.expired = false
    }
    await harness.capture(() => resume(harness.lifecycle('npm run resume', TEAM)))
    expect((await status()).output).toMatch(/now {8}running since/)
  }, 60_000)

  it('shows a database the Lab stopped, billing its storage but not its hours, and the command that starts it', async () => {
    harness.world.instance!.status = 'stopped'
    const { output } = await status()
    expect(output).toContain('now        the database taskoverflow-database is stopped (the Lab stops it at a session\'s end), so the API cannot answer')
    expect(output).toMatch(/costs now {2}\$0\.0712 an hour/)
    expect(output).toMatch(/next {7}npm run resume {3}start the database and check the rest/)
  }, 60_000)
})
