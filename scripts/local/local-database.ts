import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { carryOverPglite } from './carry-over.js'
import { dataVersion, EmbeddedPostgresError, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js'

/** The data format PGlite 0.5, npm start's database before this one, wrote: PostgreSQL 18's. */
const PGLITE_DATA_VERSION = 18

export interface LocalDatabaseOptions {
  readonly dataDir: string
  readonly port: number
  /** Where an earlier version kept its data when DATA_DIR was not set (.data/pglite); unset when DATA_DIR is. */
  readonly earlierDefault?: string
  readonly log: (line: string) => void
}

/**
 * npm start's database: the embedded PostgreSQL on DATA_DIR. The first time, an earlier
 * version's data (PGlite's, in the old default folder, or in DATA_DIR itself, which is then
 * moved aside to DATA_DIR-pglite) is carried over and the old folder kept as it was. A carry-over
 * cut short (Ctrl-C, a kill, a power cut) is noted beside DATA_DIR until it ends, and the next
 * start undoes what it made and carries the data over again.
 */
export async function startLocalDatabase(options: LocalDatabaseOptions): Promise<EmbeddedPostgres> {
  const note = `${options.dataDir}${CARRYING_OVER}`
  if (existsSync(note)) {
    undo(JSON.parse(readFileSync(note, 'utf8')) as EarlierData, options.dataDir)
    rmSync(note)
    options.log(`The last start stopped while carrying over the earlier version's database (PGlite); carrying it over again.`)
  }
  const earlier = earlierData(options)
  if (earlier) writeFileSync(note, JSON.stringify(earlier))
  const failed = (err: unknown) => {
    undo(earlier, options.dataDir)
    rmSync(note, { force: true })
    return err
  }
  let postgres: EmbeddedPostgres
  try {
    postgres = await startEmbeddedPostgres({ dataDir: options.dataDir, port: options.port })
  } catch (err) {
    throw failed(err)
  }
  if (!earlier) return postgres
  try {
    const carried = await carryOverPglite(earlier.folder, postgres.url)
    rmSync(note)
    options.log(`Carried over ${carried.todos} todos and ${carried.jobs} export jobs from the earlier version's database (PGlite) in ${earlier.folder}, which is kept as it was: delete it once you no longer need it.`)
    return postgres
  } catch (err) {
    await postgres.close()
    throw failed(new EmbeddedPostgresError(`Could not carry over the earlier version's database (PGlite) in ${earlier.movedFrom ?? earlier.folder}, which is as it was: ${err instanceof Error ? err.message : String(err)}`))
  }
}

/** Beside DATA_DIR while a carry-over runs: what the next start undoes if it never ended. */
const CARRYING_OVER = '.carrying-over.json'

interface EarlierData {
  readonly folder: string
  /** DATA_DIR, when the earlier data was there and has been moved aside. */
  readonly movedFrom?: string
}

function earlierData(options: LocalDatabaseOptions): EarlierData | undefined {
  const version = dataVersion(options.dataDir)
  if (version === undefined) {
    return options.earlierDefault && dataVersion(options.earlierDefault) === PGLITE_DATA_VERSION ? { folder: options.earlierDefault } : undefined
  }
  // PostgreSQL 17's data is started as it is; any other version's is refused by the server's start.
  if (version !== PGLITE_DATA_VERSION) return undefined
  const aside = `${options.dataDir}-pglite`
  if (existsSync(aside)) {
    throw new EmbeddedPostgresError(`DATA_DIR (${options.dataDir}) holds an earlier version's database (PGlite), to be moved to ${aside} and carried over, but ${aside} exists already; move one of them away`)
  }
  renameSync(options.dataDir, aside)
  return { folder: aside, movedFrom: options.dataDir }
}

/**
 * What this start made undone, so the next start carries the earlier data over again: DATA_DIR,
 * which held nothing before (or had its earlier data moved aside), is removed, and the earlier
 * data put back where it was.
 */
function undo(earlier: EarlierData | undefined, dataDir: string): void {
  if (!earlier) return
  rmSync(dataDir, { recursive: true, force: true })
  if (earlier.movedFrom) renameSync(earlier.folder, earlier.movedFrom)
}
