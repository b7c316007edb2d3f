import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../scripts/local/embedded-postgres.js'

/** The embedded server; its `close` also deletes its data. */
export type PostgresServer = EmbeddedPostgres

/**
 * A throwaway PostgreSQL server, the one npm start runs (RDS's major version), with its data in
 * a temporary folder and none of its writes waiting for the disk.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const root = mkdtempSync(join(tmpdir(), 'taskoverflow-pg-'))
  // As root the server runs as the system user postgres, which must reach its folder.
  chmodSync(root, 0o755)
  const removeAtExit = () => rmSync(root, { recursive: true, force: true })
  process.once('exit', removeAtExit)
  try {
    const server = await startEmbeddedPostgres({ dataDir: join(root, 'data'), durable: false, maxConnections: 200 })
    return {
      url: server.url,
      port: server.port,
      stop: server.stop,
      start: server.start,
      async close() {
        await server.close()
        process.off('exit', removeAtExit)
        removeAtExit()
      },
    }
  } catch (err) {
    process.off('exit', removeAtExit)
    removeAtExit()
    throw err
  }
}
