import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { credentialsFile, credentialsFileProblems, standardChainSource } from '../../stacks/credentials-file.js'
import { ROOT } from './paths.js'

export class PreflightError extends Error {}

/**
 * AWS's error codes (the SDK's `err.name`, and the code the AWS provider prints) for credentials
 * that have expired or are no longer valid: what the end of a Learner Lab session gives.
 */
export const ENDED_CREDENTIALS = ['ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException', 'InvalidAccessKeyId'] as const

/** Those, and credentials AWS will not take at all (a secret key that does not match). */
export const REFUSED_CREDENTIALS: ReadonlySet<string> = new Set([...ENDED_CREDENTIALS, 'SignatureDoesNotMatch'])

/** The practical's file, in the project root. */
const DEFAULT_CREDENTIALS_FILE = join(ROOT, 'credentials')

const HOW_TO_CREATE = `To create it from the AWS Academy Learner Lab: start the lab, open "AWS Details", press "Show" next to
"AWS CLI", then:
    cp credentials.example credentials
and paste the three lines over the placeholders under [default]. (Outside the Learner Lab, any
standard AWS credentials work instead: environment variables, AWS_PROFILE or ~/.aws/credentials.)`

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
  const found = standardChainSource(env, home)
  if (found) return { kind: 'chain', detail: found }
  throw new PreflightError(`No AWS credentials found: there is no ${path}, and no standard AWS credentials.\n${HOW_TO_CREATE}`)
}
