import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { SERVICE_ENTRY } from '../lib/paths.js'

export type ServiceName = keyof typeof SERVICE_ENTRY

export interface ServiceProcess {
  readonly name: ServiceName
  readonly child: ChildProcess
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  readonly exited: Promise<number | string>
  /** Sends `signal` and waits for the exit; SIGKILL after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>
}

export interface ServiceOptions {
  /** Variables for the service, added to this process's environment (PATH, HOME...). */
  readonly env: Record<string, string | undefined>
  /** Each line the service writes, stdout and stderr alike. */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void
  /** Flags for node itself, e.g. --cpu-prof (which NODE_OPTIONS does not allow). */
  readonly nodeArgs?: readonly string[]
}

/** Runs a compiled service (api or worker) as its own process, as a container would. */
export function startService(name: ServiceName, options: ServiceOptions): ServiceProcess {
  const entry = SERVICE_ENTRY[name]
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`)
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), entry], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  for (const stream of ['stdout', 'stderr'] as const) {
    createInterface({ input: child[stream]! }).on('line', (line) => options.onLine?.(line, stream))
  }
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')))
  killWithParent(child)
  return {
    name,
    child,
    exited,
    async stop(signal = 'SIGTERM', timeoutMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited
      child.kill(signal)
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
      try {
        return await exited
      } finally {
        clearTimeout(timer)
      }
    },
  }
}

/** A child process must not outlive the process that started it (npm start, a test, a benchmark), even one that crashed. */
export function killWithParent(child: ChildProcess): void {
  const kill = () => child.kill('SIGKILL')
  process.once('exit', kill)
  child.once('exit', () => process.off('exit', kill))
}
