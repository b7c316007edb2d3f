import autocannon from 'autocannon'
import { startCluster } from '../test/support/cluster.js'
import { seedTodos } from '../test/support/seed.js'
import { median, type Figure } from './lib/report.js'

interface Load {
  readonly path: string
  readonly method: 'GET' | 'POST'
  readonly goal: number
}

/**
 * The API alone under load (no worker running), GET /todos with 100 todos and POST
 * /todos/ical, with autocannon. Identical runs on this machine differ by 15 %, so each figure is
 * the median of `rounds` runs.
 */
export async function benchApi(seconds = 10, log: (line: string) => void = () => undefined, rounds = 3): Promise<Figure[]> {
  const cluster = await startCluster()
  try {
    await seedTodos(cluster.pool, 100)
    const figures: Figure[] = []
    const loads: Load[] = [
      { path: '/todos', method: 'GET', goal: 2_000 },
      { path: '/todos/ical', method: 'POST', goal: 1_000 },
    ]
    for (const load of loads) {
      const rates: number[] = []
      const p99s: number[] = []
      for (let round = 0; round < rounds; round++) {
        const result = await autocannon({ url: `${cluster.apiUrl}${load.path}`, method: load.method, connections: 16, duration: seconds })
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`${load.method} ${load.path}: ${result.non2xx} non-2xx answers and ${result.errors} errors`)
        log(`  ${load.method} /api/v1${load.path}: ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`)
        rates.push(result.requests.average)
        p99s.push(result.latency.p99)
      }
      const what = `${load.method} /api/v1${load.path}${load.method === 'GET' ? ' (100 todos)' : ''}, 16 connections, median of ${rounds} × ${seconds} s`
      const detail = `runs: ${rates.map((r) => r.toFixed(0)).join(', ')} req/s`
      figures.push(
        { benchmark: 'API', what: `${what}: throughput`, value: median(rates), unit: 'req/s', goal: { op: '>=', value: load.goal }, database: 'PostgreSQL server', detail },
        { benchmark: 'API', what: `${what}: p99 latency`, value: median(p99s), unit: 'ms', goal: { op: '<=', value: 50 }, database: 'PostgreSQL server' },
      )
    }
    return figures
  } finally {
    await cluster.close()
  }
}
