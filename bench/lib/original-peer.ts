/**
 * The course's own implementation (bench/original: Flask and Flask-SQLAlchemy under gunicorn, one
 * Celery worker, Redis as the broker), started beside a cluster on its PostgreSQL server, in a
 * database of its own.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import pg from 'pg'
import { ROOT } from '../../scripts/lib/paths.js'
import { killWithParent } from '../../scripts/local/services.js'
import { waitForHealthy } from '../../scripts/lib/http.js'
import type { Cluster } from '../../test/support/cluster.js'
import { postExport } from '../../test/support/exports.js'
import { freePort } from '../../scripts/local/ports.js'
import { replaceTodos } from '../../test/support/seed.js'

const PEER_DIR = join(ROOT, 'bench', 'original')
const DEBIAN_PACKAGES = 'python3-flask python3-flask-sqlalchemy python3-celery python3-icalendar python3-psycopg2 python3-redis gunicorn redis-server'

/** Debian's Python (a pyenv or venv python3 on the PATH would not see Debian's packages). */
export function debianPython(): string {
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

/** One of the two systems compared: where its API answers, its database, its worker's process. */
export interface System {
  readonly name: string
  readonly apiUrl: string
  readonly pool: pg.Pool
  workerPid(): number
}

export interface Peer extends System {
  readonly redisPort: number
  stopWorker(): Promise<void>
  startWorker(): Promise<void>
  close(): Promise<void>
}

export async function startPeer(python: string, cluster: Cluster, log: (line: string) => void): Promise<Peer> {
  await cluster.pool.query('CREATE DATABASE original')
  const databaseUrl = new URL(cluster.postgres.url)
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
export function redisCalls(port: number): Map<string, number> {
  const info = execFileSync('redis-cli', ['-p', String(port), 'INFO', 'commandstats'], { encoding: 'utf8' })
  return new Map([...info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)].filter(([, name]) => name !== 'info').map(([, name, calls]) => [name!, Number(calls)]))
}

/**
 * What the original would put on SQS for one export of `todos` todos: the kombu message it puts
 * on Redis (which `redis-cli` reads back before any worker takes it), base64-encoded once more,
 * as Debian's kombu 5.2 SQS transport does by default (`Channel._put`, `sqs_base64_encoding`).
 */
export async function originalMessageBytes(peer: Peer, todos: number): Promise<number> {
  await replaceTodos(peer.pool, todos)
  await postExport(peer.apiUrl)
  const raw = execFileSync('redis-cli', ['-p', String(peer.redisPort), '--raw', 'LPOP', 'ical'], { maxBuffer: 64 * 2 ** 20 })
  const redisBytes = raw.length - 1 // redis-cli ends the value with a line break
  if (redisBytes <= 0) throw new Error('no message was waiting on the Redis queue')
  return 4 * Math.ceil(redisBytes / 3)
}
