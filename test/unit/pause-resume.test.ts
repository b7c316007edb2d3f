/**
 * Every path through pause and resume, as the scripts run them, against the AWS stand-in and the
 * fake terraform (test/support/lifecycle-harness.ts): what exists in the account afterwards, what
 * the data is, and what was said.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { destroy } from '../../scripts/aws/destroy-flow.js'
import { PreflightError } from '../../scripts/lib/errors.js'
import { pause } from '../../scripts/aws/pause-flow.js'
import { bringBack, resume, urlNote } from '../../scripts/aws/resume-flow.js'
import { explainAwsCall } from '../../scripts/aws/session-end.js'
import { APP_STACKS, SERVICES_STACK } from '../../stacks/stack-names.js'
import { lifecycleHarness, type Harness } from '../support/lifecycle-harness.js'
import { testFolder } from '../support/test-folder.js'

const DATA = 'todos, jobs and calendars'
const folders = testFolder('taskoverflow-lifecycle-')
let harness: Harness
let root: string
let count = 0

beforeEach(async () => {
  root = join(folders.path, String(count++))
  mkdirSync(root)
  harness = await lifecycleHarness(root)
})
afterEach(() => harness.close())
afterAll(() => folders.remove())

const run = <T>(fn: () => Promise<T>) => harness.capture(fn)
const said = () => harness.printed.join('\n')
const state = (stack: string) => JSON.parse(readFileSync(join(root, '.terraform-state', `${stack}.tfstate`), 'utf8'))

/** A deployment with the team's data in its database. */
async function deployed(): Promise<string> {
  const deploy = await run(() => bringBack(harness.lifecycle('npm run deploy'), APP_STACKS))
  expect(deploy.code).toBe(0)
  harness.world.instance!.data = DATA
  return deploy.apiUrl!
}

const paused = () => run(() => pause(harness.lifecycle('npm run pause')))

describe('pause and resume of nothing deployed', () => {
  it('refuse in one line, saying how to deploy, and change nothing', async () => {
    await expect(paused()).rejects.toThrow(/^Nothing to pause: taskoverflow-core holds nothing in .+\. Deploy it with npm run deploy\.$/)
    await expect(run(() => resume(harness.lifecycle('npm run resume')))).rejects.toThrow(/^Nothing to resume: taskoverflow-core holds nothing in .+\. Deploy it with npm run deploy\.$/)
    expect(harness.terraform.runs).toEqual([])
  })
})

