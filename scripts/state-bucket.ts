/**
 * `npm run state-bucket`: creates the S3 bucket TASKOVERFLOW_STATE_BUCKET names, once, for a team
 * to share one deployment (versioned, encrypted, never public); then moves each stack's state
 * from this machine's .terraform-state/ into it, so whoever deployed first keeps what they made.
 */
import { existsSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { localStatePath } from '../stacks/stack-paths.js'
import { APP_STACKS, STATE_BUCKET_STACK } from '../stacks/stack-names.js'
import { preflight, runScript } from './aws/commands.js'
import { ROOT } from './lib/paths.js'
import { refuseArguments } from './lib/settings.js'
import { runStacks } from './aws/stack-runner.js'
import { appOutdir, synthesizeForTerraform } from './aws/app-synth.js'
import { terraform } from './aws/terraform.js'

/** Moves one stack's local state into the bucket, unless the bucket already holds state for it. */
async function moveState(stack: string, env: Record<string, string>): Promise<string> {
  const cwd = join(appOutdir(), 'stacks', stack)
  const options = { cwd, env, timeoutMs: 600_000 }
  await terraform(['init', '-reconfigure', '-input=false', '-no-color'], options)
  const remote = (await terraform(['state', 'pull'], options)).trim()
  if (remote && (JSON.parse(remote) as { resources?: unknown[] }).resources?.length) {
    return `${stack}: the bucket already holds its state (a teammate deployed first?); left yours in ${localStatePath(stack)}`
  }
  await terraform(['state', 'push', '-no-color', join('..', '..', '..', localStatePath(stack))], options)
  renameSync(join(ROOT, localStatePath(stack)), join(ROOT, `${localStatePath(stack)}.moved-to-s3`))
  return `${stack}: moved into the bucket (the local copy is ${localStatePath(stack)}.moved-to-s3)`
}

refuseArguments('npm run state-bucket', 'creates the S3 bucket TASKOVERFLOW_STATE_BUCKET names, for a team to share one deployment, and moves this machine\'s state into it')

runScript(async () => {
  const { config, credentials, env } = await preflight([])
  if (!config.stateBucket) {
    console.error(`Name the bucket first; bucket names are global, so include the account id, for example:
  export TASKOVERFLOW_STATE_BUCKET=taskoverflow-state-${credentials.account}
then run npm run state-bucket again.`)
    return 1
  }
  console.log(`Creating the bucket ${config.stateBucket.bucket} (its own state stays in ${localStatePath(STATE_BUCKET_STACK)} on this machine).`)
  const app = synthesizeForTerraform(config)
  const code = await runStacks('apply', [STATE_BUCKET_STACK], { outdir: app.outdir, env, command: 'npm run state-bucket' })
  if (code !== 0) return code

  const local = APP_STACKS.filter((stack) => existsSync(join(ROOT, localStatePath(stack))))
  for (const stack of local) console.log(await moveState(stack, env))
  const { bucket, keyPrefix } = config.stateBucket
  console.log(`
Every stack now keeps its state in s3://${bucket}/${keyPrefix}/, locked while anyone deploys.
Each teammate sets the same before npm run deploy, pause, resume or destroy:
  export TASKOVERFLOW_STATE_BUCKET=${bucket}${keyPrefix !== config.name ? `\n  export TASKOVERFLOW_STATE_KEY_PREFIX=${keyPrefix}` : ''}${config.name !== 'taskoverflow' ? `\n  export TASKOVERFLOW_NAME=${config.name}` : ''}
and their own credentials for this account in ./credentials.`)
  return 0
})
