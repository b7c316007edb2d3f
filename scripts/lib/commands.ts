/**
 * What deploy, destroy, pause, resume and state-bucket share: the stacks by name, the checks
 * before anything runs, and how a script ends.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { fromIni } from '@aws-sdk/credential-providers'
import { DeployConfigError, readDeployConfig, type DeployConfig } from '../../stacks/config.js'
import { APP_STACKS, IMAGES_STACK } from '../../stacks/stack-names.js'
import { findAwsCredentials, PreflightError, REFUSED_CREDENTIALS, type CredentialsSource } from './aws-credentials.js'
import { checkDocker } from './docker-preflight.js'
import { findTerraform } from './terraform.js'

/** Stack names from the command line, checked; all of them when none are given. */
export function selectStacks(args: readonly string[]): string[] {
  if (args.length === 0) return [...APP_STACKS]
  const unknown = args.filter((arg) => !(APP_STACKS as readonly string[]).includes(arg))
  if (unknown.length > 0) throw new PreflightError(`Unknown stack ${unknown.join(', ')}; the stacks are ${APP_STACKS.join(', ')}`)
  return APP_STACKS.filter((stack) => args.includes(stack))
}

/** For an SDK client: the practical's file when that is where they are, else the SDK's own chain. */
export const clientCredentials = (source: CredentialsSource): { credentials?: ReturnType<typeof fromIni> } =>
  source.kind === 'file' ? { credentials: fromIni({ filepath: source.path, profile: 'default' }) } : {}

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

/** Credentials present, and accepted by AWS: expired Learner Lab sessions are the usual failure. */
async function checkCredentials(region: string): Promise<CredentialsSource & { account: string }> {
  const source = findAwsCredentials()
  const sts = new STSClient({ region, ...clientCredentials(source) })
  let account: string
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.timeout(15_000) })
    console.log(`AWS account ${identity.Account} as ${identity.Arn} (credentials from ${source.kind === 'file' ? source.path : source.detail})`)
    account = identity.Account!
  } catch (err) {
    throw awsFailure(err, 'check the AWS credentials with STS', source)
  } finally {
    sts.destroy()
  }
  return { ...source, account }
}

/**
 * What deploy, destroy, pause and resume check before Terraform runs: the settings, the terraform
 * CLI, that AWS accepts the credentials and, when the images stack is among them, Docker (the
 * docker provider talks to the engine even to forget the images it built). Resolves to the
 * settings, the credentials, the environment Terraform needs (the endpoint for the docker
 * provider) and notes about Docker worth printing.
 */
export async function preflight(stacks: readonly string[]): Promise<{ config: DeployConfig; credentials: CredentialsSource & { account: string }; env: Record<string, string>; notes: string[] }> {
  const config = readDeployConfig(process.env)
  findTerraform()
  const credentials = await checkCredentials(config.region)
  const docker = stacks.includes(IMAGES_STACK) ? await checkDocker(config.arch) : { env: {}, notes: [] }
  return { config, credentials, ...docker }
}

/** Runs `main`, printing a PreflightError or a settings error as one message without a stack trace. */
export function runScript(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code
    },
    (err: unknown) => {
      console.error(err instanceof PreflightError || err instanceof DeployConfigError ? err.message : err)
      process.exitCode = 1
    },
  )
}
