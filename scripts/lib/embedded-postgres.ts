import { PGlite } from '@electric-sql/pglite'
import { PgliteWireServer } from './pglite-wire-server.js'

export interface EmbeddedPostgres {
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served over the PostgreSQL wire protocol so the
 * services connect with `pg` exactly as they do to RDS. With a data folder, todos survive a
 * restart; without one the database lives in memory.
 */
export async function startEmbeddedPostgres(options: { dataDir?: string; port?: number } = {}): Promise<EmbeddedPostgres> {
  const db = await PGlite.create(options.dataDir)
  // PGlite is a single session; the server hands it to one client's command at a time.
  const server = new PgliteWireServer(db, 100)
  let port: number
  try {
    port = await server.listen(options.port ?? 0)
  } catch (err) {
    await db.close()
    throw portError(err, options.port, 'PGLITE_PORT')
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async close() {
      await server.close()
      await db.close()
    },
  }
}

/** "Address in use" becomes a message that says which variable moves the port. */
export function portError(err: unknown, port: number | undefined, variable: string): Error {
  if ((err as { code?: string }).code === 'EADDRINUSE') {
    return new Error(`Port ${port} is already in use; stop what uses it or choose another port with ${variable}=...`)
  }
  return err instanceof Error ? err : new Error(String(err))
}
