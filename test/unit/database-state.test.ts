import { DBInstanceNotFoundFault, DescribeDBInstancesCommand, StartDBInstanceCommand } from '@aws-sdk/client-rds'
import { describe, expect, it } from '@jest/globals'
import { startIfStopped } from '../../scripts/aws/database-state.js'

/** An RDS that reports the statuses given, one per DescribeDBInstances, and records every request. */
function fakeRds(statuses: Array<string | 'missing'>) {
  const requests: string[] = []
  let next = 0
  return {
    requests,
    async send(command: unknown) {
      if (command instanceof StartDBInstanceCommand) {
        requests.push(`start ${command.input.DBInstanceIdentifier}`)
        return {}
      }
      if (!(command instanceof DescribeDBInstancesCommand)) throw new Error('unexpected request')
      const status = statuses[Math.min(next++, statuses.length - 1)]!
      requests.push(`describe: ${status}`)
      if (status === 'missing') throw new DBInstanceNotFoundFault({ message: 'DBInstance taskoverflow-database not found.', $metadata: {} })
      return { DBInstances: [{ DBInstanceStatus: status }] }
    },
  }
}
const quick = { pollMs: 0, sleep: async () => undefined, log: () => undefined }

describe('starting a paused database before Terraform runs', () => {
  it('starts a stopped instance once and waits until it is available', async () => {
    const rds = fakeRds(['stopped', 'starting', 'starting', 'available'])
    await startIfStopped(rds as never, 'taskoverflow-database', quick)
    expect(rds.requests).toEqual(['describe: stopped', 'start taskoverflow-database', 'describe: starting', 'describe: starting', 'describe: available'])
  })

  it('waits for a stopping instance to stop before it starts it', async () => {
    const rds = fakeRds(['stopping', 'stopped', 'available'])
    await startIfStopped(rds as never, 'taskoverflow-database', quick)
    expect(rds.requests).toEqual(['describe: stopping', 'describe: stopped', 'start taskoverflow-database', 'describe: available'])
  })

  it('asks RDS to start it once, however long RDS takes to show it starting', async () => {
    const rds = fakeRds(['stopped', 'stopped', 'stopped', 'starting', 'available'])
    await startIfStopped(rds as never, 'taskoverflow-database', quick)
    expect(rds.requests.filter((request) => request.startsWith('start'))).toEqual(['start taskoverflow-database'])
  })

  it('gives up after 30 minutes on the clock it is given, saying where to look', async () => {
    let clock = 0
    const rds = fakeRds(['stopped', 'starting'])
    const waits = { pollMs: 15_000, sleep: async (ms: number) => void (clock += ms), now: () => clock, log: () => undefined }
    await expect(startIfStopped(rds as never, 'taskoverflow-database', waits)).rejects.toThrow('The database taskoverflow-database is still starting after 30 minutes; look at it in the RDS console')
    expect(clock).toBe(30 * 60_000 + 15_000)
  })

  it.each([['available'], ['missing']])('does nothing when the instance is %s', async (status) => {
    const rds = fakeRds([status])
    await startIfStopped(rds as never, 'taskoverflow-database', quick)
    expect(rds.requests).toEqual([`describe: ${status}`])
  })
})
