import { spawn, type ChildProcess } from 'node:child_process'
import { freePort } from './net.js'
import { ROOT } from './paths.js'

export interface LocalRun {
  readonly child: ChildProcess
  readonly base: string
  output(): string
  /** Ctrl-C, as a user stops it; resolves with the exit code. */
  interrupt(): Promise<number | null>
}

/** `npm start` without npm: the runner itself, on free ports, with a data folder of the caller's. */
export async function startLocalRun(dataDir: string, env: Record<string, string> = {}): Promise<LocalRun> {
  // The stand-ins take any free port as they listen; only the API's must be known beforehand.
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start-local.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), SQS_PORT: '0', PGLITE_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no welcome within 60 s:\n${output}`)), 60_000)
    child.stdout!.on('data', () => {
      if (output.includes('Stop with Ctrl-C.')) {
        clearTimeout(timer)
        resolve()
      }
    })
    void exited.then((code) => reject(new Error(`exited with ${code}:\n${output}`)))
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
