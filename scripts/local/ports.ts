import { createServer } from 'node:net'

/** A TCP port nothing listens on right now (for servers that take a port before they start: PostgreSQL, and tests and benchmarks). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Whether a port on 127.0.0.1 can be listened on now. */
export async function portFree(port: number): Promise<boolean> {
  const server = createServer()
  return new Promise((resolve) => {
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/** A taken port, said with the setting that moves it. */
export const portInUse = (port: number | undefined, setting: string) => `Port ${port} is already in use; stop what uses it or choose another port with ${setting}=...`

/** "Address in use" becomes a message that says which setting moves the port. */
export function portError(err: unknown, port: number | undefined, setting: string): Error {
  if ((err as { code?: string }).code === 'EADDRINUSE') return new Error(portInUse(port, setting))
  return err instanceof Error ? err : new Error(String(err))
}
