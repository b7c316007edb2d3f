import { MAX_TODOS } from '@taskoverflow/shared'
import { startCluster } from '../test/support/cluster.js'
import { seedLargestTodos } from '../test/support/seed.js'
import { exportBigCalendar } from './lib/big-calendar.js'
import type { Figure } from './lib/report.js'

/** The worker's task has 512 MB; three quarters of it leaves room for the rest of the process's life. */
const PEAK_GOAL_MB = 384

/**
 * The largest calendar the API lets there be: MAX_TODOS todos, each with the longest title and
 * description of the costliest text (seedLargestTodos), exported once on a PostgreSQL server by a
 * worker started for it. Its peak memory is what MAX_TODOS was chosen by.
 */
export async function benchLargest(log: (line: string) => void = () => undefined): Promise<Figure[]> {
  const cluster = await startCluster()
  try {
    await seedLargestTodos(cluster.pool, MAX_TODOS)
    const big = await exportBigCalendar(cluster)
    log(`  ${MAX_TODOS} todos of 80 + 120 emoji: ${big.seconds.toFixed(2)} s, worker peak RSS ${big.peakRssMb.toFixed(0)} MB, ${big.events} events, ${big.kib} KiB`)
    const what = `one export of MAX_TODOS (${MAX_TODOS}) todos, each an 80-emoji title and a 120-emoji description`
    return [
      { benchmark: 'largest calendar', what: `${what}, POST to SUCCESS`, value: big.seconds, unit: 's', database: 'PostgreSQL server', detail: `${(big.kib / 1024).toFixed(1)} MiB of calendar` },
      { benchmark: 'largest calendar', what: 'worker peak RSS (VmHWM) during that job, against its 512 MB task', value: big.peakRssMb, unit: 'MB', goal: { op: '<=', value: PEAK_GOAL_MB }, database: 'PostgreSQL server' },
    ]
  } finally {
    await cluster.close()
  }
}
