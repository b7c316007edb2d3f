/**
 * TaskOverflow beside the course's own implementation (bench/original: Flask + Celery, as the
 * practical writes it), on the same PostgreSQL server, driven by the same load client in
 * alternating rounds. Each system gets a database of its own on that server.
 */
import { cpus } from 'node:os'
import { encodeJobMessage } from '@taskoverflow/shared'
import { MAX_MESSAGE_BYTES } from '../scripts/local/sqs-rules.js'
import { startCluster, type Cluster } from '../test/support/cluster.js'
import { exportAndWait } from '../test/support/exports.js'
import { replaceTodos } from '../test/support/seed.js'
import { countingProxy } from './lib/counting-proxy.js'
import { watchPeakRss } from './lib/memory.js'
import { debianPython, originalMessageBytes, redisCalls, startPeer, type Peer, type System } from './lib/original-peer.js'
import { median, percentile, type Figure } from './lib/report.js'

/**
 * The practical's queue, and this project's, is made by Terraform's hashicorp/aws 5.x, which gives
 * a queue 256 KiB and takes no more (max_message_size); SQS itself takes up to 1 MiB since 2025.
 */
const TERRAFORM_AWS5_QUEUE_BYTES = 262_144
const DATABASE = 'PostgreSQL server'

interface Options {
  readonly rounds?: number
  readonly jobs?: number
  readonly clients?: number
  readonly sequentialJobs?: number
  readonly idleSeconds?: number
  readonly log?: (line: string) => void
}

/** `clients` clients, each exporting and waiting in turn, `jobs` exports in all. */
async function closedLoop(system: System, jobs: number, clients: number): Promise<{ jobsPerSecond: number }> {
  let next = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next++ < jobs) await exportAndWait(system.apiUrl, 10)
  }))
  return { jobsPerSecond: (jobs / (performance.now() - started)) * 1_000 }
}

async function sequential(system: System, jobs: number): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < jobs; i++) times.push((await exportAndWait(system.apiUrl, 5)).ms)
  return times.sort((a, b) => a - b)
}

/** The original's SQS message for exports of more and more todos, while no Celery worker takes them off Redis. */
async function messageSizes(peer: Peer): Promise<Array<{ todos: number; bytes: number }>> {
  const sizes: Array<{ todos: number; bytes: number }> = []
  for (const todos of [100, 500, 1_000, 2_000, 5_000, 10_000]) sizes.push({ todos, bytes: await originalMessageBytes(peer, todos) })
  return sizes
}

/** Each system's throughput and one-at-a-time latencies, over `rounds` rounds that alternate which goes first. */
async function alternatingRounds(systems: readonly System[], options: Required<Omit<Options, 'idleSeconds'>>) {
  const throughput = new Map<string, number[]>(systems.map((s) => [s.name, []]))
  const latency = new Map<string, number[]>(systems.map((s) => [s.name, []]))
  for (let round = 0; round < options.rounds; round++) {
    // Alternating which goes first, so neither always runs on a warmer or cooler machine.
    for (const system of round % 2 === 0 ? systems : [...systems].reverse()) {
      const { jobsPerSecond } = await closedLoop(system, options.jobs, options.clients)
      const times = await sequential(system, options.sequentialJobs)
      throughput.get(system.name)!.push(jobsPerSecond)
      latency.get(system.name)!.push(...times)
      options.log(`  round ${round + 1}, ${system.name}: ${jobsPerSecond.toFixed(1)} jobs/s with ${options.clients} clients; one at a time p50 ${percentile(times, 50).toFixed(1)} ms`)
    }
  }
  const summary = (name: string) => {
    const times = [...latency.get(name)!].sort((a, b) => a - b)
    return { throughput: median(throughput.get(name)!), p50: percentile(times, 50), p90: percentile(times, 90) }
  }
  return { ours: summary('TaskOverflow'), original: summary('original') }
}

