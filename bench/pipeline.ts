import type pg from 'pg'
import { startCluster, type Cluster } from '../test/support/cluster.js'
import { eventually } from '../test/support/eventually.js'
import { exportAndWait, postExports } from '../test/support/exports.js'
import { replaceTodos } from '../test/support/seed.js'
import { exportBigCalendar } from './lib/big-calendar.js'
import { percentile, type Figure } from './lib/report.js'


async function succeeded(pool: pg.Pool, ids: readonly string[]): Promise<number> {
  const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM ical_jobs WHERE id = ANY($1::uuid[]) AND status = 'SUCCESS'", [ids])
  return rows[0]!.n
}

/** POSTs `count` jobs, `concurrency` at a time, and waits until all have succeeded. */
async function throughput(cluster: Cluster, count: number, concurrency: number) {
  const started = performance.now()
  const ids = await postExports(cluster.apiUrl, count, concurrency)
  const posted = performance.now()
  await eventually(`all ${count} jobs to succeed`, async () => (await succeeded(cluster.pool, ids)) === count, 300_000, 10)
  const done = performance.now()
  // The steady middle of the run, from the database's own completion times.
  const { rows } = await cluster.pool.query<{ t: number }>(
    "SELECT extract(epoch FROM finished_at) * 1000 AS t FROM ical_jobs WHERE id = ANY($1::uuid[]) ORDER BY finished_at",
    [ids],
  )
  const times = rows.map((row) => Number(row.t))
  const first = Math.floor(count * 0.1)
  const last = Math.floor(count * 0.9)
  return {
    endToEnd: (count / (done - started)) * 1_000,
    sustained: ((last - first) / (times[last]! - times[first]!)) * 1_000,
    postRate: (count / (posted - started)) * 1_000,
  }
}

/**
 * Offers `rate` jobs a second for `count` jobs; each is timed from its POST until its status
 * reads SUCCESS, polled every `pollMs`. Polling faster loads the very system being measured (at
 * 2 ms the jobs' own time from created to finished doubled), so 5 ms, which adds up to 5 ms to
 * each figure; the database's own created-to-finished time is reported beside it.
 */
async function latency(cluster: Cluster, rate: number, count: number, pollMs = 5) {
  const latencies: number[] = []
  const interval = 1_000 / rate
  const started = performance.now()
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const due = started + i * interval
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())))
      latencies.push((await exportAndWait(cluster.apiUrl, pollMs)).ms)
    }),
  )
  const offered = (count / (performance.now() - started)) * 1_000
  latencies.sort((a, b) => a - b)
  const { rows } = await cluster.pool.query<{ ms: number }>(
    `SELECT extract(epoch FROM finished_at - created_at) * 1000 AS ms FROM ical_jobs
     WHERE finished_at IS NOT NULL ORDER BY created_at DESC LIMIT $1`,
    [count],
  )
  const inDatabase = rows.map((row) => Number(row.ms)).sort((a, b) => a - b)
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1)!, offered, databaseP50: percentile(inDatabase, 50) }
}

export interface PipelineOptions {
  readonly jobs?: number
  readonly latencyJobs?: number
  readonly bigTodos?: number
  readonly log?: (line: string) => void
}

export async function benchPipeline(options: PipelineOptions = {}): Promise<Figure[]> {
  const log = options.log ?? (() => undefined)
  const jobs = options.jobs ?? 1_000
  const label = 'PostgreSQL server'
  const cluster = await startCluster()
  try {
    await replaceTodos(cluster.pool, 100)
    await cluster.startWorker()
    log(`  warming up (${label})`)
    await throughput(cluster, 100, 16)

    const run = await throughput(cluster, jobs, 32)
    log(`  ${jobs} jobs: ${run.endToEnd.toFixed(0)} jobs/s end to end, ${run.sustained.toFixed(0)} jobs/s sustained, POSTs at ${run.postRate.toFixed(0)}/s`)

    const latencyJobs = options.latencyJobs ?? 1_000
    const timed = await latency(cluster, 100, latencyJobs)
    log(`  latency at ${timed.offered.toFixed(0)} jobs/s offered: p50 ${timed.p50.toFixed(1)} ms, p99 ${timed.p99.toFixed(1)} ms, max ${timed.max.toFixed(1)} ms; created to finished in the database p50 ${timed.databaseP50.toFixed(1)} ms`)

    const bigTodos = options.bigTodos ?? 10_000
    await replaceTodos(cluster.pool, bigTodos)
    const big = await exportBigCalendar(cluster)
    log(`  one job over ${bigTodos} todos: ${big.seconds.toFixed(2)} s, worker peak RSS ${big.peakRssMb.toFixed(0)} MB, ${big.events} events, ${big.kib} KiB`)

    return [
      { benchmark: 'throughput', what: `${jobs} jobs of 100 todos, sustained (10th to 90th percentile of completions)`, value: run.sustained, unit: 'jobs/s', goal: { op: '>=', value: 300 }, database: label },
      { benchmark: 'throughput', what: `${jobs} jobs of 100 todos, first POST to last SUCCESS`, value: run.endToEnd, unit: 'jobs/s', database: label },
      { benchmark: 'latency', what: 'POST to SUCCESS in the status endpoint at 100 jobs/s, p50', value: timed.p50, unit: 'ms', goal: { op: '<=', value: 20 }, database: label, detail: 'status polled every 5 ms' },
      { benchmark: 'latency', what: 'POST to SUCCESS in the status endpoint at 100 jobs/s, p99', value: timed.p99, unit: 'ms', goal: { op: '<=', value: 100 }, database: label },
      { benchmark: 'latency', what: 'the same jobs, created to finished as the database recorded them, p50', value: timed.databaseP50, unit: 'ms', database: label },
      { benchmark: 'big calendar', what: `one job over ${bigTodos} todos, POST to SUCCESS`, value: big.seconds, unit: 's', goal: { op: '<=', value: 2 }, database: label },
      { benchmark: 'big calendar', what: 'worker peak RSS (VmHWM) during that job', value: big.peakRssMb, unit: 'MB', goal: { op: '<=', value: 256 }, database: label },
    ]
  } finally {
    await cluster.close()
  }
}
