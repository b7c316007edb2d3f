/**
 * The PostgreSQL server npm start and the tests run on this machine (scripts/local/embedded-postgres.ts):
 * RDS's major version, one server per data folder, and no server left running by a run that ended.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import pg from 'pg'
import { PASSWORD_FILE, startEmbeddedPostgres, type EmbeddedPostgres } from '../../scripts/local/embedded-postgres.js'
import { ROOT } from '../../scripts/lib/paths.js'
import { portFree } from '../../scripts/local/ports.js'
import { POSTGRES_MAJOR_VERSION } from '../../stacks/postgres-version.js'
import { eventually } from '../support/eventually.js'
import { processesNaming } from '../support/processes.js'
import { testFolder } from '../support/test-folder.js'

const folder = testFolder('taskoverflow-embedded-')
const other = testFolder('taskoverflow-embedded-other-')
const orphaned = testFolder('taskoverflow-embedded-orphaned-')
const started: EmbeddedPostgres[] = []
afterAll(async () => {
  await Promise.all(started.map((server) => server.close()))
  folder.remove()
  other.remove()
  orphaned.remove()
})

async function start(dataDir: string, port?: number): Promise<EmbeddedPostgres> {
  const server = await startEmbeddedPostgres({ dataDir, port, durable: false })
  started.push(server)
  return server
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(sql)).rows
  } finally {
    await client.end()
  }
}

/** Every file of a folder with its size and modification time: what "nothing touched" means. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => {
      const stat = statSync(join(dir, name))
      return [name, `${stat.size}:${stat.mtimeMs}`]
    }),
  )
}

describe('the embedded PostgreSQL', () => {
  it("is a real server of the stacks' RDS major version, and keeps its data across a clean stop", async () => {
    const server = await start(folder.path)
    const [{ version }] = (await query<{ version: string }>(server.url, "SELECT current_setting('server_version_num') AS version")) as [{ version: string }]
    expect(Math.floor(Number(version) / 10_000)).toBe(POSTGRES_MAJOR_VERSION)
    await query(server.url, 'CREATE TABLE kept (n integer); INSERT INTO kept VALUES (1)')
    await server.stop()
    await server.start()
    expect(await query(server.url, 'SELECT n FROM kept')).toEqual([{ n: 1 }])
  })

  it('lets nobody in without the password made for the folder, the superuser included, and keeps it readable by the server alone', async () => {
    const url = new URL(started[0]!.url)
    expect(url.password).toMatch(/^[\w-]{32}$/)
    url.password = 'postgres'
    await expect(query(url.toString(), 'SELECT 1')).rejects.toMatchObject({ code: '28P01' })
    const file = join(folder.path, PASSWORD_FILE)
    expect(readFileSync(file, 'utf8').trim()).toBe(new URL(started[0]!.url).password)
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('refuses a data folder another server runs on, in one line naming DATA_DIR, touching nothing of it', async () => {
    const first = started[0]!
    const before = snapshot(folder.path)
    const refusal = await start(folder.path).catch((err: Error) => err)
    expect(refusal).toBeInstanceOf(Error)
    expect((refusal as Error).message).toMatch(new RegExp(`^DATA_DIR \\(${folder.path}\\) is in use by another PostgreSQL server \\(process \\d+, port ${first.port}\\); stop that one, or choose another folder with DATA_DIR=\\.\\.\\.$`))
    expect(snapshot(folder.path)).toEqual(before)
    expect(await query(first.url, 'SELECT n FROM kept')).toEqual([{ n: 1 }])
  })

  it('says a port in use in one line naming POSTGRES_PORT', async () => {
    const refusal = await start(other.path, started[0]!.port).catch((err: Error) => err)
    expect((refusal as Error).message).toBe(`Port ${started[0]!.port} is already in use; stop what uses it or choose another port with POSTGRES_PORT=...`)
  })

  it('starts again after a crash that left its lock file behind', async () => {
    const server = started[0]!
    const lock = join(folder.path, 'postmaster.pid')
    const [pid] = readFileSync(lock, 'utf8').split('\n')
    // kill -9 of the server: no shutdown, the lock file stays, as after a power cut.
    process.kill(Number(pid), 'SIGKILL')
    await eventually('the crashed server to free its port', () => portFree(server.port), 10_000)
    expect(readFileSync(lock, 'utf8').split('\n')[0]).toBe(pid)
    await server.start()
    expect(await query(server.url, 'SELECT n FROM kept')).toEqual([{ n: 1 }])
  })

  it('refuses the data of another major version, touching nothing of it', async () => {
    writeFileSync(join(other.path, 'PG_VERSION'), '15\n')
    const before = snapshot(other.path)
    const refusal = await start(other.path).catch((err: Error) => err)
    expect((refusal as Error).message).toBe(`DATA_DIR (${other.path}) holds PostgreSQL 15's data, which PostgreSQL ${POSTGRES_MAJOR_VERSION} cannot open; choose another folder with DATA_DIR=...`)
    expect(snapshot(other.path)).toEqual(before)
  })

  it('stops when the process that started it is killed with SIGKILL, so the next start finds the folder free', async () => {
    const server = started[0]!
    await server.stop()
    const script = `import { startEmbeddedPostgres } from ${JSON.stringify(join(ROOT, 'scripts/local/embedded-postgres.ts'))}
      await startEmbeddedPostgres({ dataDir: ${JSON.stringify(folder.path)}, port: ${server.port}, durable: false })
      console.log('ready'); setInterval(() => {}, 1000)`
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    await once(child.stdout!, 'data')
    expect(await portFree(server.port)).toBe(false)
    child.kill('SIGKILL')
    await eventually('the keeper to stop the server of the killed process', () => portFree(server.port), 20_000)
    await server.start()
    expect(await query(server.url, 'SELECT n FROM kept')).toEqual([{ n: 1 }])
  })

  it('starts nothing when the process that started it is killed while the folder is being made', async () => {
    const dataDir = join(orphaned.path, 'data')
    const script = `import { startEmbeddedPostgres } from ${JSON.stringify(join(ROOT, 'scripts/local/embedded-postgres.ts'))}
      await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, durable: false })`
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: 'ignore' })
    // Killed as soon as its keeper runs: initdb is still making the folder.
    const others = async () => (await processesNaming(dataDir)).filter((pid) => pid !== child.pid)
    await eventually('the keeper to start', async () => (await others()).length > 0, 20_000)
    child.kill('SIGKILL')
    await eventually('the keeper and anything it started to end', async () => (await others()).length === 0, 60_000)
    // postmaster.opts is written by a server's start and kept after it stops: none ever started.
    expect(readdirSync(dataDir)).toContain('PG_VERSION')
    expect(readdirSync(dataDir)).not.toContain('postmaster.opts')
  }, 90_000)
})
