import type { ErrorRequestHandler, RequestHandler } from 'express'
import { classifyDatabaseError, type Logger } from '@taskoverflow/shared'

/** An error meant for the client: its status and message are sent as `{"error": ...}`. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Per-field messages for validation errors, so a form can show each beside its input. */
    readonly fields?: Readonly<Record<string, string>>,
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export const notFound: RequestHandler = (req) => {
  throw new AppError(404, `No route for ${req.method} ${req.path}`)
}

export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  return (req) => {
    throw new AppError(405, `${req.method} is not allowed here; use ${allowed.join(' or ')}`, undefined, { Allow: allowed.join(', ') })
  }
}

const isJson = (text: unknown) => {
  if (typeof text !== 'string') return false
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** body-parser's error types, mapped to messages a person can act on. */
function bodyParserError(err: { type?: string; limit?: number; status?: number; body?: unknown; errno?: unknown; expose?: unknown }): AppError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      // body-parser takes only an object or an array: `null`, `"text"` or `3` are JSON, but not a todo.
      return new AppError(400, isJson(err.body) ? 'The request body must be a JSON object' : 'The request body is not valid JSON')
    case 'entity.too.large':
      return new AppError(413, `The request body is larger than the ${Math.round((err.limit ?? 0) / 1024)} KB limit`)
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'The request body must be UTF-8 JSON')
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new AppError(400, 'The request body could not be read')
    default:
      // A body declared gzip, deflate or br that is not: zlib's error (it has an errno), with body-parser's 400.
      if (err.status === 400 && typeof err.errno === 'number') {
        return new AppError(400, 'The request body could not be decompressed: it does not match its Content-Encoding')
      }
      // Any other error body-parser marks as the client's (http-errors' `expose`) stays a 4xx.
      if (err.expose === true && err.status !== undefined && err.status >= 400 && err.status < 500) return new AppError(err.status, 'The request body could not be read')
      return undefined
  }
}

/** The one place where errors become responses; every response body is JSON. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const known = err instanceof AppError ? err : bodyParserError(err as object)
    if (known) {
      if (known.headers) res.set(known.headers)
      res.status(known.status).json(known.fields ? { error: known.message, fields: known.fields } : { error: known.message })
      return
    }
    switch (classifyDatabaseError(err)) {
      case 'outage':
        logger.warn({ err: (err as Error).message, path: req.path }, 'database unavailable')
        res.set('Retry-After', '5').status(503).json({ error: 'The database is unavailable; try again in a few seconds' })
        return
      case 'authentication':
        // The service's password is wrong (it reads a rotated one again first) or cannot be read: not the client's fault.
        logger.error({ err: (err as Error).message, path: req.path }, 'the database refused the service password, or it could not be read')
        res.set('Retry-After', '30').status(503).json({ error: 'The database is unavailable; try again shortly' })
        return
      case 'bad-data':
        // Validation should have caught it; PostgreSQL's refusal of a value is still the client's input.
        logger.warn({ err: (err as Error).message, path: req.path }, 'the database refused a value')
        res.status(400).json({ error: 'The database refused a value in the request' })
        return
    }
    logger.error({ err, path: req.path }, 'unhandled error')
    res.status(500).json({ error: 'Internal server error' })
  }
}
