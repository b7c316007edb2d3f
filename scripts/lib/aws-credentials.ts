import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { credentialsFile } from '../../stacks/credentials-file.js'
import { ROOT } from './paths.js'

export class PreflightError extends Error {}

/** The practical's file, in the project root. */
export const DEFAULT_CREDENTIALS_FILE = join(ROOT, 'credentials')

const HOW_TO_CREATE = `To create it from the AWS Academy Learner Lab: start the lab, open "AWS Details", press "Show" next to
"AWS CLI", then:
    cp credentials.example credentials
and paste the three lines over the placeholders under [default]. (Outside the Learner Lab, any
standard AWS credentials work instead: environment variables, AWS_PROFILE or ~/.aws/credentials.)`

/** Problems with a credentials file in the Learner Lab format; empty when it looks usable. */
export function credentialsFileProblems(text: string): string[] {
  const sections = new Map<string, Map<string, string>>()
  let current: Map<string, string> | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue
    const section = /^\[(.+)\]$/.exec(line)
    if (section) {
      current = new Map()
      sections.set(section[1]!.trim(), current)
      continue
    }
    const pair = /^([A-Za-z_]+)\s*=\s*(.*)$/.exec(line)
    if (pair && current) current.set(pair[1]!.toLowerCase(), pair[2]!.trim())
  }
  const profile = sections.get('default')
  if (!profile) return ['it has no [default] section']
  const problems: string[] = []
  for (const key of ['aws_access_key_id', 'aws_secret_access_key']) {
    const value = profile.get(key)
    if (!value) problems.push(`[default] has no ${key}`)
    else if (/X{8}|x{8}|EXAMPLE/.test(value)) problems.push(`${key} is still the placeholder from credentials.example`)
  }
  if (profile.get('aws_session_token') && /EXAMPLE/.test(profile.get('aws_session_token')!)) {
    problems.push('aws_session_token is still the placeholder from credentials.example')
  }
  return problems
}

export type CredentialsSource = { kind: 'file'; path: string } | { kind: 'chain'; detail: string }

/** Where deploy and destroy will get credentials from; a PreflightError says how to fix their absence. */
export function findAwsCredentials(env: NodeJS.ProcessEnv = process.env, home = env.HOME ?? '', defaultFile = DEFAULT_CREDENTIALS_FILE): CredentialsSource {
  const { path, named, exists } = credentialsFile(env, dirname(defaultFile), defaultFile)
  if (exists) {
    const problems = credentialsFileProblems(readFileSync(path, 'utf8'))
    if (problems.length > 0) throw new PreflightError(`${path} is not usable: ${problems.join('; ')}.\n${HOW_TO_CREATE}`)
    return { kind: 'file', path }
  }
  if (named) throw new PreflightError(`TASKOVERFLOW_CREDENTIALS_FILE names ${path}, which does not exist.\n${HOW_TO_CREATE}`)
  const chain: Array<[boolean, string]> = [
    [Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY), 'AWS_ACCESS_KEY_ID in the environment'],
    [Boolean(env.AWS_PROFILE), `AWS_PROFILE=${env.AWS_PROFILE}`],
    [Boolean(env.AWS_SHARED_CREDENTIALS_FILE && existsSync(env.AWS_SHARED_CREDENTIALS_FILE)), `${env.AWS_SHARED_CREDENTIALS_FILE}`],
    [Boolean(env.AWS_WEB_IDENTITY_TOKEN_FILE || env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI), 'a role of this machine'],
    [Boolean(home) && (existsSync(join(home, '.aws', 'credentials')) || existsSync(join(home, '.aws', 'config'))), '~/.aws'],
  ]
  const found = chain.find(([present]) => present)
  if (found) return { kind: 'chain', detail: found[1] }
  throw new PreflightError(`No AWS credentials found: there is no ${path}, and no standard AWS credentials.\n${HOW_TO_CREATE}`)
}
