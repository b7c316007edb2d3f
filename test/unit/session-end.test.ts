import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { explainRun, keepErroredStates, readRunOutput } from '../../scripts/aws/session-end.js'
import { registryHint } from '../../scripts/aws/terraform.js'
import { testFolder } from '../support/test-folder.js'

/** As hashicorp/aws 5.x and Terraform 1.11 print them (../shared/SPEC.md §4a). */
const STS_EXPIRED =
  'Error: retrieving caller identity from STS: operation error STS: GetCallerIdentity, https response error StatusCode: 403, RequestID: 5f1c9e2a-0000-4000-8000-000000000000, api error ExpiredToken: The security token included in the request is expired'
const TOKEN_INVALID = 'Error: creating ECS Service (taskoverflow-api): operation error ECS: CreateService, https response error StatusCode: 400, api error InvalidClientTokenId: The security token included in the request is invalid.'
const LOCK_INFO = `│ Lock Info:
│   ID:        c7a1e2f0-5b6d-4e3f-9a8b-1c2d3e4f5a6b
│   Path:      team-7-state/taskoverflow/taskoverflow-core.tfstate
│   Operation: OperationTypeApply
│   Who:       student@laptop
│   Version:   1.11.4
│   Created:   2026-11-29 12:00:00.123456 +0000 UTC
│   Info:`
const S3_MID_APPLY = `taskoverflow-core  aws_db_instance.database_instance_D7FC2283: Still creating... [6m0s elapsed]
│ Error: Failed to save state
│
│ Error saving state: failed to upload state: operation error S3: PutObject, https response error StatusCode: 400, RequestID: 0AB1, api error ExpiredToken: The provided token has expired.
╵
╷
│ Error: Failed to persist state to backend
│
│ The error shown above has prevented Terraform from writing the updated state to the configured backend. To allow for recovery, the state has been written to the file "errored.tfstate" in the current working directory.
╵
╷
│ Error: Error releasing the state lock
│
│ Error message: failed to delete lock file: operation error S3: DeleteObject, api error ExpiredToken: The provided token has expired.
${LOCK_INFO}
╵`

describe('reading a failed run for an ended Learner Lab session', () => {
  it.each([
    ['STS refusing an expired token', STS_EXPIRED],
    ['a service refusing a token that is no longer valid', TOKEN_INVALID],
    ['S3 refusing to store the state', 'Error saving state: failed to upload state: operation error S3: PutObject, api error ExpiredToken: The provided token has expired.'],
    ['ECS refusing the credentials', 'api error UnrecognizedClientException: The security token included in the request is invalid'],
  ])('recognises %s', (_what, text) => {
    expect(readRunOutput(text).credentialsEnded).toBe(true)
  })

  it('knows Terraform did not save its state from either of its messages', () => {
    expect(readRunOutput('│ Error: Failed to save state').stateNotSaved).toBe(true)
    expect(readRunOutput('Error saving state: failed to upload state: operation error S3: PutObject').stateNotSaved).toBe(true)
    expect(explainRun(readRunOutput('│ Error: Failed to save state'), [], 'npm run deploy')).toContain('state push errored.tfstate')
  })

  it('leaves other failures alone', () => {
    const reading = readRunOutput('Error: creating RDS DB Instance: api error InvalidParameterCombination: RDS does not support creating a DB instance with the following combination')
    expect(reading).toEqual({ credentialsEnded: false, stateNotSaved: false, locks: [], backendChanged: false })
    expect(explainRun(reading, [], 'npm run deploy')).toBeUndefined()
  })

  it('finds the unsaved state and the lock the ended run left, with its stack', () => {
    expect(readRunOutput(S3_MID_APPLY)).toEqual({
      credentialsEnded: true,
      stateNotSaved: true,
      locks: [{ id: 'c7a1e2f0-5b6d-4e3f-9a8b-1c2d3e4f5a6b', stack: 'taskoverflow-core', who: 'student@laptop', created: '2026-11-29 12:00:00.123456 +0000 UTC' }],
      backendChanged: false,
    })
  })

  it('reads them through the colours and cursor moves cdktf passes on from Terraform', () => {
    const coloured = S3_MID_APPLY.split('\n').map((line) => line.replace(/^│/, '\x1b[31m│\x1b[0m \x1b[0m').replace('ExpiredToken', '\x1b[1mExpiredToken\x1b[0m')).join('\n')
    expect(readRunOutput(`\x1b[2K\x1b[1A\x1b[2K\x1b[Gtaskoverflow-core  ${coloured}`)).toEqual(readRunOutput(S3_MID_APPLY))
  })

  it('says in one message what to paste, what to push back, what to unlock, and to run the same command again', () => {
    const kept = [{ stack: 'taskoverflow-core', path: '.terraform-state/errored/taskoverflow-core-2026-11-29T12-06-00-000Z.tfstate' }]
    expect(explainRun(readRunOutput(S3_MID_APPLY), kept, 'npm run pause')).toBe(`The Learner Lab session ended during \`npm run pause\`: AWS no longer accepts its credentials.
  1. Start the lab again, open "AWS Details", press "Show" next to "AWS CLI", and paste the lines under [default] over those in ./credentials (or refresh your own credentials).
  2. Terraform changed taskoverflow-core but could not save its state, so it kept a copy in .terraform-state/errored/taskoverflow-core-2026-11-29T12-06-00-000Z.tfstate. Put it back before anything else, or the next run loses track of what it made:
       terraform -chdir=cdktf.out/stacks/taskoverflow-core state push ../../../.terraform-state/errored/taskoverflow-core-2026-11-29T12-06-00-000Z.tfstate
  3. The state of taskoverflow-core is still locked (taken by student@laptop at 2026-11-29 12:00:00.123456 +0000 UTC). If nobody else is deploying, the run that ended left it; remove it:
       terraform -chdir=cdktf.out/stacks/taskoverflow-core force-unlock -force c7a1e2f0-5b6d-4e3f-9a8b-1c2d3e4f5a6b
  4. Run \`npm run pause\` again: Terraform continues from its state.`)
  })

  it('with local state, only asks for fresh credentials and the same command', () => {
    const message = explainRun(readRunOutput(STS_EXPIRED), [], 'npm run destroy')!
    expect(message.split('\n')).toHaveLength(3)
    expect(message).toContain('Run `npm run destroy` again')
  })

  it('names the lock a later run finds, even with fresh credentials', () => {
    const reading = readRunOutput(`│ Error: Error acquiring the state lock\n│\n│ Error message: operation error S3: PutObject, StatusCode: 412, api error PreconditionFailed\n${LOCK_INFO}`)
    expect(reading.credentialsEnded).toBe(false)
    expect(explainRun(reading, [], 'npm run deploy')).toContain('force-unlock -force c7a1e2f0-5b6d-4e3f-9a8b-1c2d3e4f5a6b')
    // Synthesized elsewhere (CDKTF_OUTDIR), the commands name that folder.
    expect(explainRun(reading, [], 'npm run deploy', '../elsewhere/stacks')).toContain('terraform -chdir=../elsewhere/stacks/taskoverflow-core force-unlock')
  })
})

