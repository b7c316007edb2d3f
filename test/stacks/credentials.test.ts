import { execFile } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ROOT } from '../../scripts/lib/paths.js'
import { credentialsFileProblems, credentialsSummary } from '../../stacks/credentials-file.js'
import { testFolder } from '../support/test-folder.js'

const folder = testFolder('taskoverflow-synth-credentials-')
afterAll(() => folder.remove())

const valid = '[default]\naws_access_key_id=ASIA4ABCDEFG12345678\naws_secret_access_key=abcdef0123456789abcdef0123456789abcdef01\naws_session_token=IQoJb3JpZ2luX2VjEJr\n'
let paths: { lab: string; placeholder: string; missing: string; home: string; bareHome: string }

beforeAll(() => {
  const at = (name: string) => join(folder.path, name)
  paths = { lab: at('credentials'), placeholder: at('placeholder'), missing: at('missing'), home: at('home'), bareHome: at('bare') }
  writeFileSync(paths.lab, valid)
  writeFileSync(paths.placeholder, '[default]\naws_access_key_id=XXXXXXXXXXXXXXXXXXXX\naws_secret_access_key=xxxxxxxxxxxxxxxxxxxx\n')
  mkdirSync(join(paths.home, '.aws'), { recursive: true })
  writeFileSync(join(paths.home, '.aws', 'credentials'), valid)
  mkdirSync(paths.bareHome)
})

describe('what synth says about credentials', () => {
  it('names the practical file the AWS provider reads', () => {
    expect(credentialsSummary({}, ROOT, paths.bareHome, paths.lab)).toBe(`AWS credentials: the AWS provider reads ${paths.lab}, profile default.`)
    expect(credentialsSummary({ TASKOVERFLOW_CREDENTIALS_FILE: paths.lab }, ROOT, paths.bareHome)).toContain('(TASKOVERFLOW_CREDENTIALS_FILE)')
  })

  it('says a file still holding the placeholders, or named and missing, will fail at plan', () => {
    expect(credentialsSummary({}, ROOT, paths.bareHome, paths.placeholder)).toMatch(/not usable yet \(aws_access_key_id is still the placeholder.*terraform plan will fail/)
    expect(credentialsSummary({ TASKOVERFLOW_CREDENTIALS_FILE: paths.missing }, ROOT, paths.home)).toBe(
      `AWS credentials: TASKOVERFLOW_CREDENTIALS_FILE names ${paths.missing}, which does not exist: terraform plan will fail until it does.`,
    )
  })

  it("says what a newcomer's paste lacks: a Lab key without its session token, or shell export lines", () => {
    const key = 'aws_access_key_id = ASIA4ABCDEFG12345678\naws_secret_access_key = abcdef0123456789abcdef0123456789abcdef01\n'
    expect(credentialsFileProblems(`[default]\n${key}`)).toEqual([
      "aws_access_key_id starts with ASIA, a session's key such as the Learner Lab gives, but [default] has no aws_session_token: copy every line under [default] from AWS Details",
    ])
    expect(credentialsFileProblems(`[default]\n${key}aws_session_token = IQoJb3JpZ2luX2Vj\n`)).toEqual([])
    expect(credentialsFileProblems('export AWS_ACCESS_KEY_ID=ASIA4ABCDEFG12345678\nexport AWS_SECRET_ACCESS_KEY=abc\nexport AWS_SESSION_TOKEN=IQo\n')).toEqual([
      'it holds shell lines (export AWS_...=...), which no AWS tool reads from a credentials file: write them as a line [default], then aws_access_key_id = ..., aws_secret_access_key = ... and aws_session_token = ..., one a line, as credentials.example shows',
    ])
  })

  it('without the file, says what the standard AWS chain finds', () => {
    expect(credentialsSummary({ AWS_PROFILE: 'lab' }, ROOT, paths.bareHome, paths.missing)).toBe(
      `AWS credentials: there is no ${paths.missing}, so the AWS provider uses the standard AWS chain, which finds AWS_PROFILE=lab.`,
    )
    expect(credentialsSummary({}, ROOT, paths.home, paths.missing)).toMatch(/standard AWS chain, which finds ~\/\.aws\.$/)
  })

  it('finding nothing, says plan will stop with "No valid credential sources found" and what to do', () => {
    const summary = credentialsSummary({}, ROOT, paths.bareHome, paths.missing)
    expect(summary).toContain('AWS credentials: none found.')
    expect(summary).toContain('"No valid credential sources found"')
    expect(summary).toContain(`into ${paths.missing} (cp credentials.example credentials`)
  })

  it('is printed by npm run synth beside the summary line', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'stacks/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: join(folder.path, 'out'), TASKOVERFLOW_CREDENTIALS_FILE: paths.missing },
    })
    expect(stdout).toContain('Synthesized queue-playground, taskoverflow-core, taskoverflow-images, taskoverflow-services')
    expect(stdout).toContain(`AWS credentials: TASKOVERFLOW_CREDENTIALS_FILE names ${paths.missing}, which does not exist`)
  })
})
