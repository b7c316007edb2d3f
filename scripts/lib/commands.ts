/**
 * What deploy, destroy, pause, resume and state-bucket share: the stacks by name, the checks
 * before anything runs, and how a script ends.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { DeployConfigError, readDeployConfig, type DeployConfig } from '../../stacks/config.js'
import { APP_STACKS, IMAGES_STACK } from '../../stacks/stack-names.js'
import { awsFailure, clientCredentials, findAwsCredentials, type CredentialsSource } from './aws-credentials.js'
import { PreflightError } from './errors.js'
import { checkDocker } from './docker-preflight.js'
import { findTerraform } from './terraform.js'

/** Stack names from the command line, checked; all of them when none are given. */
export function selectStacks(args: readonly string[]): string[] {
  if (args.length === 0) return [...APP_STACKS]
  const unknown = args.filter((arg) => !(APP_STACKS as readonly string[]).includes(arg))
  if (unknown.length > 0) throw new PreflightError(`Unknown stack ${unknown.join(', ')}; the stacks are ${APP_STACKS.join(', ')}`)
  return APP_STACKS.filter((stack) => args.includes(stack))
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
 * What deploy, destroy, pause, resume and state-bucket check before Terraform runs: the settings, the terraform
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