describe('npm run pause, then npm run resume', () => {
  it('leaves nothing that bills by the hour, keeps the data, and brings it back at a new URL it names', async () => {
    const url = await deployed()
    harness.world.queued = 12
    harness.world.drainedPerLook = 5
    expect(await paused()).toBe(0)
    const { world } = harness
    // Paused: no instance, no service, no task running; the data in the snapshot.
    expect(world.instance).toBeUndefined()
    expect(world.snapshot).toMatchObject({ status: 'available', data: DATA })
    expect(world.services).toEqual({})
    expect(world.tasks.every((task) => task.lastStatus === 'STOPPED')).toBe(true)
    // The jobs accepted before the pause were finished first, and no worker was cut off by the database going.
    expect(world.queued).toBe(0)
    expect(world.deletedUnderTask).toBeUndefined()
    // The API stopped taking jobs before the wait for the queue began.
    expect(world.calls.filter((call) => call === 'ecs UpdateService' || call === 'sqs GetQueueAttributes')[0]).toBe('ecs UpdateService')
    expect(state('taskoverflow-services').outputs.api_url_before_pause.value).toBe(url)
    expect(said()).toContain('What still bills: $0.0026 an hour')

    const resumed = await run(() => resume(harness.lifecycle('npm run resume')))
    expect(resumed).toMatchObject({ code: 0, restored: true })
    expect(world.instance).toMatchObject({ status: 'available', data: DATA })
    expect(Object.keys(world.services).sort()).toEqual(['taskoverflow-api', 'taskoverflow-worker'])
    expect(resumed.apiUrl).not.toBe(url)
    expect(urlNote(resumed.before, resumed.apiUrl!)).toContain(`The URL changed: it was ${url} before the pause`)
    // Resumed twice: the second finds it running and changes nothing.
    const runs = harness.terraform.runs.length
    expect(await run(() => resume(harness.lifecycle('npm run resume')))).toMatchObject({ code: 0, alreadyRunning: true, apiUrl: resumed.apiUrl })
    expect(harness.terraform.runs).toHaveLength(runs)
  }, 60_000)

  it('pausing again after a resume takes the snapshot anew, removing the one the resume restored from', async () => {
    await deployed()
    expect(await paused()).toBe(0)
    expect(await run(() => resume(harness.lifecycle('npm run resume')))).toMatchObject({ code: 0, restored: true })
    expect(harness.world.snapshot).toBeDefined() // RDS keeps the snapshot a database was restored from
    expect(await paused()).toBe(0)
    expect(said()).toContain('Removing taskoverflow-database-paused, the snapshot the database was last restored from, to take it anew...')
    expect(harness.world.instance).toBeUndefined()
    expect(harness.world.snapshot).toMatchObject({ status: 'available', data: DATA })
  }, 60_000)

  it('pausing twice does nothing the second time, and says since when it has been paused', async () => {
    await deployed()
    expect(await paused()).toBe(0)
    const runs = harness.terraform.runs.length
    expect(await paused()).toBe(0)
    expect(harness.terraform.runs).toHaveLength(runs)
    expect(said()).toMatch(/Already paused; nothing to do\.\nTaskOverflow is paused since \d{4}-\d\d-\d\d \d\d:\d\d UTC/)
  }, 60_000)

  it('resuming twice, or resuming what was never paused, runs no Terraform and says it runs', async () => {
    const url = await deployed()
    const runs = harness.terraform.runs.length
    expect(await run(() => resume(harness.lifecycle('npm run resume')))).toMatchObject({ code: 0, alreadyRunning: true, apiUrl: url })
    expect(harness.terraform.runs).toHaveLength(runs)
    expect(harness.world.instance?.data).toBe(DATA)
  }, 60_000)

  it('resuming a deployment whose database the Lab stopped starts it, with its data, and restores nothing', async () => {
    await deployed()
    harness.world.instance!.status = 'stopped'
    const resumed = await run(() => resume(harness.lifecycle('npm run resume')))
    expect(resumed).toMatchObject({ code: 0, restored: false })
    expect(harness.world.calls).toContain('rds StartDBInstance')
    expect(harness.world.instance).toMatchObject({ status: 'available', data: DATA })
  }, 60_000)

  it('waits out a worker still storing its last batch before the database goes, bounded', async () => {
    await deployed()
    await run(() => pause(harness.lifecycle('npm run pause')))
    expect(said()).toMatch(/Waiting for 2 task\(s\) to stop before the database goes \(taskoverflow-api deactivating, taskoverflow-worker deactivating\); a worker finishes the batch in hand first\./)
    expect(harness.world.deletedUnderTask).toBeUndefined()
  }, 60_000)

  it('stops waiting for the queue after five minutes and says what becomes of the jobs left', async () => {
    await deployed()
    harness.world.queued = 3
    expect(await paused()).toBe(0)
    expect(said()).toContain('3 job(s) are still in the queue after 5 minutes; they wait there, and end on resume')
  }, 60_000)
})