/** One export of 10,000 todos on each system: its time, and the worker's peak memory meanwhile. */
async function largeExports(systems: readonly System[], log: (line: string) => void) {
  const big = new Map<string, { seconds: number; rssMb: number }>()
  for (const system of systems) {
    await replaceTodos(system.pool, 10_000)
    const peak = watchPeakRss(system.workerPid())
    const seconds = (await exportAndWait(system.apiUrl, 5)).ms / 1_000
    big.set(system.name, { seconds, rssMb: peak() })
    log(`  10,000 todos, ${system.name}: ${seconds.toFixed(2)} s, worker peak ${big.get(system.name)!.rssMb.toFixed(0)} MB`)
  }
  return { ours: big.get('TaskOverflow')!, original: big.get('original')! }
}

/**
 * Both workers idle at once, each counted from outside: ours behind a proxy that counts SQS
 * actions, the original's by Redis's command statistics. Calls a minute.
 */
async function idleCalls(cluster: Cluster, peer: Peer, idleSeconds: number, log: (line: string) => void) {
  const proxy = await countingProxy(cluster.sqs.endpoint)
  try {
    await cluster.worker()!.stop('SIGTERM')
    await cluster.startWorker({ SQS_ENDPOINT: proxy.url })
    await new Promise((resolve) => setTimeout(resolve, 5_000))
    proxy.counts.clear()
    const before = redisCalls(peer.redisPort)
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1_000))
    const after = redisCalls(peer.redisPort)
    const delta = [...after].map(([name, n]) => [name, n - (before.get(name) ?? 0)] as const).filter(([, n]) => n > 0)
    const minutes = idleSeconds / 60
    const idle = {
      ours: [...proxy.counts.values()].reduce((a, b) => a + b, 0) / minutes,
      original: delta.reduce((a, [, n]) => a + n, 0) / minutes,
      originalDetail: delta.map(([name, n]) => `${name} ${n}`).join(', '),
    }
    log(`  idle for ${idleSeconds} s: TaskOverflow ${[...proxy.counts].map(([a, n]) => `${a} ${n}`).join(', ') || 'no calls'}; the original ${idle.originalDetail || 'no calls'}`)
    return idle
  } finally {
    await proxy.close()
  }
}

interface Measured {
  readonly settings: Required<Omit<Options, 'log'>>
  readonly rounds: Awaited<ReturnType<typeof alternatingRounds>>
  readonly big: Awaited<ReturnType<typeof largeExports>>
  readonly idle: Awaited<ReturnType<typeof idleCalls>>
  readonly sizes: ReadonlyArray<{ todos: number; bytes: number }>
  readonly ourBytes: number
}

