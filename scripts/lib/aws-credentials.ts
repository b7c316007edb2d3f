import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { isAwsError } from '../../containers/shared/src/aws-errors.js'
import { credentialsFile, credentialsFileProblems, standardChainSource, useCredentialsFile } from '../../stacks/credentials-file.js'
import { PreflightError } from './errors.js'
import { ROOT } from './paths.js'

/**
 * AWS's error codes (the SDK's `err.name`, and the code the AWS provider prints) for credentials
 * that have expired or are no longer valid: what the end of a Learner Lab session gives.
 */
export const ENDED_CREDENTIALS = ['ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException', 'InvalidAccessKeyId'] as const

/** Those, and credentials AWS will not take at all (a secret key that does not match). */
export const REFUSED_CREDENTIALS: ReadonlySet<string> = new Set([...ENDED_CREDENTIALS, 'SignatureDoesNotMatch'])

/** The practical's file, in the project root. */
const DEFAULT_CREDENTIALS_FILE = join(ROOT, 'credentials')

const FROM_THE_LAB = 'start the lab, open "AWS Details" and press "Show" next to "AWS CLI"'
const OUTSIDE_THE_LAB = `(Outside the Learner Lab, any standard AWS credentials work instead: environment variables,
AWS_PROFILE or ~/.aws/credentials.)`

/** How to make the credentials file from the Learner Lab. */
const HOW_TO_CREATE = `To create it from the AWS Academy Learner Lab: ${FROM_THE_LAB}, then:
    cp credentials.example credentials
and paste the lines under [default] over the placeholders. ${OUTSIDE_THE_LAB}`

/** How to fill in the credentials file that is there already. */
const HOW_TO_FILL = `To fill it in from the AWS Academy Learner Lab: ${FROM_THE_LAB}, and paste the
lines under [default] over what the file holds under [default]. ${OUTSIDE_THE_LAB}`

const namedFileMissing = (path: string) => new PreflightError(`TASKOVERFLOW_CREDENTIALS_FILE names ${path}, which does not exist.\n${HOW_TO_CREATE}`)

export type CredentialsSource = { kind: 'file'; path: string } | { kind: 'chain'; detail: string }

/** Where deploy and destroy will get credentials from; a PreflightError says how to fix their absence. */
export function findAwsCredentials(env: NodeJS.ProcessEnv = process.env, home = env.HOME ?? '', defaultFile = DEFAULT_CREDENTIALS_FILE): CredentialsSource {
  const { path, named, exists } = credentialsFile(env, dirname(defaultFile), defaultFile)
  if (exists) {
    const problems = credentialsFileProblems(readFileSync(path, 'utf8'))
    if (problems.length > 0) {
      // The file comes first, as Terraform's provider is given it: credentials in the environment do not count while it is there.
      const instead = env.AWS_ACCESS_KEY_ID ? `\nTo use the AWS_ACCESS_KEY_ID in your environment instead, remove ${path}.` : ''
      throw new PreflightError(`${path} is not usable: ${problems.join('; ')}.\n${HOW_TO_FILL}${instead}`)
    }
    return { kind: 'file', path }
  }
  if (named) throw namedFileMissing(path)
  const found = standardChainSource(env, home)
  if (found) return { kind: 'chain', detail: found }
  throw new PreflightError(`No AWS credentials found: there is no ${path}, and no standard AWS credentials.\n${HOW_TO_CREATE}`)
}

/**
 * For `npm start` against a real queue: the practical's file made the SDK's shared credentials
 * file when it exists, then credentials the SDK's own chain finds (environment, that file,
 * profiles, an instance role), as the services' clients will look for them; a PreflightError
 * says how to add them.
 */
export async function useSdkCredentials(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { path, named, exists } = credentialsFile(env, ROOT)
  if (named && !exists) throw namedFileMissing(path)
  useCredentialsFile(env, ROOT)
  try {
    await fromNodeProviderChain()()
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err)
    throw new PreflightError(`No AWS credentials for the queue in ICAL_QUEUE_URL (${why}).\n${HOW_TO_CREATE}`)
  }
}

/**
 * For `npm start` against a real queue: the queue answers with these credentials, before anything
 * starts, so an ended Lab session is one line rather than a service that fails at its first call.
 */
export async function checkQueueAnswers(sqs: SQSClient, queueUrl: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
  } catch (err) {
    if (isAwsCallFailure(err)) throw awsFailure(err, 'reach the queue in ICAL_QUEUE_URL', findAwsCredentials(env))
    throw err
  }
}

/** For an SDK client: the practical's file when that is where they are, else the SDK's own chain. */
export const clientCredentials = (source: CredentialsSource): { credentials?: ReturnType<typeof fromIni> } =>
  source.kind === 'file' ? { credentials: fromIni({ filepath: source.path, profile: 'default' }) } : {}

/** Node's codes for an endpoint that cannot be reached: refused, no such host, no answer, cut off. */
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET'])

/**
 * A call to AWS that failed in AWS (isAwsError, as a service's start tells them) or on the way,
 * rather than a bug of this code, whose stack is worth keeping.
 */
export function isAwsCallFailure(err: unknown): err is Error {
  if (!(err instanceof Error)) return false
  const { name, code } = err as Error & { code?: unknown }
  return isAwsError(err) || name === 'TimeoutError' || NETWORK_ERRORS.has(String(code))
}

/**
 * One line for an AWS call that failed: credentials AWS refuses (a Learner Lab session that
 * ended, usually) with where to put fresh ones, anything else (no network, throttling) as what
 * could not be done and AWS's or the network's own words.
 */
export function awsFailure(err: unknown, doing: string, source: CredentialsSource): PreflightError {
  const message = err instanceof Error ? err.message : String(err)
  if (err instanceof Error && REFUSED_CREDENTIALS.has(err.name)) {
    return new PreflightError(
      `AWS does not accept these credentials (${message}). Learner Lab credentials last one session: copy fresh ones from "AWS Details" into ${source.kind === 'file' ? source.path : 'your credentials'}.`,
    )
  }
  return new PreflightError(`Could not ${doing}: ${message}`)
}