describe('a state that moved', () => {
  it('says how to move it into the bucket, or to use the bucket\'s, when TASKOVERFLOW_STATE_BUCKET changed', () => {
    const message = explainRun(readRunOutput('│ Error: Backend configuration changed\n│\n│ A change in the backend configuration has been detected, which may require migrating existing state.'), [], 'npm run deploy')
    expect(message).toContain('npm run state-bucket')
    expect(message).toContain('init -reconfigure')
  })
})

describe('keeping the state Terraform could not save', () => {
  const root = testFolder('taskoverflow-errored-')
  afterAll(() => root.remove())

  it('moves each errored.tfstate out of cdktf.out, where the next synth would lose it', () => {
    mkdirSync(join(root.path, 'cdktf.out', 'stacks', 'taskoverflow-core'), { recursive: true })
    mkdirSync(join(root.path, 'cdktf.out', 'stacks', 'taskoverflow-services'), { recursive: true })
    writeFileSync(join(root.path, 'cdktf.out', 'stacks', 'taskoverflow-core', 'errored.tfstate'), '{"version":4}')
    const kept = keepErroredStates(root.path, join(root.path, 'cdktf.out'), new Date('2026-11-29T12:06:00Z'))
    expect(kept).toEqual([{ stack: 'taskoverflow-core', path: '.terraform-state/errored/taskoverflow-core-2026-11-29T12-06-00-000Z.tfstate' }])
    expect(existsSync(join(root.path, kept[0]!.path))).toBe(true)
    expect(existsSync(join(root.path, 'cdktf.out', 'stacks', 'taskoverflow-core', 'errored.tfstate'))).toBe(false)
  })
})

describe('a run that could not reach the Terraform registry', () => {
  it('ends with how to give Terraform its providers offline, and nothing for other failures', () => {
    const offline = '│ Error: Failed to query available provider packages\n│ Could not retrieve the list of available versions for provider hashicorp/aws: could not connect to registry.terraform.io'
    expect(registryHint(offline)).toContain('a CLI configuration with one (TF_CLI_CONFIG_FILE, provider_installation { filesystem_mirror { ... } })')
    expect(registryHint('Error: creating SQS Queue (csse6400_prac): AccessDenied')).toBe('')
  })
})
