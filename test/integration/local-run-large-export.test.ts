/**
 * One export of 100,000 todos on `npm start` (ten times MAX_TODOS, which only the API enforces, so
 * they are inserted straight into the database): its calendar (about 18 MB) is stored in the
 * embedded PostgreSQL as one multi-megabyte parameter, as on a server. (On the PGlite relay an
 * earlier version ran, this export once always failed.)
 *
 * One of the slowest integration tests: about 13 s alone on a 2-core machine (npm start about 8 s,
 * seeding 1.5 s, the export 4.3 s).
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import pg from 'pg'
import { exportAndWait } from '../support/exports.js'
import { startLocalRun } from '../support/local-run.js'
import { seedTodos } from '../support/seed.js'
import { testFolder } from '../support/test-folder.js'

const TODOS = 100_000
const dataDir = testFolder('taskoverflow-large-')
afterAll(() => dataDir.remove())

describe('npm start, with 100,000 todos', () => {
  it('exports them all in one calendar', async () => {
    const run = await startLocalRun(dataDir.path)
    try {
      // The embedded database's address, as npm start prints it for the user.
      const databaseUrl = /PostgreSQL \d+ \(embedded\) on (\S+),/.exec(run.output())?.[1]
      if (!databaseUrl) throw new Error(`npm start did not say where its database is:\n${run.output()}`)
      const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 })
      try {
        await seedTodos(pool, TODOS)
      } finally {
        await pool.end()
      }

      const { id } = await exportAndWait(`${run.base}/api/v1`, 250, 180_000)
      const calendar = await (await fetch(`${run.base}/api/v1/todos/ical/${id}/result`)).text()
      expect(calendar.split('BEGIN:VEVENT').length - 1).toBe(TODOS)
      expect(calendar).toContain(`UID:${TODOS}\r\n`)
      expect(calendar.trimEnd().endsWith('END:VCALENDAR')).toBe(true)
    } finally {
      expect(await run.interrupt()).toBe(0)
    }
  }, 240_000)
})
