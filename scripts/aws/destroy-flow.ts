import { CORE_STACK } from '../../stacks/stack-names.js'
import { deletePausedSnapshot, settleDatabase, settleForDeletion } from './database-snapshot.js'
import type { Lifecycle } from './lifecycle.js'

/**
 * `npm run destroy [-- STACK...]`: every stack named, dependants first, ECR repositories with their
 * images included; with the core stack, the database's snapshot too, which Terraform does not own:
 * the one a pause kept it in, or the one RDS takes as Terraform deletes a running database (the
 * stacks never let an instance go without one). Run again after a session ended part-way, it
 * goes on from there: Terraform from its state, the snapshot if it is still there.
 */
export async function destroy(ctx: Lifecycle, stacks: readonly string[]): Promise<number> {
  const { config, aws, log } = ctx
  const withDatabase = stacks.includes(CORE_STACK)
  const waits = { ...ctx.waits, log }
  if (withDatabase) await settleForDeletion(aws.rds, config.name, waits)
  log(`Destroying ${[...stacks].reverse().join(', ')}.`)
  const app = ctx.synthesize(config)
  const code = await ctx.terraform('destroy', [...stacks].reverse(), app, { command: ctx.command })
  if (code !== 0 || !withDatabase) return code
  const database = await settleDatabase(aws.rds, config.name, waits)
  if (database.snapshot && (await deletePausedSnapshot(aws.rds, config.name))) {
    log(`Removed the database's snapshot ${database.snapshotIdentifier}${database.snapshot.allocatedStorage ? ` (${database.snapshot.allocatedStorage} GB)` : ''}: nothing of TaskOverflow's data is left in AWS.`)
  } else {
    log('No snapshot of the database was left to remove.')
  }
  return 0
}
