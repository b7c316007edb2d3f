import type { Cluster } from '../../test/support/cluster.js'
import { exportAndWait } from '../../test/support/exports.js'
import { peakRssMb } from './memory.js'

export interface BigCalendar {
  readonly seconds: number
  /** The worker's peak RSS over its whole life, which began just before this export. */
  readonly peakRssMb: number
  readonly events: number
  readonly kib: number
}

/**
 * One export of every todo in the cluster's database, by a worker started for it alone, so its
 * peak memory is this job's: the figure the worker's task size has to hold.
 */
export async function exportBigCalendar(cluster: Cluster): Promise<BigCalendar> {
  await cluster.worker()?.stop('SIGTERM')
  const worker = await cluster.startWorker()
  const { id, ms } = await exportAndWait(cluster.apiUrl, 5, 300_000)
  const peak = peakRssMb(worker.child.pid!)
  const { rows } = await cluster.pool.query<{ n: number; kib: number }>(
    'SELECT c.event_count AS n, octet_length(c.body) / 1024 AS kib FROM ical_jobs j JOIN calendars c ON c.digest = j.calendar_digest WHERE j.id = $1',
    [id],
  )
  return { seconds: ms / 1_000, peakRssMb: peak, events: rows[0]!.n, kib: rows[0]!.kib }
}
