import type { IncrementResponse, Options, Store } from 'express-rate-limit'
import type { RateLimitRepository } from '@taskoverflow/shared'

/**
 * express-rate-limit's counts, kept in PostgreSQL (RateLimitRepository) instead of each
 * process's memory, so the limit holds across every API task. A database that cannot be reached
 * fails the request as the route itself would (503).
 *
 * Our own rather than @acpr/rate-limit-postgresql 1.4.1: that store runs its own migrations from
 * its constructor without waiting for them (a failure is an unhandled rejection), needs the
 * uuid-ossp extension, opens a second pool on a pinned pg 8.11.3 (without this project's password
 * source, timeouts or RDS certificates) and locks its sessions table on every hit.
 */
export class PostgresRateLimitStore implements Store {
  /** Every process sees the same counts: express-rate-limit's double-count check needs to know. */
  readonly localKeys = false
  private windowMs = 60_000

  constructor(
    private readonly limits: RateLimitRepository,
    /** Keeps this limiter's keys apart from any other's in the same table. */
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs
  }

  async increment(key: string): Promise<IncrementResponse> {
    const { hits, resetsAt } = await this.limits.hit(this.prefix + key, this.windowMs)
    return { totalHits: hits, resetTime: resetsAt }
  }

  async decrement(key: string): Promise<void> {
    await this.limits.unhit(this.prefix + key)
  }

  async resetKey(key: string): Promise<void> {
    await this.limits.reset(this.prefix + key)
  }
}
