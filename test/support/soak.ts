import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { httpCall } from '../../scripts/lib/http.js'
import { startLocalRun } from './local-run.js'
import { seedTodos } from './seed.js'

export interface SoakOptions {
  readonly durationMs: number
  /** @default 16 */
  readonly clients?: number
  /** CALENDAR_STORAGE_MB, small, so that most exports make room. @default 4 */
  readonly storageMb?: number
  /** Todos to start with: about 200 bytes of calendar each. @default 2,000 */
  readonly todos?: number
  readonly log?: (line: string) => void
}

export interface SoakResult {
  readonly accepted: number
  readonly succeeded: number
  readonly failed: number
  /** Finished, then removed to make room before its client read it again (404). */
  readonly evicted: number
  /** Not ended by the time its client stopped waiting (two minutes after the soak). */
  readonly unfinished: number
  readonly edits: number
  /** Answers of 500 or more, and the first few of them. */
  readonly serverErrors: number
  readonly serverErrorSamples: string[]
  readonly boundBytes: number
  readonly maxStoredBytes: number
  /** calendar_storage's count against the calendars' own sizes, at the end. */
  readonly counted: { readonly counter: number; readonly summed: number }
  /** The worker's resident memory: the most in the run's second tenth (once warm), and in its last tenth. */
  readonly workerRssMb: { readonly warm: number; readonly last: number }
}

/** The running process whose command line names the worker's entry point, among `parent`'s children. */
function workerPid(parent: number): number {
  for (const task of readdirSync(`/proc/${parent}/task`)) {
    for (const child of readFileSync(`/proc/${parent}/task/${task}/children`, 'utf8').trim().split(' ').filter(Boolean)) {
      if (readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('worker/dist/main.js')) return Number(child)
    }
  }
  throw new Error('the worker process of npm start was not found')
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024

/**
 * `clients` clients exporting and editing todos against `npm start` for `durationMs`, with the
 * calendar storage bounded small and the per-client limits off (every client is 127.0.0.1).
 * Each export is followed to its end; stored bytes and the worker's memory are sampled throughout.
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const storageMb = options.storageMb ?? 4
  const todos = options.todos ?? 2_000
  const log = options.log ?? (() => undefined)
  const dataDir = mkdtempSync(join(tmpdir(), 'taskoverflow-soak-'))
  chmodSync(dataDir, 0o755)
  const run = await startLocalRun(dataDir, { CALENDAR_STORAGE_MB: String(storageMb), EXPORTS_PER_MINUTE: '0', TODO_WRITES_PER_MINUTE: '0' }).catch((err: unknown) => {
    rmSync(dataDir, { recursive: true, force: true })
    throw err
  })
  const databaseUrl = /PostgreSQL \d+ \(embedded\) on (\S+),/.exec(run.output())![1]!
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 })
  const api = `${run.base}/api/v1`
  const tally = { accepted: 0, succeeded: 0, failed: 0, evicted: 0, unfinished: 0, edits: 0, serverErrors: 0, serverErrorSamples: [] as string[] }
  const answered = (status: number, what: string) => {
    if (status < 500) return
    tally.serverErrors++
    if (tally.serverErrorSamples.length < 5) tally.serverErrorSamples.push(`${what}: ${status}`)
  }
  let sampler: NodeJS.Timeout | undefined
  try {
    await seedTodos(pool, todos)
    const worker = workerPid(run.child.pid!)
    const samples: Array<{ at: number; bytes: number; rss: number }> = []
    const started = Date.now()
    sampler = setInterval(() => {
      // A sample missed (the pool ending as the run does) is only a sample fewer.
      void pool.query<{ bytes: string }>('SELECT bytes FROM calendar_storage').then(({ rows }) => samples.push({ at: Date.now() - started, bytes: Number(rows[0]!.bytes), rss: rssMb(worker) }), () => undefined)
    }, 1_000)

    const exportOnce = async () => {
      const posted = await httpCall('POST', `${api}/todos/ical`)
      answered(posted.status, 'POST /todos/ical')
      if (posted.status !== 202) return
      tally.accepted++
      for (const deadline = Date.now() + 120_000; ; ) {
        const state = await httpCall('GET', `${api}/todos/ical/${posted.json.task_id}/status`)
        answered(state.status, 'GET status')
        if (state.status === 404) return void tally.evicted++
        if (state.json?.task_status === 'SUCCESS') return void tally.succeeded++
        if (state.json?.task_status === 'FAILURE') return void tally.failed++
        if (Date.now() > deadline) return void tally.unfinished++
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
    }
    const editOnce = async () => {
      const id = 1 + Math.floor(Math.random() * todos)
      const edited = await httpCall('PUT', `${api}/todos/${id}`, { title: `Edited ${Math.random().toString(36).slice(2)}` })
      answered(edited.status, 'PUT /todos/:id')
      tally.edits++
    }
    const end = started + options.durationMs
    let reported = started
    await Promise.all(
      Array.from({ length: options.clients ?? 16 }, async () => {
        while (Date.now() < end) {
          await (Math.random() < 0.5 ? exportOnce() : editOnce())
          if (Date.now() - reported >= 60_000) {
            reported = Date.now()
            log(`  ${Math.round((reported - started) / 1_000)} s: ${tally.accepted} exports, ${tally.edits} edits, ${tally.serverErrors} errors`)
          }
        }
      }),
    )
    clearInterval(sampler)

    const { rows } = await pool.query<{ counter: string; summed: string }>('SELECT (SELECT bytes FROM calendar_storage) AS counter, (SELECT coalesce(sum(octet_length(body)), 0) FROM calendars) AS summed')
    const tenth = (from: number) => samples.filter((s) => s.at >= from * options.durationMs && s.at < (from + 0.1) * options.durationMs).reduce((most, s) => Math.max(most, s.rss), 0)
    return {
      ...tally,
      boundBytes: storageMb * 1_048_576,
      maxStoredBytes: Math.max(...samples.map((s) => s.bytes), Number(rows[0]!.counter)),
      counted: { counter: Number(rows[0]!.counter), summed: Number(rows[0]!.summed) },
      workerRssMb: { warm: tenth(0.1), last: tenth(0.9) },
    }
  } finally {
    clearInterval(sampler)
    await pool.end()
    await run.interrupt()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
