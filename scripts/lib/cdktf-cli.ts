import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { fromIni } from '@aws-sdk/credential-providers'
import { DeployConfigError, readDeployConfig } from '../../stacks/config.js'
import { findAwsCredentials, PreflightError, type CredentialsSource } from './aws-credentials.js'
import { checkDocker } from './docker-preflight.js'
import { ROOT } from './paths.js'

/** Every stack, in deploy order; destroy goes the other way (cdktf follows the dependencies too). */
export const ALL_STACKS = ['queue-playground', 'taskoverflow-core', 'taskoverflow-images', 'taskoverflow-services'] as const

/** Stack names from the command line, checked; all of them when none are given. */
export function selectStacks(args: readonly string[]): string[] {
  if (args.length === 0) return [...ALL_STACKS]
  const unknown = args.filter((arg) => !(ALL_STACKS as readonly string[]).includes(arg))
  if (unknown.length > 0) throw new PreflightError(`Unknown stack ${unknown.join(', ')}; the stacks are ${ALL_STACKS.join(', ')}`)
  return ALL_STACKS.filter((stack) => args.includes(stack))
}

/** Credentials present, and accepted by AWS: expired Learner Lab sessions are the usual failure. */
export async function checkCredentials(region: string): Promise<CredentialsSource> {
  const source = findAwsCredentials()
  const sts = new STSClient({ region, ...(source.kind === 'file' ? { credentials: fromIni({ filepath: source.path, profile: 'default' }) } : {}) })
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.timeout(15_000) })
    console.log(`AWS account ${identity.Account} as ${identity.Arn} (credentials from ${source.kind === 'file' ? source.path : source.detail})`)
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    throw new PreflightError(
      /expired|ExpiredToken|InvalidClientTokenId|security token/i.test(`${(err as Error).name} ${message}`)
        ? `AWS does not accept these credentials (${message}). Learner Lab credentials last one session: copy fresh ones from "AWS Details" into ${source.kind === 'file' ? source.path : 'your credentials'}.`
        : `Could not check the AWS credentials with STS: ${message}`,
    )
  } finally {
    sts.destroy()
  }
  return source
}

/**
 * What deploy and destroy check before cdktf runs: the settings, that AWS accepts the
 * credentials and, when the images stack is among them, Docker (the docker provider talks to the
 * engine even to forget the images it built). Resolves to the environment cdktf needs, the
 * endpoint for the docker provider, and notes about Docker worth printing.
 */
export async function preflight(stacks: readonly string[]): Promise<{ env: Record<string, string>; notes: string[] }> {
  const config = readDeployConfig(process.env)
  await checkCredentials(config.region)
  return stacks.includes('taskoverflow-images') ? checkDocker(config.arch) : { env: {}, notes: [] }
}

/** Runs the cdktf CLI of this project; resolves to its exit code. */
export function cdktf(args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'cdktf'), args, {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env },
    })
    child.once('exit', (code) => resolve(code ?? 1))
  })
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
