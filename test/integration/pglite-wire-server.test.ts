/**
 * The embedded PostgreSQL's server when something goes wrong: a message PGlite fails on, a
 * client that hangs up in the middle of a command or of a transaction. The session is shared,
 * so none of these may leave it unusable for the other clients.
 */
import { connect, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from '@jest/globals'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { frontendMessage } from '../../scripts/lib/pg-wire.js'
import { PgliteWireServer } from '../../scripts/lib/pglite-wire-server.js'

let db: PGlite | undefined
let server: PgliteWireServer | undefined
afterEach(async () => {
  await server?.close()
  await db?.close()
  server = db = undefined
})

async function start(prepare?: (db: PGlite) => void): Promise<string> {
  db = await PGlite.create()
  prepare?.(db)
  server = new PgliteWireServer(db)
  const port = await server.listen(0)
  return `postgres://postgres@127.0.0.1:${port}/postgres`
}

/** Reads the server's messages (type byte, int32 length) until one of type `type` has arrived whole. */
function untilMessage(socket: Socket, type: string): Promise<void> {
  return new Promise((resolve) => {
    let buffered = Buffer.alloc(0)
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      while (buffered.length >= 5 && buffered.length >= 1 + buffered.readInt32BE(1)) {
        const found = String.fromCharCode(buffered[0]!) === type
        buffered = buffered.subarray(1 + buffered.readInt32BE(1))
        if (found) {
          socket.off('data', onData)
          return resolve()
        }
      }
    }
    socket.on('data', onData)
  })
}

async function client(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url })
  c.on('error', () => undefined)
  await c.connect()
  return c
}

describe('the embedded PostgreSQL server', () => {
  it('after PGlite fails on one message, closes that connection and goes on serving the others', async () => {
    const url = await start((pglite) => {
      // One internal failure, on the first Parse: a stand-in for a WebAssembly abort.
      const run = pglite.execProtocolRawStream.bind(pglite)
      let failed = false
      pglite.execProtocolRawStream = async (message, options) => {
        if (!failed && message[0] === 0x50) {
          failed = true
          throw new Error('injected internal failure')
        }
        return run(message, options)
      }
    })
    const first = await client(url)
    await expect(first.query('SELECT $1::int AS n', [1])).rejects.toThrow()
    const second = await client(url)
    try {
      expect((await second.query('SELECT $1::int AS n', [2])).rows).toEqual([{ n: 2 }])
    } finally {
      await second.end()
    }
  })

  it('rolls back the transaction of a client that hung up in it, so the next client is not inside it', async () => {
    const url = await start()
    const setup = await client(url)
    await setup.query('CREATE TABLE t (n integer)')
    await setup.end()

    const leaving = await client(url)
    await leaving.query('BEGIN')
    await leaving.query('INSERT INTO t VALUES (1)')
    // Gone without COMMIT or ROLLBACK, as a killed process goes.
    ;(leaving as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy()

    const next = await client(url)
    try {
      // Inside the abandoned transaction it would see the row.
      expect((await next.query('SELECT count(*)::int AS n FROM t')).rows).toEqual([{ n: 0 }])
    } finally {
      await next.end()
    }
  })

  it('ends the extended-protocol command of a client that hung up after an error and before Sync', async () => {
    const url = await start()
    const port = Number(new URL(url).port)
    const socket = connect(port, '127.0.0.1')
    await new Promise((resolve) => socket.once('connect', resolve))
    const startup = Buffer.alloc(8)
    startup.writeInt32BE(196608, 4)
    const params = Buffer.from('user\0postgres\0database\0postgres\0\0')
    const packet = Buffer.concat([startup, params])
    packet.writeInt32BE(packet.length, 0)
    socket.write(packet)
    await untilMessage(socket, 'Z')
    // A Parse that fails: the server now skips every message until this client's Sync, which never comes.
    socket.write(frontendMessage('P', Buffer.from('\0SELECT syntax error\0\0\0')))
    await untilMessage(socket, 'E')
    socket.destroy()

    const next = await client(url)
    try {
      expect((await next.query('SELECT $1::text AS word', ['answered'])).rows).toEqual([{ word: 'answered' }])
    } finally {
      await next.end()
    }
  })
})
