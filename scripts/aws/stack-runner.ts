import { join, relative } from 'node:path'
import { ROOT } from '../lib/paths.js'
import { explainRun, keepErroredStates, readRunOutput } from './session-end.js'
import { registryHint, terraformLive } from './terraform.js'

export interface RunStacksOptions {
  /** Where the app was synthesized (synthesizeForTerraform): Terraform runs in OUTDIR/stacks/NAME. */
  readonly outdir: string
  /** What the user typed, for the message when it fails. */
  readonly command: string
  /** For terraform itself (DOCKER_HOST, TF_CLI_CONFIG_FILE...); the settings are in the JSON. */
  readonly env?: Record<string, string>
  /** Terraform commands to run in a stack after its init and before the change (`untaint ...`). */
  readonly before?: Readonly<Record<string, readonly string[][]>>
}

/**
 * `terraform init` and `apply` (or `destroy`) in each synthesized stack's folder, one at a time
 * in the order given, exactly as the plain Terraform steps in docs/deploying.md do: no cdktf CLI, whose
 * terminal module needs building on Node 24 and later. Stops at the first failure; if the Learner
 * Lab session ended under it (or it left a state it could not save, or a lock), it ends with one
 * message saying what to do.
 */
export async function runStacks(verb: 'apply' | 'destroy', stacks: readonly string[], options: RunStacksOptions): Promise<number> {
  for (const stack of stacks) {
    console.log(`\n== ${stack}: terraform ${verb}`)
    // Colours only for a person at a terminal: a log or a pipe gets plain text.
    const plain = process.stdout.isTTY ? [] : ['-no-color']
    const steps = [['init', '-input=false', ...plain], ...(options.before?.[stack] ?? []), [verb, '-auto-approve', '-input=false', ...plain]]
    for (const args of steps) {
      const run = await terraformLive(args, { cwd: join(options.outdir, 'stacks', stack), env: options.env })
      if (run.code !== 0) {
        // The states kept where the stacks' local states are, beside the synthesized folder.
        const kept = keepErroredStates(join(options.outdir, '..'), options.outdir)
        const explained = explainRun(readRunOutput(run.output), kept, options.command, relative(ROOT, join(options.outdir, 'stacks'))) ?? registryHint(run.output).trim()
        if (explained) console.error(`\n${explained}`)
        return run.code
      }
    }
  }
  return 0
}
