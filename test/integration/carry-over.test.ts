/**
 * npm start after an upgrade from the version whose embedded database was PGlite: that data is
 * carried over on the first start, and the earlier folder kept exactly as it was.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { afterAll, describe, expect, it } from '@jest/globals'
import pg from 'pg'
import { httpCall } from '../../scripts/lib/http.js'
import { ROOT } from '../../scripts/lib/paths.js'
import { startLocalDatabase } from '../../scripts/local/local-database.js'
import { startLocalRun } from '../support/local-run.js'
import { eventually } from '../support/eventually.js'
import { EARLIER, makePgliteFolder } from '../support/pglite-folder.js'
import { processesNaming } from '../support/processes.js'
import { testFolder } from '../support/test-folder.js'

const folder = testFolder('taskoverflow-carry-over-')
afterAll(() => folder.remove())

/** Every file of a folder and a hash of its bytes: what "kept as it was" means. */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((name) => statSync(join(dir, name)).isFile())
      .map((name) => [name, createHash('sha256').update(readFileSync(join(dir, name))).digest('hex')]),
  )
}

describe('the first npm start after the embedded database was PGlite', () => {
  it('carries over the todos and jobs in DATA_DIR, says so, and keeps the earlier folder beside it as it was', async () => {
    const dataDir = join(folder.path, 'data')
    // Migrated by an earlier version: the services add what came since, after the carry-over.
    await makePgliteFolder(dataDir, 7)
    const before = contents(dataDir)

    const run = await startLocalRun(dataDir)
    try {
      expect(run.output()).toContain(`Carried over 2 todos and 1 export jobs from the earlier version's database (PGlite) in ${dataDir}-pglite, which is kept as it was`)
      const todos = (await httpCall('GET', `${run.base}/api/v1/todos`)).json as Array<Record<string, unknown>>
      expect(todos.map(({ id, title, description }) => ({ id, title, description }))).toEqual(EARLIER.todos.map(({ id, title, description }) => ({ id, title, description })))
      expect(todos[0]!.deadline_at).toBe(EARLIER.todos[0]!.deadline_at)
      // The ids go on after the largest carried over, as they would have.
      expect((await httpCall('POST', `${run.base}/api/v1/todos`, { title: 'new' })).json.id).toBe(8)
      const status = (await httpCall('GET', `${run.base}/api/v1/todos/ical/${EARLIER.job}/status`)).json
      expect(status.task_status).toBe('SUCCESS')
      expect((await httpCall('GET', `${run.base}/api/v1/todos/ical/${EARLIER.job}/result`)).text).toBe(EARLIER.calendar)
    } finally {
      expect(await run.interrupt()).toBe(0)
    }
    expect(contents(`${dataDir}-pglite`)).toEqual(before)

    // Once only: the next start is an ordinary one.
    const again = await startLocalRun(dataDir)
    try {
      expect(again.output()).not.toContain('Carried over')
      expect(((await httpCall('GET', `${again.base}/api/v1/todos`)).json as unknown[]).length).toBe(3)
    } finally {
      await again.interrupt()
    }
  }, 120_000)

  it("carries over the earlier default folder (.data/pglite) when DATA_DIR is left to the new default, leaving it where it was", async () => {
    const earlier = join(folder.path, 'pglite')
    await makePgliteFolder(earlier, 8)
    const before = contents(earlier)
    const lines: string[] = []
    const postgres = await startLocalDatabase({ dataDir: join(folder.path, 'postgres'), port: 0, earlierDefault: earlier, log: (line) => lines.push(line) })
    try {
      expect(lines).toEqual([`Carried over 2 todos and 1 export jobs from the earlier version's database (PGlite) in ${earlier}, which is kept as it was: delete it once you no longer need it.`])
      const client = new pg.Client({ connectionString: postgres.url })
      await client.connect()
      const { rows } = await client.query('SELECT id, title FROM todos ORDER BY id')
      await client.end()
      expect(rows).toEqual(EARLIER.todos.map(({ id, title }) => ({ id, title })))
    } finally {
      await postgres.close()
    }
    expect(contents(earlier)).toEqual(before)
  }, 60_000)

  it('leaves everything as it was when the earlier data cannot be read, and says so in one line', async () => {
    const dataDir = join(folder.path, 'unreadable')
    await makePgliteFolder(dataDir, 8)
    // A folder PGlite cannot open: its control file is gone.
    rmSync(join(dataDir, 'global', 'pg_control'))
    const before = contents(dataDir)
    const failure = await startLocalDatabase({ dataDir, port: 0, log: () => undefined }).catch((err: Error) => err)
    expect((failure as Error).message).toMatch(new RegExp(`^Could not carry over the earlier version's database \\(PGlite\\) in ${dataDir}, which is as it was: `))
    expect(contents(dataDir)).toEqual(before)
    expect(existsSync(`${dataDir}-pglite`)).toBe(false)
  }, 60_000)

  it('carries it over at the next start when the first was killed part-way, losing nothing', async () => {
    const dataDir = join(folder.path, 'interrupted')
    await makePgliteFolder(dataDir, 8)
    const before = contents(dataDir)
    const script = `import { startLocalDatabase } from ${JSON.stringify(join(ROOT, 'scripts/local/local-database.ts'))}
      await startLocalDatabase({ dataDir: ${JSON.stringify(dataDir)}, port: 0, log: () => undefined })`
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: 'ignore' })
    // Killed once the earlier data is moved aside and the new folder is being made.
    await eventually('the earlier data to be moved aside', async () => existsSync(`${dataDir}-pglite`), 20_000)
    child.kill('SIGKILL')
    const others = async () => (await processesNaming(dataDir)).filter((pid) => pid !== child.pid)
    await eventually('the keeper to end', async () => (await others()).length === 0, 60_000)

    const lines: string[] = []
    const postgres = await startLocalDatabase({ dataDir, port: 0, log: (line) => lines.push(line) })
    try {
      expect(lines).toEqual([
        "The last start stopped while carrying over the earlier version's database (PGlite); carrying it over again.",
        `Carried over 2 todos and 1 export jobs from the earlier version's database (PGlite) in ${dataDir}-pglite, which is kept as it was: delete it once you no longer need it.`,
      ])
    } finally {
      await postgres.close()
    }
    expect(contents(`${dataDir}-pglite`)).toEqual(before)
    expect(existsSync(`${dataDir}.carrying-over.json`)).toBe(false)
  }, 120_000)
})
