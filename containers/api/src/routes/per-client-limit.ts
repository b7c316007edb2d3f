import type { RequestHandler } from 'express'
import { rateLimit, type Store } from 'express-rate-limit'
import { AppError } from '../errors.js'

/**
 * At most `perMinute` requests a minute from one client (by address: behind the load balancer,
 * the one hop Express trusts names it), counted in `store`, which every API process shares; then
 * 429 with Retry-After, the seconds until the client's window ends (express-rate-limit sets it
 * from the store's reset time). No handler when `perMinute` is 0 (benchmarks and load tests).
 */
export function perClientLimit(perMinute: number, store: Store, what: string): RequestHandler[] {
  if (perMinute === 0) return []
  return [
    rateLimit({
      windowMs: 60_000,
      limit: perMinute,
      store,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next, options) => {
        next(new AppError(429, `Too many ${what}: at most ${options.limit} a minute from one client; try again shortly`))
      },
    }),
  ]
}
