import { once } from 'node:events'
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import type { PGlite } from '@electric-sql/pglite'
import { frontendMessage, FrontendReader, ReadyForQueryWatcher, type FrontendMessage } from './pg-wire.js'

/**
 * PGlite served over the PostgreSQL wire protocol to many connections at once, so the services
 * connect with `pg` as they do to RDS. PGlite is one session: a connection holds it from its
 * first message until the server is ReadyForQuery outside a transaction, so no other client's
 * Parse replaces its unnamed statement between its Parse and its Bind, and none runs inside its
 * transaction. Each connection's bytes are handled in the order they came, one message at a
 * time, and whatever fails, the session is handed on.
 *
 * It replaces @electric-sql/pglite-socket 0.2.17, which scheduled single messages across
 * connections (a multi-megabyte Bind, arriving over many reads, met another client's statement:
 * "bind message supplies 6 parameters, but prepared statement "" requires 1") and whose queue
 * stopped for good after one failed message: electric-sql/pglite issue 1046, pull request 977.
 */
export class PgliteWireServer {
  private readonly server: Server
  private readonly sockets = new Set<Socket>()
  /** The session's holder, and who waits for it, in turn. */
  private queue: Promise<void> = Promise.resolve()

  constructor(
    private readonly db: PGlite,
    maxConnections = 100,
  ) {
    this.server = createServer((socket) => this.serve(socket))
    this.server.maxConnections = maxConnections
  }

  /** Listens on `port` (0: any free port) and resolves with the port. */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    await this.db.waitReady
    this.server.listen(port, host)
    await once(this.server, 'listening')
    return (this.server.address() as AddressInfo).port
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
    // The last holder's clean-up (a ROLLBACK, say) finishes before the database may close.
    await this.acquire().then((release) => release())
  }

  /** Waits for the session; resolves with the function that hands it on. */
  private acquire(): Promise<() => void> {
    const previous = this.queue
    let release!: () => void
    this.queue = new Promise<void>((resolve) => (release = resolve))
    return previous.then(() => release)
  }

  /** Runs one message against the session; its answer goes to `write` as it comes. */
  private async run(message: Buffer, write: (data: Uint8Array) => void): Promise<void> {
    await this.db.runExclusive(() => this.db.execProtocolRawStream(new Uint8Array(message.buffer, message.byteOffset, message.length), { onRawData: write }))
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket)
    socket.setNoDelay(true)
    const connection = new Connection(socket, {
      acquire: () => this.acquire(),
      run: (message, write) => this.run(message, write),
    })
    socket.on('data', (chunk: Buffer) => connection.receive(chunk))
    socket.on('error', () => socket.destroy())
    socket.on('close', () => {
      this.sockets.delete(socket)
      connection.ended()
    })
  }
}

/** What a connection asks of the server: the session, and one message run against it. */
interface Session {
  acquire(): Promise<() => void>
  run(message: Buffer, write: (data: Uint8Array) => void): Promise<void>
}

/**
 * One client's connection: its bytes handled in the order they came, one message at a time, the
 * session held from its first message until ReadyForQuery outside a transaction, and handed on
 * when the client goes, whatever it left unfinished.
 */
class Connection {
  private readonly reader = new FrontendReader()
  private readonly watcher = new ReadyForQueryWatcher()
  /** Hands the session on, while this connection holds it. */
  private release: (() => void) | undefined
  private pumping = false
  private gone = false

  constructor(
    private readonly socket: Socket,
    private readonly session: Session,
  ) {}

  receive(chunk: Buffer): void {
    this.reader.push(chunk)
    void this.pump()
  }

  ended(): void {
    this.gone = true
    if (!this.pumping) void this.hangUp()
  }

  private send(data: Uint8Array): void {
    this.watcher.feed(data)
    // A copy: PGlite hands out a view of its own memory, which it reuses before a full socket drains.
    if (!this.socket.destroyed) this.socket.write(Buffer.from(data))
  }

  private async handle(message: FrontendMessage): Promise<void> {
    if (message.kind === 'encryption-request') return void this.socket.write('N')
    if (message.kind === 'cancel-request' || (message.kind === 'message' && message.type === 'X')) return void this.socket.end()
    this.release ??= await this.session.acquire()
    this.watcher.reset()
    await this.session.run(message.bytes, (data) => this.send(data))
    // ReadyForQuery outside a transaction: the command and its extended-protocol state are done.
    if (this.watcher.status === 'I') {
      this.release()
      this.release = undefined
    }
  }

  /** One message at a time, in order: data that comes meanwhile waits for this loop. */
  private async pump(): Promise<void> {
    if (this.pumping) return
    this.pumping = true
    try {
      for (let message = this.reader.next(); message && !this.gone; message = this.reader.next()) await this.handle(message)
    } catch {
      // PGlite failed on a message: this client's state is lost, the others' is not.
      this.socket.destroy()
    } finally {
      this.pumping = false
    }
    if (this.gone) await this.hangUp()
  }

  /** A client gone mid-command or mid-transaction leaves the session as a new client expects it. */
  private async hangUp(): Promise<void> {
    const held = this.release
    this.release = undefined
    if (!held) return
    try {
      this.watcher.reset()
      // Sync ends an extended-protocol command (and the skipping after its error)...
      await this.session.run(frontendMessage('S'), (data) => this.watcher.feed(data))
      // ...and ROLLBACK any transaction it left open.
      if (this.watcher.status !== 'I') await this.session.run(frontendMessage('Q', Buffer.from('ROLLBACK\0')), () => undefined)
    } catch {
      // Nothing more can be done for the session; the next client still gets it.
    } finally {
      held()
    }
  }
}
