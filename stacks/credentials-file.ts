import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { PROJECT_ROOT_FROM_STACK } from './stack-paths'

export interface CredentialsFile {
  readonly path: string
  /** Named by TASKOVERFLOW_CREDENTIALS_FILE, rather than the practical's ./credentials. */
  readonly named: boolean
  readonly exists: boolean
}

/**
 * The one rule every command follows for the practical's credentials file (Learner Lab format):
 * TASKOVERFLOW_CREDENTIALS_FILE when set, else `credentials` in the project folder. Synth, deploy,
 * destroy, `npm start` with real SQS and the queue CLI all ask here.
 */
export function credentialsFile(env: Record<string, string | undefined>, projectRoot: string, practicalFile = join(projectRoot, 'credentials')): CredentialsFile {
  const named = Boolean(env.TASKOVERFLOW_CREDENTIALS_FILE)
  const path = named ? resolve(env.TASKOVERFLOW_CREDENTIALS_FILE!) : practicalFile
  return { path, named, exists: existsSync(path) }
}

/**
 * The credentials file (the one TASKOVERFLOW_CREDENTIALS_FILE names, if any) as the stacks' AWS
 * provider and S3 backend are given it: the practical's,
 * relative to each stack's folder so the JSON works from any checkout; a named one as it is;
 * undefined, for the standard AWS chain, when there is no file.
 */
export function providerCredentialsFile(named: string | undefined, projectRoot: string): string | undefined {
  const file = credentialsFile({ TASKOVERFLOW_CREDENTIALS_FILE: named }, projectRoot)
  return file.named ? file.path : file.exists ? `${PROJECT_ROOT_FROM_STACK}/credentials` : undefined
}

/** For the SDK-based commands: point the SDK at the file when it exists, unless the user already chose one. */
export function useCredentialsFile(env: NodeJS.ProcessEnv, projectRoot: string): void {
  const file = credentialsFile(env, projectRoot)
  if (file.exists) env.AWS_SHARED_CREDENTIALS_FILE ??= file.path
}

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
  // The Lab's "AWS CLI" box pasted as shell lines: the tools read no such lines from this file.
  if (/^\s*export\s+AWS_[A-Z_]+=/m.test(text)) {
    return ['it holds shell lines (export AWS_...=...), which no AWS tool reads from a credentials file: write them as a line [default], then aws_access_key_id = ..., aws_secret_access_key = ... and aws_session_token = ..., one a line, as credentials.example shows']
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
  // ASIA keys are a session's (the Learner Lab's): without their token AWS refuses them.
  if (/^ASIA/.test(profile.get('aws_access_key_id') ?? '') && !profile.get('aws_session_token')) {
    problems.push("aws_access_key_id starts with ASIA, a session's key such as the Learner Lab gives, but [default] has no aws_session_token: copy every line under [default] from AWS Details")
  }
  return problems
}

/**
 * Where the standard AWS chain (the SDKs', and Terraform's AWS provider's) would find credentials
 * on this machine, in its order; undefined when nowhere it can see. An EC2 instance's own role is
 * beyond its sight.
 */
export function standardChainSource(env: Record<string, string | undefined>, home: string): string | undefined {
  const chain: Array<[boolean, string]> = [
    [Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY), 'AWS_ACCESS_KEY_ID in the environment'],
    [Boolean(env.AWS_PROFILE), `AWS_PROFILE=${env.AWS_PROFILE}`],
    [Boolean(env.AWS_SHARED_CREDENTIALS_FILE && existsSync(env.AWS_SHARED_CREDENTIALS_FILE)), `${env.AWS_SHARED_CREDENTIALS_FILE}`],
    [Boolean(env.AWS_WEB_IDENTITY_TOKEN_FILE || env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI), 'a role of this machine'],
    [Boolean(home) && (existsSync(join(home, '.aws', 'credentials')) || existsSync(join(home, '.aws', 'config'))), '~/.aws'],
  ]
  return chain.find(([present]) => present)?.[1]
}

/**
 * What synth says about credentials: which the stacks' AWS provider will use and where, or, when
 * it will find none, that `terraform plan` will stop with "No valid credential sources found" and
 * what to do first.
 */
export function credentialsSummary(env: Record<string, string | undefined>, projectRoot: string, home = env.HOME ?? '', practicalFile?: string): string {
  const { path, named, exists } = credentialsFile(env, projectRoot, practicalFile)
  const fix = `copy the Learner Lab's from "AWS Details" into ${path} (cp credentials.example credentials, then paste them), or set standard AWS credentials`
  if (exists) {
    const problems = credentialsFileProblems(readFileSync(path, 'utf8'))
    if (problems.length === 0) return `AWS credentials: the AWS provider reads ${path}${named ? ' (TASKOVERFLOW_CREDENTIALS_FILE)' : ''}, profile default.`
    return `AWS credentials: the AWS provider reads ${path}, which is not usable yet (${problems.join('; ')}): terraform plan will fail until it holds the Learner Lab's credentials.`
  }
  if (named) return `AWS credentials: TASKOVERFLOW_CREDENTIALS_FILE names ${path}, which does not exist: terraform plan will fail until it does.`
  const found = standardChainSource(env, home)
  if (found) return `AWS credentials: there is no ${path}, so the AWS provider uses the standard AWS chain, which finds ${found}.`
  return (
    `AWS credentials: none found. There is no ${path}, and the standard AWS chain finds nothing here (no AWS_ACCESS_KEY_ID, AWS_PROFILE or ~/.aws), ` +
    `so terraform plan will stop with "No valid credential sources found": ${fix}, then synth again.`
  )
}

