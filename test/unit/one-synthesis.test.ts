/**
 * deploy, pause, resume, destroy, cost and status as a user runs them: each builds the stacks in
 * its own process, each form of them once, from the typed settings, and no deployment setting
 * reaches a child process as an environment string (Terraform reads them from the JSON). A
 * preloaded recorder logs every Node process started and every cdktf synth; the AWS stand-in and
 * the fake terraform play the account.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ROOT } from '../../scripts/lib/paths.js'
import { lifecycleHarness, type Harness } from '../support/lifecycle-harness.js'
import { LAB_CREDENTIALS, runScript } from '../support/run-script.js'
import { testFolder } from '../support/test-folder.js'

const folder = testFolder('taskoverflow-one-synth-')
let harness: Harness
let env: Record<string, string>
let record: string

beforeAll(async () => {
  harness = await lifecycleHarness(folder.path)
  record = join(folder.path, 'record.log')
  const recorder = join(folder.path, 'recorder.cjs')
  // Patches the one cdktf the stacks and the scripts share (require's cache serves both).
  writeFileSync(
    recorder,
    `const { appendFileSync } = require('node:fs')
// Module hooks (tsx) run on a thread of their own, which loads this too: processes only.
if (!require('node:worker_threads').isMainThread) return
appendFileSync(${JSON.stringify(record)}, 'node ' + process.argv.slice(1).join(' ') + '\\n')
const { App } = require(require.resolve('cdktf', { paths: [${JSON.stringify(ROOT)}] }))
const synth = App.prototype.synth
App.prototype.synth = function () {
  appendFileSync(${JSON.stringify(record)}, 'synth\\n')
  return synth.call(this)
}
`,
  )
  writeFileSync(join(folder.path, 'credentials'), LAB_CREDENTIALS)
  env = {
    HOME: folder.path,
    NODE_OPTIONS: `--require ${recorder}`,
    TERRAFORM_BIN: process.env.TERRAFORM_BIN!,
    // Not the project's cdktf.out: the test leaves nothing behind.
    CDKTF_OUTDIR: join(folder.path, 'cdktf.out'),
    AWS_ENDPOINT_URL: harness.standIn.endpoint,
    AWS_MAX_ATTEMPTS: '1',
    TASKOVERFLOW_CREDENTIALS_FILE: join(folder.path, 'credentials'),
    TASKOVERFLOW_STATE_BUCKET: 'team-7-state',
    TASKOVERFLOW_WORKER_MAX_TASKS: '4',
  }
})
afterAll(() => {
  harness?.close()
  folder.remove()
})

/** Runs the script; resolves to the synths it made and the Node processes it started but the fake terraform. */
async function recorded(script: string, args: string[] = []) {
  writeFileSync(record, '')
  const { code, output } = await runScript(script, env, args)
  if (code !== 0) throw new Error(`npm run ${script} failed:\n${output}`)
  const lines = readFileSync(record, 'utf8').trim().split('\n')
  return { synths: lines.filter((line) => line === 'synth').length, processes: lines.filter((line) => line.startsWith('node ') && !line.includes('fake-terraform')) }
}

describe('the commands that deploy, and those that price', () => {
  it('synthesize each form of the stacks once, in their own process, and hand Terraform no TASKOVERFLOW_ setting', async () => {
    const expected: Array<[string, string[], number]> = [
      // The running form to apply, the paused one to say what pausing would cost.
      ['deploy', ['taskoverflow-core', 'taskoverflow-services'], 2],
      ['pause', [], 1],
      ['resume', [], 1],
      ['cost', [], 2],
      ['status', [], 2],
      ['destroy', ['taskoverflow-core', 'taskoverflow-services'], 1],
    ]
    for (const [script, args, synths] of expected) {
      const seen = await recorded(script, args)
      expect({ script, ...seen }).toEqual({ script, synths, processes: [expect.stringContaining(`scripts/${script}.ts`)] })
    }
    expect(harness.terraform.runs).toContain('apply taskoverflow-core')
    expect(harness.terraform.settings).toEqual([])
  }, 180_000)
})
