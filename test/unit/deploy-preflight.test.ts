import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { findAwsCredentials } from '../../scripts/lib/aws-credentials.js'
import { PreflightError } from '../../scripts/lib/errors.js'
import { selectStacks } from '../../scripts/aws/commands.js'
import { readDeployConfig } from '../../stacks/config.js'
import { credentialsFile, credentialsFileProblems, useCredentialsFile } from '../../stacks/credentials-file.js'
import { ROOT } from '../../scripts/lib/paths.js'
import { terraformStandIn } from '../support/terraform-stand-in.js'
import { testFolder } from '../support/test-folder.js'

const home = testFolder('taskoverflow-home-')
afterAll(() => home.remove())

const valid = '[default]\naws_access_key_id=ASIA4ABCDEFG12345678\naws_secret_access_key=abcdef0123456789abcdef0123456789abcdef01\naws_session_token=IQoJb3JpZ2luX2VjEJr\n'

describe('the credentials file', () => {
  it('accepts the Learner Lab format', () => {
    expect(credentialsFileProblems(valid)).toEqual([])
  })

  it('explains what is wrong with it', () => {
    expect(credentialsFileProblems('aws_access_key_id=x')).toEqual(['it has no [default] section'])
    expect(credentialsFileProblems('[default]\naws_access_key_id=AKIA1234')).toEqual(['[default] has no aws_secret_access_key'])
    expect(credentialsFileProblems(readFileSync(join(ROOT, 'credentials.example'), 'utf8'))).toContain('aws_access_key_id is still the placeholder from credentials.example')
  })
})

describe('finding credentials before a deploy', () => {
  it('prefers the practical credentials file', () => {
    const file = join(home.path, 'credentials')
    writeFileSync(file, valid)
    expect(findAwsCredentials({ TASKOVERFLOW_CREDENTIALS_FILE: file }, home.path)).toEqual({ kind: 'file', path: file })
  })

  it('falls back to the standard AWS chain when there is no such file', () => {
    const none = join(home.path, 'no-such-credentials')
    const keys = { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's' }
    expect(findAwsCredentials(keys, join(home.path, 'nowhere'), none)).toEqual({ kind: 'chain', detail: 'AWS_ACCESS_KEY_ID in the environment' })
    expect(findAwsCredentials({ AWS_PROFILE: 'lab' }, join(home.path, 'nowhere'), none)).toEqual({ kind: 'chain', detail: 'AWS_PROFILE=lab' })
    mkdirSync(join(home.path, '.aws'), { recursive: true })
    writeFileSync(join(home.path, '.aws', 'config'), '[default]\nregion=us-east-1\n')
    expect(findAwsCredentials({}, home.path, none)).toEqual({ kind: 'chain', detail: '~/.aws' })
  })

  it('refuses a credentials file still holding the placeholders, saying how to fill it in, not to copy it again', () => {
    expect(() => findAwsCredentials({}, home.path, join(ROOT, 'credentials.example'))).toThrow(/still the placeholder/)
    const message = (() => {
      try {
        findAwsCredentials({}, home.path, join(ROOT, 'credentials.example'))
        return ''
      } catch (err) {
        return (err as Error).message
      }
    })()
    expect(message).toContain('paste the\nlines under [default] over what the file holds')
    expect(message).not.toContain('cp credentials.example')
    // Keys in the environment do not count while the file is there: say how to use them.
    const placeholder = join(ROOT, 'credentials.example')
    expect(() => findAwsCredentials({ AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's' }, home.path, placeholder)).toThrow(`To use the AWS_ACCESS_KEY_ID in your environment instead, remove ${placeholder}.`)
  })

  it('fails with how to create the file when there is nothing at all', () => {
    const bare = mkdtempSync(join(tmpdir(), 'taskoverflow-bare-'))
    try {
      const none = join(bare, 'credentials')
      expect(() => findAwsCredentials({}, bare, none)).toThrow(PreflightError)
      expect(() => findAwsCredentials({}, bare, none)).toThrow(/No AWS credentials found[\s\S]*cp credentials\.example credentials/)
    } finally {
      rmSync(bare, { recursive: true, force: true })
    }
  })

  it('knows the stacks and refuses a name it does not know', () => {
    expect(selectStacks([])).toEqual(['queue-playground', 'taskoverflow-core', 'taskoverflow-images', 'taskoverflow-services'])
    expect(selectStacks(['taskoverflow-services', 'taskoverflow-core'])).toEqual(['taskoverflow-core', 'taskoverflow-services'])
    expect(() => selectStacks(['prod'])).toThrow('Unknown stack prod')
  })
})

/** `npm run <script>` without npm, in a bare environment plus `env`; resolves to its exit code and output. */
function runScript(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // Any file that exists passes the terraform check, which comes first; these tests are about what follows it.
    const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`], { cwd: ROOT, env: { PATH: process.env.PATH, TERRAFORM_BIN: terraformStandIn(home.path, undefined, 'terraform-stand-in'), ...env } })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.once('exit', (code) => resolve({ code, output }))
  })
}
const deploy = (env: Record<string, string>) => runScript('deploy', env)

/** The error document of a Query-protocol service (STS, RDS) for this code. */
const queryError = (code: string, message: string) => `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>0</RequestId></ErrorResponse>`

/** An STS endpoint answering every request with this error, as STS words it (Query protocol, XML). */
async function stsAnswering(status: number, code: string, message: string): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'text/xml' })
    res.end(queryError(code, message))
  }).listen(0, '127.0.0.1')
  await once(server, 'listening')
  return server
}

describe('npm run deploy with credentials AWS refuses', () => {
  it.each([
    ['an expired Lab session', 403, 'ExpiredToken', 'The security token included in the request is expired', 'AWS does not accept these credentials'],
    ['STS being busy', 400, 'Throttling', 'Rate exceeded', 'Could not check the AWS credentials with STS: Rate exceeded'],
  ])('tells %s from its error code, in one line', async (_what, status, code, message, expected) => {
    const sts = await stsAnswering(status, code, message)
    const file = join(home.path, `credentials-${code}`)
    writeFileSync(file, valid)
    try {
      const run = await deploy({ HOME: home.path, TASKOVERFLOW_CREDENTIALS_FILE: file, AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${(sts.address() as AddressInfo).port}`, AWS_MAX_ATTEMPTS: '1' })
      expect(run.code).toBe(1)
      expect(run.output).toContain(expected)
      expect(run.output).not.toMatch(/\n\s+at /)
    } finally {
      sts.close()
    }
  }, 20_000)
})

