import { pausedSnapshotIdentifier } from '../../stacks/config.js'
import { CORE_STACK, SERVICES_STACK } from '../../stacks/stack-names.js'
import { estimateStacks, rate } from './cost-report.js'
import { settleDatabase, settleForDeletion } from './database-snapshot.js'
import { waitForNoTasks, stopService } from './ecs-tasks.js'
import { PreflightError } from '../lib/errors.js'
import { DRAIN_TIMEOUT_MS, drainJobs } from './job-drain.js'
import { minuteUtc } from './status-report.js'
import { readDeployment, type Deployment, type Lifecycle } from './lifecycle.js'
import { managed, stateLocation } from './stack-state.js'

/**
 * A database deployed before pausing kept it as a snapshot has a state that would let Terraform
 * delete it without one: refused, with the one command that records the snapshot first.
 */
function requireFinalSnapshot(ctx: Lifecycle, deployment: Deployment): void {
  const expected = pausedSnapshotIdentifier(ctx.config.name)
  for (const { attributes } of managed(deployment.states[CORE_STACK], 'aws_db_instance')) {
    if (attributes.skip_final_snapshot !== false || attributes.final_snapshot_identifier !== expected) {
      throw new PreflightError(
        `Not paused: ${CORE_STACK} was deployed before pausing kept the database as the snapshot ${expected}, and its state would delete the database without one. ` +
          `Record it first with \`npm run deploy -- ${CORE_STACK}\` (a minute, no Docker, nothing replaced), then \`${ctx.command}\` again.`,
      )
    }
  }
}

/** The database as a snapshot since when, and what that bills, in two lines. */
function pausedSummary(ctx: Lifecycle, since: Date | undefined, hourly: string): string {
  const when = since ? ` since ${minuteUtc(since)}` : ''
  return `TaskOverflow is paused${when}: no load balancer, no task, no alarm; the database is the snapshot ${pausedSnapshotIdentifier(ctx.config.name)}.
What still bills: ${hourly}. Nothing starts by itself, however long it stays paused.`
}

/**
 * `npm run pause`: nothing left that bills by the hour, every piece of data kept. The API stops
 * taking jobs and the workers finish those in the queue; the services stack goes to its paused
 * form (the cluster alone), and once no task of it runs, the core stack deletes the database with
 * a final snapshot. Each step is one Terraform apply or AWS call that does nothing when already
 * done, so running it again after a session ended part-way goes on from there.
 */
export async function pause(ctx: Lifecycle): Promise<number> {
  const { config, aws, log } = ctx
  const before = await readDeployment(ctx)
  if (!before.deployed.includes(CORE_STACK)) throw new PreflightError(`Nothing to pause: ${CORE_STACK} holds nothing in ${stateLocation(config, CORE_STACK)}. Deploy it with npm run deploy.`)
  const app = ctx.synthesize({ ...config, paused: true, restoreFromSnapshot: false }, { apiUrlBeforePause: before.apiUrl ?? before.apiUrlBeforePause })
  const hourly = rate(estimateStacks(app.stacks, config.region))
  if (before.databasePaused && !before.servicesRunning && !before.database.instance && before.database.snapshot?.status === 'available') {
    log(`Already paused; nothing to do.\n${pausedSummary(ctx, before.database.snapshot.created, hourly)}\n  npm run resume    bring it back`)
    return 0
  }
  requireFinalSnapshot(ctx, before)

  const waits = { ...ctx.waits, log }
  if (before.servicesRunning) {
    log('Stopping the API, so no job is accepted that the pause would hold up, and letting the workers finish the queue...')
    await stopService(aws.ecs, config.name, `${config.name}-api`)
    const left = before.queueUrl ? await drainJobs(aws.sqs, before.queueUrl, waits) : 0
    if (left > 0) log(`${left} job(s) are still in the queue after ${DRAIN_TIMEOUT_MS / 60_000} minutes; they wait there, and end on resume (FAILURE, if past their deadline: docs/pausing.md).`)
  }
  if (before.deployed.includes(SERVICES_STACK)) {
    log('Removing the load balancer, the services and their alarms (the cluster stays)...')
    const code = await ctx.terraform('apply', [SERVICES_STACK], app, { command: ctx.command })
    if (code !== 0) return code
    await waitForNoTasks(aws.ecs, config.name, waits)
  }

  let database = await settleForDeletion(aws.rds, config.name, {
    ...waits,
    removing: (stale) => log(`Removing ${stale.snapshotIdentifier}, the snapshot the database was last restored from, to take it anew...`),
  })
  log(`Deleting the database with a final snapshot, ${database.snapshotIdentifier} (a few minutes)...`)
  const code = await ctx.terraform('apply', [CORE_STACK], app, { command: ctx.command })
  if (code !== 0) return code
  database = await settleDatabase(aws.rds, config.name, waits)
  if (database.instance || database.snapshot?.status !== 'available') {
    throw new PreflightError(`The pause did not end as it should: the database is ${database.instance ?? 'gone'} and its snapshot ${database.snapshot?.status ?? 'missing'}. Look in the RDS console before going on.`)
  }
  log(`\nPaused.\n${pausedSummary(ctx, database.snapshot.created, hourly)}`)
  log(`  npm run resume    bring it all back, with the same data (about 15 minutes: docs/pausing.md)
  npm run status    what is deployed, and what it costs now
  npm run destroy   remove everything, the snapshot too`)
  return 0
}
