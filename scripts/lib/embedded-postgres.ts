import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'

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
  // PGlite is a single session; the server multiplexes client connections onto it.
  const server = new PGLiteSocketServer({ db, port: options.port ?? 0, host: '127.0.0.1', maxConnections: 100 })
  try {
    await server.start()
  } catch (err) {
    await db.close()
    throw portError(err, options.port, 'PGLITE_PORT')
  }
  const port = (server as unknown as { port: number }).port
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async close() {
      await server.stop()
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
