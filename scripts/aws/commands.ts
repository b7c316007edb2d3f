/**
 * What deploy, destroy, pause, resume and state-bucket share: the stacks by name, the checks
 * before anything runs, and how a script ends.
 */
import { writeSync } from 'node:fs'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { DEPLOYMENT_SETTINGS, DeployConfigError, readDeployConfig, type DeployConfig } from '../../stacks/config.js'
import { nearestSetting, SETTINGS_PAGE } from '../../containers/shared/src/setting-formats.js'
import { APP_STACKS, IMAGES_STACK } from '../../stacks/stack-names.js'
import { awsFailure, clientCredentials, findAwsCredentials, isAwsCallFailure, type CredentialsSource } from '../lib/aws-credentials.js'
import { isAwsError } from '../../containers/shared/src/aws-errors.js'
import { PreflightError } from '../lib/errors.js'
import { checkDocker } from './docker-preflight.js'
import { explainAwsCall } from './session-end.js'
import { synthesizeForTerraform } from './app-synth.js'
import { awsClients, type Lifecycle, type TerraformRunner } from './lifecycle.js'
import { runStacks } from './stack-runner.js'
import { checkTerraform } from './terraform.js'

/** Stack names from the command line, checked; all of them when none are given. A slip is named with the nearest stack. */
export function selectStacks(args: readonly string[]): string[] {
  if (args.length === 0) return [...APP_STACKS]
  const unknown = args.filter((arg) => !(APP_STACKS as readonly string[]).includes(arg))
  if (unknown.length > 0) {
    const slips = unknown.map((arg) => {
      const { setting, edits } = nearestSetting(arg, APP_STACKS)
      return edits <= 4 ? `${arg} (did you mean ${setting}?)` : arg
    })
    throw new PreflightError(`Unknown stack ${slips.join(', ')}; the stacks are ${APP_STACKS.join(', ')}`)
  }
  return APP_STACKS.filter((stack) => args.includes(stack))
}

/** How a command that takes stack names is used, and what it reads: for `-- --help`. */
export function stacksUsage(command: string, does: string): string {
  return [
    `${command} [-- STACK...]: ${does}, or only those named, of`,
    `  ${APP_STACKS.join(', ')}`,
    `Its settings are environment variables, listed in ${SETTINGS_PAGE}:`,
    `  ${DEPLOYMENT_SETTINGS.join(', ')}`,
  ].join('\n')
}

/** The stacks a command was given; --help prints its usage, and a wrong name one line, and both end it there. */
export function stacksOrExit(command: string, does: string, args: readonly string[] = process.argv.slice(2)): string[] {
  if (args.some((arg) => arg === '--help' || arg === '-h')) {
    console.log(stacksUsage(command, does))
    process.exit(0)
  }
  try {
    return selectStacks(args)
  } catch (err) {
    if (!(err instanceof PreflightError)) throw err
    writeSync(2, `${err.message}\n`)
    process.exit(2)
  }
}

/** Credentials present, and accepted by AWS: expired Learner Lab sessions are the usual failure. */
export async function checkCredentials(region: string): Promise<CredentialsSource & { account: string }> {
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
  await checkTerraform()
  const credentials = await checkCredentials(config.region)
  const docker = stacks.includes(IMAGES_STACK) ? await checkDocker(config.arch) : { env: {}, notes: [] }
  return { config, credentials, ...docker }
}

export type Preflight = Awaited<ReturnType<typeof preflight>>

/**
 * For deploy, pause, resume and destroy: the checks, then `main` with the lifecycle it works with,
 * the real AWS clients and Terraform (runStacks) behind it, the clients closed after.
 */
export async function withLifecycle(command: string, stacks: readonly string[], main: (ctx: Lifecycle, checked: Preflight) => Promise<number>): Promise<number> {
  const checked = await preflight(stacks)
  const aws = awsClients(checked.config, checked.credentials)
  try {
    const terraform: TerraformRunner = (verb, names, app, options) => runStacks(verb, names, { outdir: app.outdir, env: checked.env, ...options })
    return await main({ config: checked.config, aws, terraform, synthesize: synthesizeForTerraform, log: (line) => console.log(line), command }, checked)
  } finally {
    aws.destroy()
  }
}

/**
 * Runs `main`, printing a PreflightError or a settings error as one message without a stack
 * trace; with the `command` the user typed, an AWS call refused because the Lab session ended
 * part-way is told as Terraform's own refusals are (session-end.ts), and any other AWS failure
 * in one line.
 */
export function runScript(main: () => Promise<number>, command?: string): void {
  main().then(
    (code) => {
      process.exitCode = code
    },
    (err: unknown) => {
      const ended = command ? explainAwsCall(err, command) : undefined
      if (ended) console.error(ended)
      else if (err instanceof PreflightError || err instanceof DeployConfigError) console.error(err.message)
      else if (command && isAwsCallFailure(err)) {
        const { name, message } = err
        const why = isAwsError(err) ? `AWS answered ${name}: ${message}` : `AWS could not be reached (${message})`
        console.error(`\`${command}\` stopped: ${why}. Run it again once that is resolved: each of its steps goes on from where it stopped.`)
      } else console.error(err)
      process.exitCode = 1
    },
  )
}