/** The figures, each system's beside the other's and their ratio. */
function comparison({ settings, rounds: { ours: a, original: b }, big, idle, sizes, ourBytes }: Measured): Figure[] {
  const { rounds, jobs, clients, sequentialJobs } = settings
  const ratio = (x: number, y: number) => Math.round((x / y) * 10) / 10
  const figure = (what: string, value: number, unit: string, detail?: string): Figure => ({ benchmark: 'vs original', what, value, unit, database: DATABASE, ...(detail ? { detail } : {}) })
  // The message grows linearly with the todos: fit it, and solve for each limit.
  const [first, last] = [sizes[0]!, sizes.at(-1)!]
  const perTodo = (last.bytes - first.bytes) / (last.todos - first.todos)
  const crossing = (limit: number) => Math.round(first.todos + (limit - first.bytes) / perTodo)
  return [
    figure(`TaskOverflow: throughput, ${clients} clients each exporting and polling until SUCCESS (median of ${rounds} rounds of ${jobs})`, a.throughput, 'jobs/s'),
    figure('the original (Flask + Celery): the same', b.throughput, 'jobs/s'),
    figure('throughput ratio, TaskOverflow to the original', ratio(a.throughput, b.throughput), '×'),
    figure(`TaskOverflow: one export at a time, POST to SUCCESS, p50 (${rounds} × ${sequentialJobs} exports)`, a.p50, 'ms', `p90 ${a.p90.toFixed(1)} ms`),
    figure('the original: the same, p50', b.p50, 'ms', `p90 ${b.p90.toFixed(1)} ms`),
    figure('latency ratio, the original to TaskOverflow (p50)', ratio(b.p50, a.p50), '×'),
    figure('TaskOverflow: one export of 10,000 todos, POST to SUCCESS', big.ours.seconds, 's'),
    figure('the original: the same', big.original.seconds, 's'),
    figure('10,000-todo export time ratio, the original to TaskOverflow', ratio(big.original.seconds, big.ours.seconds), '×'),
    figure('TaskOverflow: worker peak memory during it (RSS)', big.ours.rssMb, 'MB', 'one Node process'),
    figure('the original: the same (RSS of the Celery worker and its pool)', big.original.rssMb, 'MB', `main process and ${cpus().length} prefork children`),
    figure('worker memory ratio, the original to TaskOverflow', ratio(big.original.rssMb, big.ours.rssMb), '×'),
    figure('TaskOverflow: broker calls by an idle worker (SQS ReceiveMessage, 20 s long polls)', idle.ours, 'calls/min'),
    figure('the original: the same (Redis commands by an idle Celery worker)', idle.original, 'calls/min', idle.originalDetail),
    figure('idle broker calls ratio, the original to TaskOverflow', ratio(idle.original, idle.ours), '×'),
    figure('TaskOverflow: SQS message per export, any calendar size', ourBytes, 'bytes', 'the job id only'),
    ...sizes.map((s) =>
      figure(`the original: SQS message per export of ${s.todos} todos`, s.bytes / 1024, 'KiB', s.bytes > MAX_MESSAGE_BYTES ? 'over even 1 MiB, the most SQS takes: cannot be sent' : s.bytes > TERRAFORM_AWS5_QUEUE_BYTES ? 'over 256 KiB, the most a queue from hashicorp/aws 5.x takes: refused' : 'fits'),
    ),
    figure("the original: todos at which its message exceeds 256 KiB, the most a queue from hashicorp/aws 5.x takes", crossing(TERRAFORM_AWS5_QUEUE_BYTES), 'todos', `${perTodo.toFixed(0)} bytes a todo`),
    figure("the original: the same for 1 MiB, the most SQS takes (since 2025)", crossing(MAX_MESSAGE_BYTES), 'todos'),
  ]
}

export async function benchOriginal(options: Options = {}): Promise<Figure[]> {
  const log = options.log ?? (() => undefined)
  const settings = { rounds: options.rounds ?? 3, jobs: options.jobs ?? 200, clients: options.clients ?? 16, sequentialJobs: options.sequentialJobs ?? 30, idleSeconds: options.idleSeconds ?? 60 }
  const python = debianPython()
  const cluster = await startCluster()
  let peer: Peer | undefined
  try {
    peer = await startPeer(python, cluster, log)
    const ours: System = { name: 'TaskOverflow', apiUrl: cluster.apiUrl, pool: cluster.pool, workerPid: () => cluster.worker()!.child.pid! }
    const sizes = await messageSizes(peer)
    log(`  the original's SQS message: ${sizes.map((s) => `${s.todos} todos ${(s.bytes / 1024).toFixed(0)} KiB`).join(', ')}`)
    const ourBytes = Buffer.byteLength(encodeJobMessage('00000000-0000-4000-8000-000000000000'))

    await cluster.startWorker()
    await peer.startWorker()
    const systems = [ours, peer]
    for (const system of systems) {
      await replaceTodos(system.pool, 100)
      await closedLoop(system, 20, 4) // warm-up: connections, caches, Celery's result tables
    }
    const rounds = await alternatingRounds(systems, { ...settings, log })
    const big = await largeExports(systems, log)
    const idle = await idleCalls(cluster, peer, settings.idleSeconds, log)
    return comparison({ settings, rounds, big, idle, sizes, ourBytes })
  } finally {
    await peer?.close()
    await cluster.close()
  }
}
