/**
 * TaskOverflow beside the course's own implementation (bench/original: Flask + Celery, as the
 * practical writes it), on the same PostgreSQL server, driven by the same load client in
 * alternating rounds. Each system gets a database of its own on that server.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import pg from 'pg'
import { startCluster, type Cluster } from '../test/support/cluster.js'
import { freePort } from '../test/support/free-port.js'
import { ROOT } from '../scripts/lib/paths.js'
import { replaceTodos } from '../test/support/seed.js'
import { killWithParent, waitForHealthy } from '../scripts/lib/services.js'
import { MAX_MESSAGE_BYTES } from '../scripts/lib/sqs-rules.js'
import { encodeJobMessage } from '@taskoverflow/shared'
import { countingProxy } from './lib/counting-proxy.js'
import { exportAndWait, postExport } from '../test/support/exports.js'
import { median, percentile, type Figure } from './lib/report.js'

const PEER_DIR = join(ROOT, 'bench', 'original')
const DEBIAN_PACKAGES = 'python3-flask python3-flask-sqlalchemy python3-celery python3-icalendar python3-psycopg2 python3-redis gunicorn redis-server'
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

/** Debian's Python (a pyenv or venv python3 on the PATH would not see Debian's packages). */
function debianPython(): string {
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'
  try {
    execFileSync(python, ['-c', 'import flask, flask_sqlalchemy, celery, icalendar, psycopg2, redis, gunicorn'], { stdio: 'ignore' })
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' })
  } catch {
    throw new Error(`The original needs Debian's packages. Install them: apt-get install ${DEBIAN_PACKAGES}`)
  }
  return python
}

/** A process of the peer's, its output kept, killed with this one. */
function spawnPeer(command: string, args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string; stop(): Promise<void> } {
  const child = spawn(command, args, { cwd: PEER_DIR, env: { ...process.env, ...env, PYTHONDONTWRITEBYTECODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
  killWithParent(child)
  const lines: string[] = []
  for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', (line) => lines.push(line) > 400 && lines.shift())
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    child,
    output: () => lines.join('\n'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}

/** Resident memory of a process and all its descendants (Celery's prefork pool is children). */
function treeRssMb(pid: number): number {
  let kb = 0
  const visit = (p: number) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8')
      kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
      for (const task of readdirSync(`/proc/${p}/task`)) {
        const children = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim()
        for (const child of children ? children.split(' ') : []) visit(Number(child))
      }
    } catch {
      // the process ended while being read
    }
  }
  visit(pid)
  return kb / 1024
}

/** Samples `treeRssMb` every 20 ms until stopped; returns the peak. */
function watchPeakRss(pid: number): () => number {
  let peak = treeRssMb(pid)
  const timer = setInterval(() => (peak = Math.max(peak, treeRssMb(pid))), 20)
  return () => {
    clearInterval(timer)
    return Math.max(peak, treeRssMb(pid))
  }
}

interface System {
  readonly name: string
  readonly apiUrl: string
  readonly pool: pg.Pool
  workerPid(): number
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

interface Peer extends System {
  readonly redisPort: number
  stopWorker(): Promise<void>
  startWorker(): Promise<void>
  close(): Promise<void>
}

async function startPeer(python: string, cluster: Cluster, log: (line: string) => void): Promise<Peer> {
  await cluster.pool.query('CREATE DATABASE original')
  const databaseUrl = new URL(cluster.postgres!.url)
  databaseUrl.pathname = '/original'
  const redisPort = await freePort()
  const redis = spawnPeer('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {})
  const env = {
    SQLALCHEMY_DATABASE_URI: databaseUrl.href.replace(/^postgres:/, 'postgresql:'),
    CELERY_BROKER_URL: `redis://127.0.0.1:${redisPort}/0`,
    CELERY_RESULT_BACKEND: `db+${databaseUrl.href.replace(/^postgres:/, 'postgresql:')}`,
  }
  const port = await freePort()
  const workers = 2 * cpus().length + 1
  const gunicorn = spawnPeer(python, ['-m', 'gunicorn', '--workers', String(workers), '--bind', `127.0.0.1:${port}`, '--log-level', 'warning', 'todo:create_app()'], env)
  const apiUrl = `http://127.0.0.1:${port}/api/v1`
  try {
    await waitForHealthy(`${apiUrl}/health`, 60_000)
  } catch (err) {
    throw new Error(`gunicorn did not start: ${(err as Error).message}\n${gunicorn.output()}`)
  }
  log(`  the original: gunicorn with ${workers} workers, Redis on ${redisPort}`)
  let celery: ReturnType<typeof spawnPeer> | undefined
  const startWorker = async () => {
    celery = spawnPeer(python, ['-m', 'celery', '--app', 'todo.tasks.ical', 'worker', '--loglevel=info'], env)
    for (const deadline = Date.now() + 60_000; !/\bready\.$/m.test(celery.output()); ) {
      if (celery.child.exitCode !== null || Date.now() > deadline) throw new Error(`the Celery worker did not start:\n${celery.output()}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  const pool = new pg.Pool({ connectionString: databaseUrl.href, max: 2 })
  return {
    name: 'original',
    apiUrl,
    pool,
    redisPort,
    workerPid: () => celery!.child.pid!,
    startWorker,
    stopWorker: async () => celery?.stop(),
    async close() {
      await celery?.stop()
      await gunicorn.stop()
      await redis.stop()
      await pool.end()
    },
  }
}

/** Redis's own count of the commands it served, by command, leaving out these INFO calls. */
function redisCalls(port: number): Map<string, number> {
  const info = execFileSync('redis-cli', ['-p', String(port), 'INFO', 'commandstats'], { encoding: 'utf8' })
  return new Map([...info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)].filter(([, name]) => name !== 'info').map(([, name, calls]) => [name!, Number(calls)]))
}

/**
 * What the original would put on SQS for one export of `todos` todos: the kombu message it puts
 * on Redis (which `redis-cli` reads back before any worker takes it), base64-encoded once more,
 * as Debian's kombu 5.2 SQS transport does by default (`Channel._put`, `sqs_base64_encoding`).
 */
async function originalMessageBytes(peer: Peer, todos: number): Promise<number> {
  await replaceTodos(peer.pool, todos)
  await postExport(peer.apiUrl)
  const raw = execFileSync('redis-cli', ['-p', String(peer.redisPort), '--raw', 'LPOP', 'ical'], { maxBuffer: 64 * 2 ** 20 })
  const redisBytes = raw.length - 1 // redis-cli ends the value with a line break
  if (redisBytes <= 0) throw new Error('no message was waiting on the Redis queue')
  return 4 * Math.ceil(redisBytes / 3)
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
  const cluster = await startCluster({ database: 'server' })
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
