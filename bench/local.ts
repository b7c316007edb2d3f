import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { httpCall } from '../scripts/lib/http.js'
import { startLocalRun } from '../test/support/local-run.js'
import { exportAndWait } from '../test/support/exports.js'
import { percentile, type Figure } from './lib/report.js'

/** One export job at a time on `npm start` (embedded PostgreSQL, SQS emulator), POST to SUCCESS. */
export async function benchLocal(jobs = 50, log: (line: string) => void = () => undefined): Promise<Figure[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'taskoverflow-bench-local-'))
  // One client posting one export after another: the per-client limit would measure itself.
  const run = await startLocalRun(dataDir, { EXPORTS_PER_MINUTE: '0' })
  try {
    const api = `${run.base}/api/v1`
    for (let i = 0; i < 20; i++) await httpCall('POST', `${api}/todos`, { title: `Todo ${i}`, deadline_at: `2030-01-${String(i + 1).padStart(2, '0')}T09:00:00` })
    const times: number[] = []
    for (let i = 0; i < jobs + 5; i++) {
      const { ms } = await exportAndWait(api, 2)
      // The first few warm the processes up.
      if (i >= 5) times.push(ms)
    }
    times.sort((a, b) => a - b)
    log(`  ${jobs} jobs one after another: p50 ${percentile(times, 50).toFixed(1)} ms, p90 ${percentile(times, 90).toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`)
    return [
      { benchmark: 'local run', what: 'one export job on npm start, POST to SUCCESS, p50', value: percentile(times, 50), unit: 'ms', database: 'embedded PostgreSQL', detail: `${jobs} jobs in turn, 20 todos` },
      { benchmark: 'local run', what: 'one export job on npm start, POST to SUCCESS, p90', value: percentile(times, 90), unit: 'ms', database: 'embedded PostgreSQL' },
    ]
  } finally {
    await run.interrupt()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
