import { DBInstanceNotFoundFault, DescribeDBInstancesCommand, StartDBInstanceCommand, type RDSClient } from '@aws-sdk/client-rds'
import { PreflightError } from '../lib/errors.js'
import { waitUntil, type PollOptions } from './poll.js'

/** RDS takes minutes to start an instance; past this, something else is wrong. */
const START_TIMEOUT_MS = 30 * 60_000

/**
 * Starts the database when it is stopped (by the Lab at the end of a session, or by hand)
 * and waits until it is available, for Terraform to find it running: the pinned provider's
 * aws_rds_instance_state waits for an instance to be available before it would start it, so it
 * cannot start one (hashicorp/terraform-provider-aws#40785). Nothing to do when there is no such
 * instance yet (a first deploy) or it already runs. A stopping instance is waited for, then
 * started, once.
 */
export async function startIfStopped(rds: Pick<RDSClient, 'send'>, identifier: string, options: PollOptions = {}): Promise<void> {
  const log = options.log ?? console.log
  const status = async () => {
    try {
      const { DBInstances } = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }))
      return DBInstances?.[0]?.DBInstanceStatus
    } catch (err) {
      if (err instanceof DBInstanceNotFoundFault) return undefined
      throw err
    }
  }
  const found = await status()
  if (found === undefined || found === 'available') return
  log(`The database ${identifier} is ${found}; starting it first (RDS takes a few minutes).`)
  let lookedAgain = false
  let startSent = false
  await waitUntil(
    async (overdue) => {
      // The first look is the status just read; each after it asks RDS again.
      const current = lookedAgain ? await status() : found
      lookedAgain = true
      if (current === 'available') return { done: undefined }
      if (current === undefined) throw new PreflightError(`The database ${identifier} disappeared while starting`)
      if (current === 'stopped' && !startSent) {
        await rds.send(new StartDBInstanceCommand({ DBInstanceIdentifier: identifier }))
        startSent = true
      }
      if (overdue) throw new PreflightError(`The database ${identifier} is still ${current} after ${START_TIMEOUT_MS / 60_000} minutes; look at it in the RDS console`)
      return { waiting: `Waiting: the database ${identifier} is ${current}.` }
    },
    { pollMs: 15_000, timeoutMs: START_TIMEOUT_MS },
    { ...options, log },
  )
  log(`The database ${identifier} is available.`)
}
