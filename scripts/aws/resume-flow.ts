import { CORE_STACK, SERVICES_STACK } from '../../stacks/stack-names.js'
import type { SynthesizedApp } from './app-synth.js'
import { settleDatabase } from './database-snapshot.js'
import { startIfStopped } from './database-state.js'
import { PreflightError } from '../lib/errors.js'
import { readDeployment, type Deployment, type Lifecycle } from './lifecycle.js'
import { outputOf, readStackState, stateLocation } from './stack-state.js'

export interface BroughtBack {
  readonly code: number
  /** The deployment as it was before. */
  readonly before: Deployment
  /** The API's URL once the services stack is applied. */
  readonly apiUrl?: string
  /** The database was created from its pause snapshot. */
  readonly restored: boolean
}

/**
 * What deploy and resume share: the database made ready for Terraform, then the stacks applied in
 * their running form, once. A database RDS is still creating or deleting (a run cut short) is
 * waited for; one the Lab stopped is started; one that is a snapshot is created from it; an
 * instance whose create was cut short but RDS finished is untainted, so Terraform keeps it rather
 * than replacing it. `prepare` sees the synthesized app before Terraform runs (deploy prices it).
 */
export async function bringBack(ctx: Lifecycle, stacks: readonly string[], prepare: (app: SynthesizedApp, restoring: boolean) => void = () => undefined): Promise<BroughtBack> {
  const { config, aws, log } = ctx
  const before = await readDeployment(ctx)
  if (!stacks.includes(CORE_STACK) && stacks.includes(SERVICES_STACK) && before.databasePaused) {
    throw new PreflightError(`The database is paused (a snapshot), so ${SERVICES_STACK} has nothing to connect to: run npm run resume, or deploy ${CORE_STACK} with it.`)
  }
  let restoring = false
  const untaint: string[][] = []
  if (stacks.includes(CORE_STACK)) {
    const waits = { ...ctx.waits, log }
    let database = await settleDatabase(aws.rds, config.name, waits)
    if (database.instance === 'stopped') {
      await startIfStopped(aws.rds, database.identifier, waits)
      database = await settleDatabase(aws.rds, config.name, waits)
    }
    restoring = !database.instance && database.snapshot?.status === 'available'
    if (!database.instance && !database.snapshot && before.databasePaused) {
      throw new PreflightError(
        `The database is paused, but its snapshot ${database.snapshotIdentifier} is gone (deleted outside TaskOverflow?), so there is nothing to restore. ` +
          `To start again with an empty database: npm run destroy -- ${CORE_STACK} ${SERVICES_STACK}, then npm run deploy.`,
      )
    }
    if (database.instance && before.taintedDatabase) untaint.push(['untaint', '-allow-missing', before.taintedDatabase])
    if (restoring) log(`Creating the database from ${database.snapshotIdentifier}, the snapshot the pause kept it in (RDS takes about 10 minutes)...`)
  }
  const app = ctx.synthesize({ ...config, paused: false, restoreFromSnapshot: restoring })
  prepare(app, restoring)
  const code = await ctx.terraform('apply', stacks, app, { command: ctx.command, before: untaint.length > 0 ? { [CORE_STACK]: untaint } : undefined })
  if (code !== 0 || !stacks.includes(SERVICES_STACK)) return { code, before, restored: restoring }
  const apiUrl = outputOf(await readStackState(config, SERVICES_STACK, aws.s3, ctx.root), 'api_url')
  return { code, before, apiUrl, restored: restoring }
}

/**
 * `npm run resume`: core and services brought back in their running form (bringBack), unless
 * the deployment already runs, which it says rather than run Terraform for nothing. A pause or a
 * resume that stopped part-way is finished by it, whichever it was.
 */
export async function resume(ctx: Lifecycle, prepare?: (app: SynthesizedApp, restoring: boolean) => void): Promise<BroughtBack & { alreadyRunning?: boolean }> {
  const now = await readDeployment(ctx)
  if (!now.deployed.includes(CORE_STACK)) throw new PreflightError(`Nothing to resume: ${CORE_STACK} holds nothing in ${stateLocation(ctx.config, CORE_STACK)}. Deploy it with npm run deploy.`)
  if (now.servicesRunning && now.apiUrl && now.database.instance === 'available' && !now.databasePaused && !now.taintedDatabase) {
    return { code: 0, before: now, apiUrl: now.apiUrl, restored: false, alreadyRunning: true }
  }
  return bringBack(ctx, [CORE_STACK, SERVICES_STACK], prepare)
}

/** After a resume: the URL, and whether it is not the one the team had before the pause. */
export function urlNote(before: Deployment, apiUrl: string): string {
  const previous = before.apiUrlBeforePause
  return previous && previous !== apiUrl
    ? `The URL changed: it was ${previous} before the pause (a paused deployment has no load balancer, and a new one gets a new name). Share the new one.`
    : ''
}
