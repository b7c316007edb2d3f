import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { promisify } from 'node:util'
import { PreflightError } from '../lib/errors.js'

const run = promisify(execFile)

/**
 * The oldest Terraform the commands run: 1.10 brought the S3 backend's own locking
 * (`use_lockfile`), which a team's state bucket uses; the tests need no newer.
 */
export const TERRAFORM_MINIMUM = '1.10'

/** The terraform CLI: TERRAFORM_BIN, or `terraform` on the PATH; a PreflightError says how to get it. */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TERRAFORM_BIN) {
    if (!existsSync(env.TERRAFORM_BIN)) throw new PreflightError(`TERRAFORM_BIN is ${env.TERRAFORM_BIN}, which does not exist`)
    return env.TERRAFORM_BIN
  }
  const found = (env.PATH ?? '').split(delimiter).find((dir) => dir && existsSync(join(dir, 'terraform')))
  if (!found) {
    throw new PreflightError(`The terraform CLI (${TERRAFORM_MINIMUM} or newer) is not on the PATH. Install it from ${INSTALL_PAGE}, or set TERRAFORM_BIN.`)
  }
  return join(found, 'terraform')
}

const INSTALL_PAGE = 'https://developer.hashicorp.com/terraform/install'

/** Whether version `a` (1.11.4, 1.10.0-beta1) is at least `b` (1.10), by major and minor. */
function atLeast(a: string, b: string): boolean {
  const [aMajor = 0, aMinor = 0] = a.split('.').map((part) => Number.parseInt(part, 10))
  const [bMajor = 0, bMinor = 0] = b.split('.').map((part) => Number.parseInt(part, 10))
  return aMajor !== bMajor ? aMajor > bMajor : aMinor >= bMinor
}

/** The terraform CLI, found, and of TERRAFORM_MINIMUM or newer: an older one is refused before it half-runs a deploy. */
export async function checkTerraform(env: NodeJS.ProcessEnv = process.env): Promise<{ bin: string; version: string }> {
  const bin = findTerraform(env)
  let version: string
  try {
    const { stdout } = await run(bin, ['version', '-json'], { env: terraformEnvironment(), timeout: 60_000 })
    version = (JSON.parse(stdout) as { terraform_version: string }).terraform_version
  } catch (err) {
    throw new PreflightError(`${bin} did not say its version (terraform version -json: ${(err as Error).message.split('\n')[0]}); is it Terraform?`)
  }
  if (!atLeast(version, TERRAFORM_MINIMUM)) {
    throw new PreflightError(`${bin} is Terraform ${version}; these commands need ${TERRAFORM_MINIMUM} or newer. Install it from ${INSTALL_PAGE}, or set TERRAFORM_BIN to a newer one.`)
  }
  return { bin, version }
}

/**
 * A Terraform CLI configuration of the project's own, so a broken TF_CLI_CONFIG_FILE or
 * ~/.terraformrc cannot interfere. With TF_PROVIDER_MIRROR (a folder laid out as
 * registry.terraform.io/hashicorp/aws/VERSION/OS_ARCH/...), providers come from that
 * filesystem mirror only, for machines without access to the Terraform registry;
 * otherwise from the registry as usual. Returns the path to pass as TF_CLI_CONFIG_FILE.
 */
export function writeTerraformCliConfig(dir: string, env: NodeJS.ProcessEnv = process.env): string {
  mkdirSync(dir, { recursive: true })
  const cache = join(dir, 'plugin-cache')
  mkdirSync(cache, { recursive: true })
  let config = `plugin_cache_dir = ${JSON.stringify(cache)}\n`
  const mirror = env.TF_PROVIDER_MIRROR
  if (mirror) {
    if (!existsSync(join(mirror, 'registry.terraform.io', 'hashicorp', 'aws'))) {
      throw new Error(`TF_PROVIDER_MIRROR is ${mirror}, but it holds no registry.terraform.io/hashicorp/aws: point it at the folder above registry.terraform.io`)
    }
    config += `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = ["registry.terraform.io/*/*"]
  }
}
`
  }
  const file = join(dir, 'terraform.rc')
  writeFileSync(file, config)
  return file
}

export interface TerraformOptions {
  readonly cwd: string
  /** The project's own CLI configuration (writeTerraformCliConfig); unset, the user's own. */
  readonly cliConfigFile?: string
  readonly env?: Record<string, string | undefined>
  readonly timeoutMs?: number
}

/**
 * A hint for output where Terraform could not reach its registry for providers, or ''. Terraform
 * says so only in words, for a person: read here to add a hint, never to decide what happens next.
 */
export function registryHint(output: string): string {
  return /registry\.terraform\.io|Failed to query available provider packages|could not connect/i.test(output)
    ? '\nHint: without access to the Terraform registry, Terraform needs its providers from a filesystem mirror: a CLI configuration with one (TF_CLI_CONFIG_FILE, provider_installation { filesystem_mirror { ... } }), or for the tests TF_PROVIDER_MIRROR.'
    : ''
}

/**
 * What terraform is started with: this process's environment without the deployment settings,
 * which reach Terraform through the synthesized JSON only, never as strings to parse again.
 */
export function terraformEnvironment(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TASKOVERFLOW_')))
  return { ...inherited, CHECKPOINT_DISABLE: '1', ...extra }
}

/** Runs terraform with the given arguments; fails with its output when it exits non-zero. */
export async function terraform(args: string[], options: TerraformOptions): Promise<string> {
  const bin = findTerraform()
  try {
    const { stdout } = await run(bin, args, {
      cwd: options.cwd,
      env: terraformEnvironment({ ...(options.cliConfigFile ? { TF_CLI_CONFIG_FILE: options.cliConfigFile } : {}), TF_IN_AUTOMATION: '1', ...options.env }),
      timeout: options.timeoutMs ?? 300_000,
      maxBuffer: 64 * 1024 * 1024,
    })
    return stdout
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string }
    throw new Error(`terraform ${args.join(' ')} failed in ${options.cwd}:\n${stderr || stdout}${registryHint(`${stdout}${stderr}`)}`)
  }
}

/** The last of a run's output kept for reading its failure: a provider's errors come at the end. */
const KEPT_OUTPUT = 4 * 1024 * 1024

/**
 * Runs terraform as a user watches it: its output passed through as it comes (colours and all),
 * and the end of it kept. Resolves to its exit code and that output.
 */
export function terraformLive(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(findTerraform(), args, { cwd: options.cwd, stdio: ['inherit', 'pipe', 'pipe'], env: terraformEnvironment(options.env) })
    let output = ''
    const pass = (to: NodeJS.WriteStream) => (chunk: Buffer) => {
      to.write(chunk)
      output = (output + chunk.toString('utf8')).slice(-KEPT_OUTPUT)
    }
    child.stdout!.on('data', pass(process.stdout))
    child.stderr!.on('data', pass(process.stderr))
    // Ctrl-C reaches terraform from the terminal too: it stops cleanly and saves its state, and
    // this process waits for it to say how it ended, rather than leave it running.
    const waitForTerraform = () => undefined
    process.on('SIGINT', waitForTerraform)
    child.once('error', reject)
    child.once('close', (code) => {
      process.off('SIGINT', waitForTerraform)
      resolve({ code: code ?? 1, output })
    })
  })
}
