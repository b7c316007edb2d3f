import { join } from 'node:path'
import { ROOT } from './paths.js'
import { explainRun, keepErroredStates, readRunOutput } from './session-end.js'
import { registryHint, synthesize, terraform, terraformLive } from './terraform.js'

export interface RunStacksOptions {
  /** Settings for synth (TASKOVERFLOW_*) and for terraform (DOCKER_HOST, TF_CLI_CONFIG_FILE...). */
  readonly env: NodeJS.ProcessEnv
  /** What the user typed, for the message when it fails. */
  readonly command: string
  /** @default cdktf.out in the project */
  readonly outdir?: string
}

/**
 * Synthesizes the stacks with these settings, then `terraform init` and `apply` (or `destroy`)
 * in each stack's folder, one at a time in the order given, exactly as the README's plain
 * Terraform steps do: no cdktf CLI, whose terminal module needs building on Node 24 and later.
 * Stops at the first failure; if the Learner Lab session ended under it (or it left a state it
 * could not save, or a lock), it ends with one message saying what to do.
 */
export async function runStacks(verb: 'apply' | 'destroy', stacks: readonly string[], options: RunStacksOptions): Promise<number> {
  const outdir = options.outdir ?? join(ROOT, 'cdktf.out')
  await synthesize(outdir, options.env)
  for (const stack of stacks) {
    console.log(`\n== ${stack}: terraform ${verb}`)
    // Colours only for a person at a terminal: a log or a pipe gets plain text.
    const plain = process.stdout.isTTY ? [] : ['-no-color']
    for (const args of [['init', '-input=false', ...plain], [verb, '-auto-approve', '-input=false', ...plain]]) {
      const run = await terraformLive(args, { cwd: join(outdir, 'stacks', stack), env: options.env })
      if (run.code !== 0) {
        const explained = explainRun(readRunOutput(run.output), keepErroredStates(join(outdir, '..'), outdir), options.command) ?? registryHint(run.output).trim()
        if (explained) console.error(`\n${explained}`)
        return run.code
      }
    }
  }
  return 0
}

/** One output of a deployed stack, as its state holds it; undefined when it has none. */
export async function stackOutput(stack: string, name: string, outdir = join(ROOT, 'cdktf.out')): Promise<string | undefined> {
  try {
    return (await terraform(['output', '-raw', name], { cwd: join(outdir, 'stacks', stack) })).trim() || undefined
  } catch {
    return undefined
  }
}
