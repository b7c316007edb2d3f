// @ts-check
/**
 * Jest's global set-up for the projects whose tests each take a database of their own
 * (database.ts): one PostgreSQL server for the whole run, unless TEST_DATABASE_URL names one.
 * The workers start after it and inherit the variable. Jest loads a global set-up outside its
 * module mapping, so this file is JavaScript and loads the TypeScript through tsx.
 */
import { tsImport } from 'tsx/esm/api'

/** @type {{ taskoverflowPostgres?: import('./postgres-server.ts').PostgresServer }} */
const started = globalThis

export default async function setup() {
  if (process.env.TEST_DATABASE_URL) return
  /** @type {typeof import('./postgres-server.ts')} */
  const { startPostgresServer } = await tsImport('./postgres-server.ts', import.meta.url)
  started.taskoverflowPostgres = await startPostgresServer()
  process.env.TEST_DATABASE_URL = started.taskoverflowPostgres.url
}

export async function teardown() {
  const server = started.taskoverflowPostgres
  if (!server) return
  started.taskoverflowPostgres = undefined
  delete process.env.TEST_DATABASE_URL
  await server.close()
}
