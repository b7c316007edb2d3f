import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { POSTGRES_MAJOR_VERSION } from '../../stacks/postgres-version.js'
import { freePort, portFree, portInUse } from './ports.js'
import { ROOT } from '../lib/paths.js'

/** The superuser's password, in the data folder (postgres-keeper.ts). */
export const PASSWORD_FILE = 'taskoverflow-superuser-password'

/** What postgres-keeper.ts is told, as its one argument. */
export interface KeeperOptions {
  readonly dataDir: string
  readonly port: number
  readonly durable: boolean
  readonly maxConnections: number
}

/** What postgres-keeper.ts says, once. */
export type KeeperReport = { outcome: 'ready'; pid: number; password: string } | { outcome: 'in-use'; detail: string } | { outcome: 'failed'; log: string[] }

export interface EmbeddedPostgresOptions {
  /** Made and set up at the first start; a server of the pinned major version's data otherwise. */
  readonly dataDir: string
  /** @default any free port */
  readonly port?: number
  /** Data written to disk before a commit returns; off for throwaway test data. @default true */
  readonly durable?: boolean
  /** @default 100, PostgreSQL's own */
  readonly maxConnections?: number
  /** The settings that choose the folder and the port, named in messages. @default DATA_DIR and POSTGRES_PORT */
  readonly settings?: { readonly dataDir: string; readonly port: string }
}

export interface EmbeddedPostgres {
  /** As the superuser `postgres`, with the password made for the folder. */
  readonly url: string
  readonly port: number
  /** Stops the server: `fast` is a clean stop, `immediate` a crash (recovered at the next start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>
  /** Starts it again, on the same folder and port. */
  start(): Promise<void>
  /** Stops it cleanly. */
  close(): Promise<void>
}

/** A problem npm start reports in one line, without a stack trace. */
export class EmbeddedPostgresError extends Error {}

const KEEPER = join(ROOT, 'scripts', 'local', 'postgres-keeper.ts')

/** The major version whose data a folder holds, or undefined when it holds none. */
export function dataVersion(dataDir: string): number | undefined {
  const file = join(dataDir, 'PG_VERSION')
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined
}

/**
 * A real PostgreSQL server of RDS's major version (stacks/postgres-version.ts) on this machine,
 * listening on 127.0.0.1 only, run by postgres-keeper.ts in a process of its own: the server
 * stops when this process ends, however it ends.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const settings = options.settings ?? { dataDir: 'DATA_DIR', port: 'POSTGRES_PORT' }
  const version = dataVersion(options.dataDir)
  if (version !== undefined && version !== POSTGRES_MAJOR_VERSION) {
    throw new EmbeddedPostgresError(`${settings.dataDir} (${options.dataDir}) holds PostgreSQL ${version}'s data, which PostgreSQL ${POSTGRES_MAJOR_VERSION} cannot open; choose another folder with ${settings.dataDir}=...`)
  }
  const keeperOptions: KeeperOptions = { dataDir: options.dataDir, port: options.port || (await freePort()), durable: options.durable ?? true, maxConnections: options.maxConnections ?? 100 }
  let keeper = await launch(keeperOptions, settings)

  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    const { child, pid } = keeper
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    // Fast: the keeper stops the server as PostgreSQL's SIGINT does. Immediate: SIGQUIT, no checkpoint.
    if (mode === 'fast') child.stdin!.end()
    else process.kill(pid, 'SIGQUIT')
    const timer = setTimeout(() => {
      for (const target of [pid, child.pid!]) {
        try {
          process.kill(target, 'SIGKILL')
        } catch {
          // gone already
        }
      }
    }, 60_000)
    await exited.finally(() => clearTimeout(timer))
  }
  const url = new URL(`postgres://postgres@127.0.0.1:${keeperOptions.port}/postgres`)
  url.password = keeper.password
  return {
    url: url.toString(),
    port: keeperOptions.port,
    stop,
    async start() {
      keeper = await launch(keeperOptions, settings)
    },
    close: () => stop('fast'),
  }
}

/** Starts the keeper, detached from this process's terminal, and waits for its report. */
async function launch(options: KeeperOptions, settings: { dataDir: string; port: string }): Promise<{ child: ChildProcess; pid: number; password: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', KEEPER, JSON.stringify(options)], { cwd: ROOT, detached: true, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true })
  // 'close', not 'exit': its output may still be arriving when it exits, and the report is in it.
  const exited = once(child, 'close')
  let stderr = ''
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  const [line] = (await Promise.race([once(createInterface({ input: child.stdout! }), 'line'), exited.then(() => [undefined])])) as [string | undefined]
  const report = line === undefined ? undefined : (JSON.parse(line) as KeeperReport)
  if (report?.outcome === 'ready') {
    // Nothing more is read or written until stop: the keeper must not hold this process open.
    child.stdout!.destroy()
    child.stderr!.destroy()
    child.unref()
    ;(child.stdin as unknown as { unref(): void }).unref()
    return { child, pid: report.pid, password: report.password }
  }

  await exited
  if (report?.outcome === 'in-use') {
    throw new EmbeddedPostgresError(`${settings.dataDir} (${options.dataDir}) is in use by another PostgreSQL server (${lockHolder(options.dataDir)}); stop that one, or choose another folder with ${settings.dataDir}=...`)
  }
  if (!(await portFree(options.port))) throw new EmbeddedPostgresError(portInUse(options.port, settings.port))
  const log = (report?.log ?? stderr.split('\n')).flatMap((line) => line.split('\n')).filter((line) => line.trim() !== '')
  // As root the server runs as the system user postgres, which a private folder's parents may shut out.
  const asRoot = process.getuid?.() === 0 && log.some((line) => line.includes('Permission denied'))
  const hint = asRoot ? `\nRun as root, PostgreSQL runs as the system user postgres, which cannot reach ${options.dataDir}: choose a folder it can reach with ${settings.dataDir}=...` : ''
  throw new EmbeddedPostgresError(`PostgreSQL did not start in ${options.dataDir}:\n${log.slice(-10).join('\n')}${hint}`)
}

/** Who holds a data folder's lock, by its postmaster.pid. */
function lockHolder(dataDir: string): string {
  try {
    const [pid, , , port] = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')
    return `process ${pid}, port ${port}`
  } catch {
    return 'its lock file is postmaster.pid'
  }
}
