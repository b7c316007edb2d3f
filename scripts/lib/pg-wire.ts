/**
 * Just enough of the PostgreSQL wire protocol (https://www.postgresql.org/docs/current/protocol-message-formats.html)
 * to frame what a client sends and to see where the server's answer to a command ends.
 */

/** Codes in the second word of an untyped start-up packet. */
const SSL_REQUEST = 80877103
const GSS_ENCRYPTION_REQUEST = 80877104
const CANCEL_REQUEST = 80877102

export type FrontendMessage =
  | { readonly kind: 'encryption-request' }
  | { readonly kind: 'cancel-request' }
  | { readonly kind: 'startup'; readonly bytes: Buffer }
  | { readonly kind: 'message'; readonly type: string; readonly bytes: Buffer }

/**
 * Cuts a client's byte stream into whole messages, however the network split it: a
 * multi-megabyte Bind arrives over many reads and is joined once, when it is complete.
 */
export class FrontendReader {
  private chunks: Buffer[] = []
  private buffered = 0
  private startedUp = false

  push(chunk: Buffer): void {
    this.chunks.push(chunk)
    this.buffered += chunk.length
  }

  /** The next whole message, or undefined until more bytes come. */
  next(): FrontendMessage | undefined {
    // Before start-up a packet is its length and a code; after, a type byte and a length.
    const header = this.peek(this.startedUp ? 5 : 8)
    if (!header) return undefined
    const length = this.startedUp ? 1 + header.readInt32BE(1) : header.readInt32BE(0)
    if (this.buffered < length) return undefined
    const bytes = this.take(length)
    if (this.startedUp) return { kind: 'message', type: String.fromCharCode(bytes[0]!), bytes }
    const code = bytes.readInt32BE(4)
    if (code === SSL_REQUEST || code === GSS_ENCRYPTION_REQUEST) return { kind: 'encryption-request' }
    if (code === CANCEL_REQUEST) return { kind: 'cancel-request' }
    this.startedUp = true
    return { kind: 'startup', bytes }
  }

  private peek(length: number): Buffer | undefined {
    if (this.buffered < length) return undefined
    if (this.chunks[0]!.length < length) this.chunks = [Buffer.concat(this.chunks)]
    return this.chunks[0]!.subarray(0, length)
  }

  private take(length: number): Buffer {
    const whole = this.chunks[0]!.length >= length ? this.chunks[0]! : Buffer.concat(this.chunks)
    const bytes = whole.subarray(0, length)
    const rest = whole.subarray(length)
    const later = whole === this.chunks[0] ? this.chunks.slice(1) : []
    this.chunks = rest.length > 0 ? [rest, ...later] : later
    this.buffered -= length
    return bytes
  }
}

const READY_FOR_QUERY = 0x5a // 'Z'

/**
 * Watches the server's output, split anyhow into chunks, for ReadyForQuery and remembers its
 * transaction status: 'I' idle, 'T' in a transaction, 'E' in a failed transaction.
 */
export class ReadyForQueryWatcher {
  private readonly header = Buffer.alloc(5)
  private headerFilled = 0
  private type = 0
  private bodyLeft = 0
  /** The status of the last ReadyForQuery seen since the last `reset()`. */
  status: 'I' | 'T' | 'E' | undefined

  reset(): void {
    this.status = undefined
  }

  feed(chunk: Uint8Array): void {
    let i = 0
    while (i < chunk.length) {
      if (this.bodyLeft > 0) {
        if (this.type === READY_FOR_QUERY && this.bodyLeft === 1) this.status = String.fromCharCode(chunk[i]!) as 'I' | 'T' | 'E'
        const take = Math.min(this.bodyLeft, chunk.length - i)
        this.bodyLeft -= take
        i += take
        continue
      }
      this.header[this.headerFilled++] = chunk[i++]!
      if (this.headerFilled === this.header.length) {
        this.type = this.header[0]!
        this.bodyLeft = this.header.readInt32BE(1) - 4
        this.headerFilled = 0
      }
    }
  }
}

/** A message as a client would send it: type, length, body. */
export function frontendMessage(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(5)
  header.write(type, 0, 'latin1')
  header.writeInt32BE(body.length + 4, 1)
  return Buffer.concat([header, body])
}
