import { spawnSync } from 'node:child_process'
import { ROOT } from '../scripts/lib/paths.js'
import { median, type Figure } from './lib/report.js'

/** Wall time of a command, median of `runs`. */
export function time(command: string, args: string[], runs: number, env: NodeJS.ProcessEnv = {}): number {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    const result = spawnSync(command, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`)
    times.push((performance.now() - started) / 1_000)
  }
  return median(times)
}

/** Synth of all four stacks: ours, the same app through the cdktf CLI, and the default ts-node app. */
/** cdktf reads the Terraform CLI configuration; a broken one only adds noise. */
export const SYNTH_ENV = { TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' }

export function benchSynth(runs = 5): Figure[] {
  const env = SYNTH_ENV
  const ours = time('npm', ['run', 'synth', '--silent'], runs, env)
  const viaCli = time('npx', ['cdktf', 'synth'], Math.max(1, Math.ceil(runs / 2)), env)
  const defaultApp = time('npx', ['cdktf', 'synth', '--app', 'npx ts-node stacks/main.ts'], Math.max(1, Math.ceil(runs / 2)), env)
  return [
    { benchmark: 'synth', what: 'npm run synth, all stacks (median)', value: ours, unit: 's', goal: { op: '<=', value: 1.5 } },
    { benchmark: 'synth', what: 'npx cdktf synth with this project\'s app (median)', value: viaCli, unit: 's' },
    { benchmark: 'synth', what: 'npx cdktf synth with the default ts-node app (median)', value: defaultApp, unit: 's' },
    { benchmark: 'synth', what: 'npm run synth speed-up over the default ts-node app', value: defaultApp / ours, unit: '×', goal: { op: '>=', value: 4 } },
  ]
}
