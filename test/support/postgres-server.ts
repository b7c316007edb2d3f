import { execFile, execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { delimiter, join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './free-port.js'

const run = promisify(execFile)

export interface PostgresServer {
  readonly url: string
  readonly port: number
  /** Stops the server; `mode` immediate is a crash (no checkpoint), fast a clean stop. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>
  start(): Promise<void>
  /** Stops the server and deletes its data. */
  close(): Promise<void>
}

const INSTALL_HINT =
  'PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them (Debian/Ubuntu: apt-get install postgresql; ' +
  'macOS: brew install postgresql) or set PG_BIN_DIR to the folder that holds them.'

/** initdb's folder: PG_BIN_DIR, the PATH, or Debian's versioned folders. */
function findPostgresBin(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [
    ...(env.PG_BIN_DIR ? [env.PG_BIN_DIR] : []),
    ...(env.PATH ?? '').split(delimiter),
    ...(existsSync('/usr/lib/postgresql')
      ? readdirSync('/usr/lib/postgresql')
          .sort()
          .reverse()
          .map((v) => `/usr/lib/postgresql/${v}/bin`)
      : []),
  ]
  const found = candidates.find((dir) => dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')))
  if (!found) throw new Error(INSTALL_HINT)
  return found
}

/**
 * A throwaway PostgreSQL server in a temporary folder. PostgreSQL refuses to run as root, so
 * as root it runs as the `postgres` user (which Debian's packages create).
 */
export interface PostgresServerOptions {
  /** TCP logins other than `postgres` need their password (scram-sha-256), as on RDS. @default false: trust */
  readonly passwordAuth?: boolean
}

export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const bin = findPostgresBin()
  const asRoot = userInfo().uid === 0
  let owner: { uid: number; gid: number } | undefined
  if (asRoot) {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString())
      owner = { uid: id('-u'), gid: id('-g') }
    } catch {
      throw new Error('Running as root: PostgreSQL needs a non-root user. Create one with `useradd --system postgres`, or run as another user.')
    }
  }
  const root = mkdtempSync(join(tmpdir(), 'taskoverflow-pg-'))
  const dataDir = join(root, 'data')
  if (owner) chownSync(root, owner.uid, owner.gid)
  const exec = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args)

  await exec('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'])
  if (options.passwordAuth) {
    const hba = join(dataDir, 'pg_hba.conf')
    writeFileSync(hba, 'local all all trust\nhost all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n')
    if (owner) chownSync(hba, owner.uid, owner.gid)
  }
  const port = await freePort()
  const serverOptions = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`
  const start = async () => {
    await exec('pg_ctl', ['-D', dataDir, '-o', serverOptions, '-l', join(root, 'server.log'), '-w', '-t', '60', 'start'])
  }
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    await exec('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop'])
  }
  await start()
  // pg_ctl daemonizes the server, so it is no child of ours: stop it when this process exits.
  const stopAtExit = () => {
    try {
      const args = ['-D', dataDir, '-m', 'immediate', 'stop']
      if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args], { stdio: 'ignore' })
      else execFileSync(join(bin, 'pg_ctl'), args, { stdio: 'ignore' })
      rmSync(root, { recursive: true, force: true })
    } catch {
      // already stopped
    }
  }
  process.once('exit', stopAtExit)
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    async close() {
      process.off('exit', stopAtExit)
      await stop('immediate').catch(() => undefined)
      rmSync(root, { recursive: true, force: true })
    },
  }
}