describe('a Lab session that ends part-way', () => {
  it('during the pause\'s deletion of the database: one message, and pausing again finishes it with the data kept', async () => {
    await deployed()
    harness.world.endSessionDuring = 'apply taskoverflow-core'
    expect(await paused()).toBe(1)
    expect(said()).toMatch(/The Learner Lab session ended during `npm run pause`: AWS no longer accepts its credentials\.\n {2}1\. Start the lab again[^\n]+\n {2}2\. Run `npm run pause` again/)
    expect(harness.world.instance?.status).toBe('deleting')
    harness.world.expired = false
    expect(await paused()).toBe(0)
    expect(harness.world.instance).toBeUndefined()
    expect(harness.world.snapshot).toMatchObject({ status: 'available', data: DATA })
  }, 60_000)

  it('between Terraform\'s runs: the refused AWS call is told the same way, and pausing again goes on', async () => {
    await deployed()
    harness.world.expired = true
    const failure = await run(() => pause(harness.lifecycle('npm run pause'))).catch((err: unknown) => err)
    expect(explainAwsCall(failure, 'npm run pause')).toMatch(/^The Learner Lab session ended during `npm run pause`/)
    harness.world.expired = false
    expect(await paused()).toBe(0)
    expect(harness.world.snapshot?.data).toBe(DATA)
  }, 60_000)

  it('during the resume\'s restore: resuming again keeps the restored database, untainted, instead of replacing it', async () => {
    await deployed()
    await paused()
    harness.world.endSessionDuring = 'apply taskoverflow-core'
    expect((await run(() => resume(harness.lifecycle('npm run resume')))).code).toBe(1)
    expect(said()).toContain('The Learner Lab session ended during `npm run resume`')
    harness.world.expired = false
    const resumed = await run(() => resume(harness.lifecycle('npm run resume')))
    expect(resumed.code).toBe(0)
    expect(harness.terraform.runs).toContainEqual(expect.stringMatching(/^untaint aws_db_instance\.database_instance_\w+ taskoverflow-core$/))
    expect(harness.world.instance).toMatchObject({ status: 'available', data: DATA })
  }, 60_000)
})

describe('deploy and destroy of a paused deployment', () => {
  it('npm run deploy restores the database from its snapshot rather than making an empty one', async () => {
    await deployed()
    await paused()
    expect((await run(() => bringBack(harness.lifecycle('npm run deploy'), APP_STACKS))).code).toBe(0)
    expect(harness.world.instance).toMatchObject({ status: 'available', data: DATA })
  }, 60_000)

  it('refuses to deploy the services alone while the database is a snapshot', async () => {
    await deployed()
    await paused()
    await expect(run(() => bringBack(harness.lifecycle('npm run deploy'), [SERVICES_STACK]))).rejects.toThrow('The database is paused (a snapshot), so taskoverflow-services has nothing to connect to')
  }, 60_000)

  it('npm run destroy removes everything, the snapshot too, and says so', async () => {
    await deployed()
    await paused()
    expect(await run(() => destroy(harness.lifecycle('npm run destroy'), APP_STACKS))).toBe(0)
    expect(harness.world.snapshot?.status ?? 'gone').toMatch(/^(deleting|gone)$/)
    expect(said()).toContain("Removed the database's snapshot taskoverflow-database-paused (20 GB): nothing of TaskOverflow's data is left in AWS.")
  }, 60_000)

  it('npm run destroy after a resume removes the snapshot the resume kept and the one RDS takes as it deletes', async () => {
    await deployed()
    await paused()
    await run(() => resume(harness.lifecycle('npm run resume')))
    expect(await run(() => destroy(harness.lifecycle('npm run destroy'), APP_STACKS))).toBe(0)
    expect(harness.world.instance).toBeUndefined()
    expect(harness.world.snapshot?.status ?? 'gone').toMatch(/^(deleting|gone)$/)
  }, 60_000)
})

describe('what pause and resume refuse', () => {
  it('a deployment whose state would delete the database without a snapshot, with the command that records one', async () => {
    await deployed()
    const core = state('taskoverflow-core')
    for (const resource of core.resources) if (resource.type === 'aws_db_instance') resource.instances[0].attributes.skip_final_snapshot = true
    writeFileSync(join(root, '.terraform-state', 'taskoverflow-core.tfstate'), JSON.stringify(core))
    await expect(paused()).rejects.toThrow(PreflightError)
    await expect(paused()).rejects.toThrow('Record it first with `npm run deploy -- taskoverflow-core`')
    expect(harness.world.instance?.data).toBe(DATA)
  }, 60_000)

  it('a paused deployment whose snapshot was deleted outside, rather than start it empty', async () => {
    await deployed()
    await paused()
    harness.world.snapshot = undefined
    await expect(run(() => resume(harness.lifecycle('npm run resume')))).rejects.toThrow('its snapshot taskoverflow-database-paused is gone')
    expect(harness.world.instance).toBeUndefined()
  }, 60_000)
})
