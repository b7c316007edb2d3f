import { DBInstanceNotFoundFault, DBSnapshotNotFoundFault, DeleteDBSnapshotCommand, DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, type RDSClient } from '@aws-sdk/client-rds'
import { databaseIdentifier, pausedSnapshotIdentifier } from '../../stacks/config.js'
import { PreflightError } from '../lib/errors.js'
import { waitUntil, type PollOptions } from './poll.js'

type Rds = Pick<RDSClient, 'send'>

/** What RDS says of the stacks' database: its instance and the snapshot a pause keeps it in. */
export interface DatabaseInAws {
  readonly identifier: string
  readonly snapshotIdentifier: string
  /** The instance's status (`available`, `creating`, `deleting`...); undefined when there is none. */
  readonly instance?: string
  /** When the instance was created (deployed, or restored by a resume). */
  readonly created?: Date
  readonly snapshot?: { readonly status: string; readonly created?: Date; readonly allocatedStorage?: number }
}

export async function describeDatabase(rds: Rds, name: string): Promise<DatabaseInAws> {
  const identifier = databaseIdentifier(name)
  const snapshotIdentifier = pausedSnapshotIdentifier(name)
  const [instance, snapshot] = await Promise.all([
    rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier })).then(
      (found) => found.DBInstances?.[0],
      (err: unknown) => (err instanceof DBInstanceNotFoundFault ? undefined : Promise.reject(err)),
    ),
    rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: snapshotIdentifier })).then(
      (found) => found.DBSnapshots?.[0],
      (err: unknown) => (err instanceof DBSnapshotNotFoundFault ? undefined : Promise.reject(err)),
    ),
  ])
  return {
    identifier,
    snapshotIdentifier,
    instance: instance?.DBInstanceStatus,
    created: instance?.InstanceCreateTime,
    snapshot: snapshot && { status: snapshot.Status ?? 'unknown', created: snapshot.SnapshotCreateTime, allocatedStorage: snapshot.AllocatedStorage },
  }
}

/** Statuses in which nothing is under way, and those RDS ends in when it cannot go on. */
const SETTLED = new Set(['available', 'stopped', 'storage-optimization'])
const FAILED = /^(failed|incompatible-|inaccessible-encryption-credentials|restore-error|storage-full)/

/** A restore of a small database takes minutes; one still going after this is stuck. */
const SETTLE_TIMEOUT_MS = 45 * 60_000

export type WaitOptions = PollOptions

/**
 * Waits until RDS has finished whatever it was doing to the database (a restore or a deletion a
 * run left when its session ended, a snapshot still being taken), so the next step starts from
 * a state RDS will accept. Resolves to what is there then.
 */
export async function settleDatabase(rds: Rds, name: string, options: WaitOptions = {}): Promise<DatabaseInAws> {
  const timeoutMs = options.timeoutMs ?? SETTLE_TIMEOUT_MS
  return waitUntil<DatabaseInAws>(async (overdue) => {
    const found = await describeDatabase(rds, name)
    if (found.instance && FAILED.test(found.instance)) throw new PreflightError(`The database ${found.identifier} is ${found.instance}: RDS cannot go on with it. Look at it in the RDS console.`)
    if (found.snapshot && FAILED.test(found.snapshot.status)) throw new PreflightError(`The snapshot ${found.snapshotIdentifier} is ${found.snapshot.status}. Look at it in the RDS console before going on.`)
    const busy = [
      found.instance && !SETTLED.has(found.instance) ? `the database ${found.identifier} is ${found.instance}` : undefined,
      found.snapshot && found.snapshot.status !== 'available' ? `the snapshot ${found.snapshotIdentifier} is ${found.snapshot.status}` : undefined,
    ].filter(Boolean)
    if (busy.length === 0) return { done: found }
    if (overdue) throw new PreflightError(`After ${timeoutMs / 60_000} minutes ${busy.join(' and ')}: look at it in the RDS console, then run the same command again.`)
    return { waiting: `Waiting: ${busy.join(' and ')} (an earlier run's work, or RDS's own).` }
  }, { pollMs: 15_000, timeoutMs }, options)
}

/** Removes the pause snapshot; nothing to do when it is not there. */
export async function deletePausedSnapshot(rds: Rds, name: string): Promise<boolean> {
  try {
    await rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: pausedSnapshotIdentifier(name) }))
    return true
  } catch (err) {
    if (err instanceof DBSnapshotNotFoundFault) return false
    throw err
  }
}

/**
 * The database settled (settleDatabase), and without the pause snapshot when an instance runs
 * beside it: that snapshot is the last resume's, older than the database, and RDS cannot take the
 * final snapshot of a deletion under its name. `removing` is told before it goes. Resolves to what
 * is there then.
 */
export async function settleForDeletion(rds: Rds, name: string, options: WaitOptions & { removing?: (database: DatabaseInAws) => void } = {}): Promise<DatabaseInAws> {
  const database = await settleDatabase(rds, name, options)
  if (!database.instance || !database.snapshot) return database
  options.removing?.(database)
  await deletePausedSnapshot(rds, name)
  return settleDatabase(rds, name, options)
}
