import { runSoak } from '../test/support/soak.js'
import type { Figure } from './lib/report.js'

/** Sixteen clients exporting and editing against `npm start` for `minutes`, the calendar storage bounded at 4 MB. */
export async function benchSoak(minutes = 10, log: (line: string) => void = () => undefined): Promise<Figure[]> {
  const soak = await runSoak({ durationMs: minutes * 60_000, log })
  const database = 'embedded PostgreSQL'
  const detail = `16 clients, ${minutes} min, CALENDAR_STORAGE_MB=4, 2,000 todos`
  return [
    { benchmark: 'soak', what: 'exports accepted', value: soak.accepted, unit: 'exports', database, detail },
    { benchmark: 'soak', what: 'edits', value: soak.edits, unit: 'edits', database },
    { benchmark: 'soak', what: 'accepted exports not ended', value: soak.unfinished + soak.failed, unit: 'exports', goal: { op: '<=', value: 0 }, database, detail: `${soak.succeeded} read SUCCESS, ${soak.evicted} finished then made room` },
    { benchmark: 'soak', what: 'answers of 500 or more', value: soak.serverErrors, unit: 'answers', goal: { op: '<=', value: 0 }, database },
    { benchmark: 'soak', what: 'most calendar bytes kept at once, of the bound', value: (100 * soak.maxStoredBytes) / soak.boundBytes, unit: '%', goal: { op: '<=', value: 100 }, database },
    { benchmark: 'soak', what: "worker's resident memory, last tenth against the second tenth", value: soak.workerRssMb.last / soak.workerRssMb.warm, unit: '×', goal: { op: '<=', value: 1.2 }, database, detail: `${soak.workerRssMb.warm.toFixed(0)} MB then ${soak.workerRssMb.last.toFixed(0)} MB` },
  ]
}
