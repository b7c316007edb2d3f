/**
 * How long `npm start` takes to answer, as a user starts it: from the command to the first 200
 * from /api/v1/health. Once with nothing changed since the last start, and once on a fresh clone
 * (after `npm ci`: the clone gets this checkout's installed packages, copied, so only what
 * `npm start` itself does is timed).
 */
import { execFileSync, spawn } from 'node:child_process'
import { chmodSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../scripts/local/ports.js'
import { ROOT } from '../scripts/lib/paths.js'
import { median, type Figure } from './lib/report.js'
import { SYNTH_ENV, time } from './synth.js'

/** Runs `npm start` in `dir` until the API answers; returns the seconds that took. */
async function timeStart(dir: string, dataDir: string): Promise<number> {
  const port = await freePort()
  const env = { ...process.env, PORT: String(port), SQS_PORT: '0', POSTGRES_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }
  const started = performance.now()
  // Its own process group, so the whole tree (npm, tsx, the services) is stopped together.
  const child = spawn('npm', ['start', '--silent'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let output = ''
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk) => (output += chunk))
  try {
    for (const deadline = Date.now() + 120_000; ; ) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`)
      const ok = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then((r) => r.ok, () => false)
      if (ok) return (performance.now() - started) / 1_000
      if (Date.now() > deadline) throw new Error(`npm start did not answer within 120 s:\n${output}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  } finally {
    const exited = child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve))
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, name)
      } catch {
        // the group is gone already
      }
    }
    signal('SIGINT')
    const timer = setTimeout(() => signal('SIGKILL'), 30_000)
    await exited
    // npm may go before its children: wait until the group is gone.
    for (let i = 0; i < 300; i++) {
      try {
        process.kill(-child.pid!, 0)
      } catch {
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    clearTimeout(timer)
  }
}

export async function benchStart(runs = 5, log: (line: string) => void = () => undefined): Promise<Figure[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'taskoverflow-bench-start-'))
  // Run as root, PostgreSQL runs as the system user postgres, which must reach the data folders in here.
  chmodSync(scratch, 0o755)
  try {
    // A fresh clone of this commit, with the packages npm ci would have installed.
    const fresh: number[] = []
    for (let i = 0; i < Math.min(runs, 3); i++) {
      const clone = join(scratch, `clone-${i}`)
      execFileSync('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone])
      symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'))
      // Copied, not linked: its links to the workspace packages must point into the clone.
      cpSync(join(ROOT, 'containers', 'node_modules'), join(clone, 'containers', 'node_modules'), { recursive: true, verbatimSymlinks: true })
      fresh.push(await timeStart(clone, join(scratch, `data-${i}`)))
      log(`  fresh clone ${i + 1}: ${fresh.at(-1)!.toFixed(2)} s`)
    }
    // Here, where nothing changed since the last build: the first start warms the caches.
    const warm: number[] = []
    for (let i = 0; i <= runs; i++) {
      const seconds = await timeStart(ROOT, join(scratch, 'data-warm'))
      if (i > 0) warm.push(seconds)
      log(`  ${i === 0 ? 'warming up' : `nothing changed ${i}`}: ${seconds.toFixed(2)} s`)
    }
    // Machines here differ twofold from one day to the next: the goal is a ratio to a command timed in the same run.
    const synth = time('npm', ['run', 'synth', '--silent'], runs, SYNTH_ENV)
    log(`  npm run synth, for scale: ${synth.toFixed(2)} s`)
    const database = 'embedded PostgreSQL'
    return [
      { benchmark: 'npm start', what: `nothing changed since the last start, to the first 200 from /api/v1/health (median of ${runs})`, value: median(warm), unit: 's', goal: { op: '<=', value: 3 }, database },
      { benchmark: 'npm start', what: `a fresh clone after npm ci, the same (median of ${fresh.length})`, value: median(fresh), unit: 's', goal: { op: '<=', value: 10 }, database },
      { benchmark: 'npm start', what: `nothing changed, as a multiple of npm run synth in the same run (${synth.toFixed(2)} s)`, value: median(warm) / synth, unit: '×', goal: { op: '<=', value: 4 }, database },
    ]
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}
