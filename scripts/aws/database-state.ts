import { DBInstanceNotFoundFault, DescribeDBInstancesCommand, StartDBInstanceCommand, type RDSClient } from '@aws-sdk/client-rds'
import { PreflightError } from '../lib/errors.js'

/** RDS takes minutes to start an instance; past this, something else is wrong. */
const START_TIMEOUT_MS = 30 * 60_000

export interface StartOptions {
  /** @default 15 s */
  readonly pollMs?: number
  readonly sleep?: (ms: number) => Promise<void>
  readonly log?: (line: string) => void
}

/**
 * Starts the database when it is stopped (by the Lab at the end of a session, or by hand)
 * and waits until it is available, for Terraform to find it running: the pinned provider's
 * aws_rds_instance_state waits for an instance to be available before it would start it, so it
 * cannot start one (hashicorp/terraform-provider-aws#40785). Nothing to do when there is no such
 * instance yet (a first deploy) or it already runs.
 */
export async function startIfStopped(rds: Pick<RDSClient, 'send'>, identifier: string, options: StartOptions = {}): Promise<void> {
  const { pollMs = 15_000, sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)), log = console.log } = options
  const status = async () => {
    try {
      const { DBInstances } = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }))
      return DBInstances?.[0]?.DBInstanceStatus
    } catch (err) {
      if (err instanceof DBInstanceNotFoundFault) return undefined
      throw err
    }
  }
  let current = await status()
  if (current === undefined || current === 'available') return
  log(`The database ${identifier} is ${current}; starting it first (RDS takes a few minutes).`)
  const deadline = Date.now() + START_TIMEOUT_MS
  for (; current !== 'available'; current = await status()) {
    if (current === undefined) throw new PreflightError(`The database ${identifier} disappeared while starting`)
    // Stopping first, then stopped: it can only be started once it is.
    if (current === 'stopped') await rds.send(new StartDBInstanceCommand({ DBInstanceIdentifier: identifier }))
    if (Date.now() > deadline) throw new PreflightError(`The database ${identifier} is still ${current} after ${START_TIMEOUT_MS / 60_000} minutes; look at it in the RDS console`)
    await sleep(pollMs)
  }
  log(`The database ${identifier} is available.`)
}