describe('npm run resume when the session ends after its checks', () => {
  it('says so as a deploy whose session ended does, when AWS refuses the credentials STS took a moment before', async () => {
    // One endpoint for every service: STS knows the caller, S3 and RDS answer as they do once the session has ended.
    const aws = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk) => (body += chunk))
      req.on('end', () => {
        if (body.includes('Action=GetCallerIdentity')) {
          res.writeHead(200, { 'content-type': 'text/xml' })
          res.end('<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:sts::123456789012:assumed-role/voclabs/student</Arn><UserId>AROA:student</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>0</RequestId></ResponseMetadata></GetCallerIdentityResponse>')
          return
        }
        res.writeHead(403, { 'content-type': 'text/xml' })
        res.end(body.includes('Action=') ? queryError('ExpiredToken', 'The security token included in the request is expired') : '<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>')
      })
    }).listen(0, '127.0.0.1')
    await once(aws, 'listening')
    const endpoint = `http://127.0.0.1:${(aws.address() as AddressInfo).port}`
    const file = join(home.path, 'credentials-resume')
    writeFileSync(file, valid)
    try {
      // A team's bucket: the state is not on this machine, so resume goes on to read it from S3.
      const settings = { TASKOVERFLOW_STATE_BUCKET: 'team-7-state', TASKOVERFLOW_CREDENTIALS_FILE: file }
      const run = await runScript('resume', { HOME: home.path, ...settings, AWS_ENDPOINT_URL: endpoint, AWS_MAX_ATTEMPTS: '1' })
      expect(run.output).toContain('AWS account 123456789012')
      expect(run.output).toMatch(/The Learner Lab session ended during `npm run resume`: AWS no longer accepts its credentials\.\n {2}1\. Start the lab again[^\n]+\n {2}2\. Run `npm run resume` again/)
      expect(run.output).not.toMatch(/\n\s+at /)
      expect(run.code).toBe(1)
    } finally {
      aws.close()
    }
  }, 60_000)
})

describe('npm run deploy without terraform', () => {
  it('says where to get it, in one line, before it asks AWS anything', async () => {
    // A PATH of one empty folder (the script is started by its full path to node).
    const run = await runScript('deploy', { PATH: home.path, TERRAFORM_BIN: '', HOME: home.path, TASKOVERFLOW_CREDENTIALS_FILE: join(home.path, 'no-credentials') })
    expect(run.output).toContain('The terraform CLI (1.10 or newer) is not on the PATH. Install it from https://developer.hashicorp.com/terraform/install, or set TERRAFORM_BIN.')
    expect(run.output).not.toMatch(/\n\s+at /)
    expect(run.code).toBe(1)
  }, 20_000)
})

describe('npm run deploy without credentials', () => {
  it('fails at once, saying how to create the credentials file, without a stack trace', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'taskoverflow-bare-'))
    const started = Date.now()
    const { code, output } = await deploy({ HOME: bare, TASKOVERFLOW_CREDENTIALS_FILE: join(bare, 'credentials') })
    rmSync(bare, { recursive: true, force: true })
    expect(code).toBe(1)
    expect(output).toContain('TASKOVERFLOW_CREDENTIALS_FILE names')
    expect(output).toContain('cp credentials.example credentials')
    expect(output).not.toMatch(/\n\s+at /)
    expect(Date.now() - started).toBeLessThan(15_000)
  }, 20_000)
})

describe('the one credentials-file rule every command follows', () => {
  it('takes TASKOVERFLOW_CREDENTIALS_FILE when set, else ./credentials, and points the SDK there only when the file exists', () => {
    const root = mkdtempSync(join(tmpdir(), 'taskoverflow-root-'))
    try {
      expect(credentialsFile({}, root)).toEqual({ path: join(root, 'credentials'), named: false, exists: false })
      const env: NodeJS.ProcessEnv = {}
      useCredentialsFile(env, root)
      expect(env.AWS_SHARED_CREDENTIALS_FILE).toBeUndefined()

      writeFileSync(join(root, 'credentials'), valid)
      useCredentialsFile(env, root)
      expect(env.AWS_SHARED_CREDENTIALS_FILE).toBe(join(root, 'credentials'))
      const chosen: NodeJS.ProcessEnv = { AWS_SHARED_CREDENTIALS_FILE: '/elsewhere' }
      useCredentialsFile(chosen, root)
      expect(chosen.AWS_SHARED_CREDENTIALS_FILE).toBe('/elsewhere')

      const named = { TASKOVERFLOW_CREDENTIALS_FILE: join(root, 'lab.ini') }
      expect(credentialsFile(named, root)).toEqual({ path: join(root, 'lab.ini'), named: true, exists: false })
      const fromNamed: NodeJS.ProcessEnv = { ...named }
      writeFileSync(join(root, 'lab.ini'), valid)
      useCredentialsFile(fromNamed, root)
      expect(fromNamed.AWS_SHARED_CREDENTIALS_FILE).toBe(join(root, 'lab.ini'))
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
