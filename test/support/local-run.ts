import { spawn, type ChildProcess } from 'node:child_process'
import { ROOT } from '../../scripts/lib/paths.js'
import { freePort } from '../../scripts/local/ports.js'

export interface LocalRun {
  readonly child: ChildProcess
  readonly base: string
  output(): string
  /** Ctrl-C, as a user stops it; resolves with the exit code. */
  interrupt(): Promise<number | null>
}

export interface NpmStartRun extends LocalRun {
  /**
   * Ctrl-C as a terminal sends it: SIGINT to the whole process group (npm, its shell, the runner,
   * the API and the worker) at once; `times` times, 100 ms apart, as when npm forwards it to the
   * runner again (where the shell execs it, as on macOS) or a person presses it twice. Resolves
   * when every one of them has closed its output.
   */
  interruptGroup(times?: number): Promise<void>
}

/** `npm start` without npm: the runner itself, on free ports, with a data folder of the caller's. */
export async function startLocalRun(dataDir: string, env: Record<string, string> = {}): Promise<LocalRun> {
  return launch([process.execPath, '--import', 'tsx', 'scripts/start-local.ts'], dataDir, env, false)
}

/** What npm start prints once it is up; a test may stop waiting at an earlier line. */
const WELCOMED = 'Stop with Ctrl-C.'

/**
 * `npm start` itself, in a process group of its own as a terminal starts it: npm from this
 * process's npm (npm_execpath) when there is one, else the `npm` on the PATH.
 */
export async function startNpmStart(dataDir: string, env: Record<string, string> = {}, until = WELCOMED): Promise<NpmStartRun> {
  const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm']
  const run = await launch([...npm, 'start'], dataDir, env, true, until)
  const closed = Promise.all([run.child.stdout!, run.child.stderr!].map((stream) => new Promise((resolve) => stream.once('close', resolve))))
  return {
    ...run,
    async interruptGroup(times = 1) {
      for (let i = 0; i < times; i++) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100))
        try {
          process.kill(-run.child.pid!, 'SIGINT')
        } catch {
          // the group is gone already
        }
      }
      await closed
    },
  }
}

async function launch([command, ...args]: string[], dataDir: string, env: Record<string, string>, detached: boolean, until = WELCOMED): Promise<LocalRun> {
  // The stand-ins take any free port as they listen; only the API's must be known beforehand.
  const port = await freePort()
  const child = spawn(command!, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), SQS_PORT: '0', POSTGRES_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${until}" within 60 s:\n${output}`)), 60_000)
    child.stdout!.on('data', () => {
      if (output.includes(until)) {
        clearTimeout(timer)
        resolve()
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`exited with ${code}:\n${output}`))
    })
  }).catch((err: unknown) => {
    // A run that never came up goes, with whatever it started (the whole group, when it has one).
    try {
      if (detached) process.kill(-child.pid!, 'SIGKILL')
      else child.kill('SIGKILL')
    } catch {
      // gone already
    }
    throw err
  })
  return {
    child,
    base: `http://localhost:${port}`,
    output: () => output,
    interrupt() {
      child.kill('SIGINT')
      return exited
    },
  }
}
